"""The editor's flow, shared by articles and events: show the form, Preview
without saving, Save Draft or Publish through the service, say what happened.

Each kind of post says how in an :class:`Editor`: its form, its template,
and which service previews and saves it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from blog.errors import FieldError
from blog.extensions import csrf
from blog.forms.common import ActionForm, show_errors
from blog.models import Post, PostKind, PostStatus
from blog.posts.permissions import can_publish
from blog.views.dashboard.trash import add_trash_routes

Form = TypeVar("Form", bound=FlaskForm)

NOUNS = {PostKind.ARTICLE: "Post", PostKind.EVENT: "Event"}


class Editor(ABC, Generic[Form]):
    """What differs between the article and the event editor."""

    kind: PostKind
    template: str
    form_class: type[Form]

    @abstractmethod
    def filled(self, post: Post | None) -> Form:
        """The form as first shown: filled from ``post``, or blank for a new one."""

    def intercept(self, form: Form, action: str) -> bool:
        """Handle a button that neither saves nor previews; True if handled."""
        return False

    @abstractmethod
    def preview(self, form: Form, post: Post | None) -> str:
        """The public page as it would look, rendered, nothing saved."""

    @abstractmethod
    def save(self, form: Form, post: Post | None, *, publish: bool) -> Post:
        """Save through the service (which raises FieldError on bad input)."""

    def context(self) -> dict[str, Any]:
        """What the editor's template shows besides the form."""
        return {}


def add_editor_routes(
    bp: Blueprint, editor: Callable[[], Editor[Any]], load: Callable[[int], Post]
) -> None:
    """Register ``new``, ``edit`` (GET and POST) and the trash routes on ``bp``.

    :param editor: makes the :class:`Editor` for a request.
    :param load: returns the post the current user may edit, or aborts.
    """

    @bp.route("/new", methods=["GET", "POST"])
    @csrf.exempt  # the form checks its own token, so an expired one keeps the text
    def new() -> ResponseReturnValue:
        return editor_page(editor(), None)

    @bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
    @csrf.exempt  # the form checks its own token, so an expired one keeps the text
    def edit(post_id: int) -> ResponseReturnValue:
        return editor_page(editor(), load(post_id))

    add_trash_routes(bp, load, NOUNS[editor().kind])


def editor_page(editor: Editor[Form], post: Post | None) -> ResponseReturnValue:
    """The editor for ``post`` (``None``: a new one)."""
    form = editor.filled(post) if request.method == "GET" else editor.form_class()
    action = request.form.get("action", "draft")
    if not editor.intercept(form, action) and form.validate_on_submit():
        try:
            return _submitted(editor, form, post, action)
        except FieldError as error:
            show_errors(form, error)
    return render_template(
        editor.template,
        form=form,
        post=post,
        can_publish=can_publish(current_user, post),
        action_form=ActionForm(),
        **editor.context(),
    )


def _submitted(
    editor: Editor[Form], form: Form, post: Post | None, action: str
) -> ResponseReturnValue:
    """Preview, or save and go back to the editor. :raises FieldError:"""
    if action == "preview":
        return editor.preview(form, post)
    saved = editor.save(form, post, publish=action == "publish")
    flash(saved_message(saved), "success")
    return redirect(url_for(".edit", post_id=saved.id))


def saved_message(post: Post) -> str:
    """What the editor is told after a save: "Post published.", "Draft saved."."""
    noun = NOUNS[post.kind]
    if post.status == PostStatus.PUBLISHED:
        return f"{noun} scheduled." if post.is_scheduled else f"{noun} published."
    if post.status == PostStatus.PENDING:
        return f"{noun} submitted for review."
    return "Draft saved."
