"""The errors services raise, shared by every feature.

A :class:`FieldError` carries the form field it belongs to, so a view puts
its message next to that field (``blog.forms.common.show_errors``) and keeps
everything the person typed. :class:`PermissionDenied` becomes a 403.
"""

from __future__ import annotations

from collections.abc import Mapping


class FieldError(ValueError):
    """Input a service refused; ``errors`` maps form field names to messages.

    Raise it with one message and its field, or with ``errors=`` for several.
    A field of ``""`` means the form as a whole.
    """

    def __init__(
        self,
        message: str = "",
        field: str = "",
        *,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        self.errors: dict[str, str] = dict(errors) if errors else {field: message}
        super().__init__("; ".join(self.errors.values()))

    @property
    def field(self) -> str:
        """The first field at fault."""
        return next(iter(self.errors))


class PermissionDenied(Exception):
    """The actor may not do this (shown as 403)."""


def require(allowed: bool) -> None:
    """Raise :class:`PermissionDenied` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied
