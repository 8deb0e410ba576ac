from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Flask
from wtforms import Field, Form
from wtforms.csrf.core import CSRFTokenField

_F = TypeVar("_F", bound=Callable[..., Any])

class FlaskForm(Form):
    csrf_token: CSRFTokenField
    def __init__(self, formdata: Any = ..., **kwargs: Any) -> None: ...
    def is_submitted(self) -> bool: ...
    def validate_on_submit(
        self,
        extra_validators: dict[str, Sequence[Callable[[Form, Field], object]]]
        | None = ...,
    ) -> bool: ...
    def hidden_tag(self, *fields: Any) -> Any: ...

class CSRFProtect:
    def __init__(self, app: Flask | None = ...) -> None: ...
    def init_app(self, app: Flask) -> None: ...
    def exempt(self, view: _F) -> _F: ...
