"""The editor's flow, shared by articles and events: show the form, Preview
without saving, save through the service with the button's
:class:`~blog.posts.publishing.SaveAction`, say what happened.

The buttons (``name="action"``) depend on where the post stands: a new post
or a draft has "Save Draft", "Preview" and "Publish" ("Schedule" for a
future date, "Submit for Review" for contributors); a published or
scheduled one "Update", "Preview" and "Switch to Draft"; a pending one
"Save as Pending", "Preview" and, for those who may, "Publish". "Switch to
Draft" (``unpublish``) first shows the editor again, everything typed kept,
with a confirmation that names the consequence; its own "Switch to Draft"
(``switch-to-draft``) does it, "Cancel" goes back to editing. No JavaScript
is needed for any of it.

Each kind of post says how in an :class:`Editor`: its form, its template,
and which service previews and saves it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from blog import dates
from blog.errors import FieldError
from blog.extensions import csrf
from blog.forms.common import ActionForm, show_errors
from blog.models import Post, PostKind, utcnow
from blog.posts.locking import EditConflict
from blog.posts.permissions import can_make_sticky, can_publish
from blog.posts.publishing import SaveAction, Standing, standing
from blog.views.context import current_zone
from blog.views.dashboard.revisions import (
    editor_notices,
    keep_conflicting_text,
    opened_form,
)
from blog.views.dashboard.trash import add_trash_routes

Form = TypeVar("Form", bound=FlaskForm)

NOUNS = {PostKind.ARTICLE: "Post", PostKind.EVENT: "Event", PostKind.PAGE: "Page"}

#: The buttons that save, by their ``action`` value.
SAVES = {
    "draft": SaveAction.DRAFT,
    "publish": SaveAction.PUBLISH,
    "update": SaveAction.UPDATE,
    "switch-to-draft": SaveAction.UNPUBLISH,
}
#: "Switch to Draft" before it is confirmed; "Cancel" in the confirmation.
ASK_UNPUBLISH, CANCEL, PREVIEW = "unpublish", "cancel", "preview"


class Editor(ABC, Generic[Form]):
    """What differs between the article and the event editor."""

    kind: PostKind
    template: str
    form_class: type[Form]

    @abstractmethod
    def filled(self, post: Post | None) -> Form:
        """The form as first shown: filled from ``post``, or blank for a new one."""

    def offer(self, form: Form, post: Post | None) -> None:
        """Fill what the form offers to choose from (a menu's options), on
        every request: the form as first shown and as sent back."""

    def intercept(self, form: Form, action: str) -> bool:
        """Handle a button that neither saves nor previews; True if handled."""
        return False

    @abstractmethod
    def preview(self, form: Form, post: Post | None) -> str:
        """The public page as it would look, rendered, nothing saved."""

    @abstractmethod
    def save(self, form: Form, post: Post | None, *, action: SaveAction) -> Post:
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
    form = opened_form(editor, post) if request.method == "GET" else editor.form_class()
    editor.offer(form, post)
    # Without a button (a script, an old form) a save keeps the status.
    action = request.form.get("action", "update")
    before = standing(post)
    confirming = False
    conflict = None
    if request.method == "POST" and action != CANCEL:
        if action == ASK_UNPUBLISH:
            confirming = before.is_published
            action = "update" if confirming else "draft"
        if not confirming and not editor.intercept(form, action):
            if form.validate_on_submit():
                try:
                    return _submitted(editor, form, post, action, before)
                except EditConflict as error:  # someone saved first
                    conflict = keep_conflicting_text(editor.kind, post, error)
                except FieldError as error:
                    show_errors(form, error)
    return render_template(
        editor.template,
        form=form,
        post=post,
        can_publish=can_publish(current_user, post),
        action_form=ActionForm(),
        **editor_state(form, post, editor.kind, confirming=confirming),
        **editor_notices(editor, post, form, conflict=conflict),
        **editor.context(),
    )


def editor_state(
    form: FlaskForm, post: Post | None, kind: PostKind, *, confirming: bool = False
) -> dict[str, Any]:
    """What the buttons and the status line need: where the post stands,
    whether the date typed is in the future (the button says "Schedule"),
    the site's clock for the script that relabels it live, whether
    "Switch to Draft" awaits its confirmation, who may make it sticky, and
    the noun ("post", "event") for the sentences around them."""
    now = dates.to_zone(utcnow(), current_zone()).replace(tzinfo=None)
    field = getattr(form, "publish_at", None)
    typed = field.data if field is not None else None
    return {
        "standing": standing(post).value,
        "noun": NOUNS.get(kind, "Post").lower(),
        "schedules": isinstance(typed, datetime) and typed > now,
        "site_now": now.strftime("%Y-%m-%dT%H:%M:%S"),
        "confirm_unpublish": confirming,
        "can_make_sticky": can_make_sticky(current_user),
    }


def _submitted(
    editor: Editor[Form], form: Form, post: Post | None, action: str, before: Standing
) -> ResponseReturnValue:
    """Preview, or save and go back to the editor. :raises FieldError:"""
    if action == PREVIEW:
        return editor.preview(form, post)
    saved = editor.save(form, post, action=SAVES.get(action, SaveAction.UPDATE))
    flash(saved_message(saved, before), "success")
    return redirect(url_for(".edit", post_id=saved.id))


def saved_message(post: Post, before: Standing = Standing.NEW) -> str:
    """What the editor is told after a save, from where the post stood
    before and stands now: "Post updated.", "Post scheduled for November 29,
    2026 at 10:00 a.m. EST.", "Post switched to draft. ...", "Draft saved."."""
    noun = NOUNS.get(post.kind, "Post")
    after = standing(post)
    when = dates.local_datetime(post.published_at, current_zone(), with_zone=True)
    if after is Standing.SCHEDULED:
        if before is Standing.PUBLISHED:
            return (
                f"{noun} updated and scheduled for {when}: "
                "it is off the site until then."
            )
        if before is Standing.SCHEDULED:
            return f"{noun} updated. It is scheduled for {when}."
        return f"{noun} scheduled for {when}."
    if after is Standing.PUBLISHED:
        done = "updated" if before is Standing.PUBLISHED else "published"
        return f"{noun} {done}."
    if after is Standing.PENDING:
        if before is Standing.PENDING:
            return f"{noun} saved. It is still pending review."
        return f"{noun} submitted for review."
    if after is Standing.DRAFT and before.is_published:
        return f"{noun} switched to draft. It is no longer on the site."
    return "Draft saved." if after is Standing.DRAFT else f"{noun} saved."
