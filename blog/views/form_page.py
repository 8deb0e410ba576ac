"""The page shape every settings-like form shares: show the form; on a valid
POST call the service; on a :class:`~blog.errors.FieldError` show its
messages next to the fields with everything typed kept; otherwise say it is
done and redirect (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from blog.errors import FieldError
from blog.forms.common import show_errors


def form_page(
    form: FlaskForm,
    save: Callable[[], object],
    *,
    template: str,
    done: str,
    then: str,
    **context: Any,
) -> ResponseReturnValue:
    """Run ``save`` for a valid submission of ``form``.

    :param done: the message flashed after a save.
    :param then: where to go after a save.
    :param context: what ``template`` shows besides the form.
    """
    if form.validate_on_submit():
        try:
            save()
        except FieldError as error:
            show_errors(form, error)
        else:
            flash(done, "success")
            return redirect(then)
    return render_template(template, form=form, **context)
