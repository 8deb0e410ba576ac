"""Revisions, autosaves and who is editing, for every kind of post's editor
(articles, events, pages). Every POST here is checked by Flask-WTF's
``CSRFProtect`` (the form's token, or the ``X-CSRFToken`` header).

:func:`add_revision_routes` gives a blueprint the revisions screen
(``<bp>.revisions``: the list, a comparison of any two versions, "Restore
This Revision" as ``<bp>.restore_revision``), the autosave endpoint the
editor's script calls (``<bp>.autosave``, JSON) and "Dismiss"
(``<bp>.dismiss_autosave``). The editor's flow calls :func:`opened_form`,
:func:`editor_notices` and :func:`keep_conflicting_text` for what the
editor shows about them (``templates/dashboard/_editor_notices.html``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Protocol, TypeVar

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

from blog import dates
from blog.database import write_intent
from blog.extensions import db
from blog.forms.common import ActionForm
from blog.forms.revisions import CompareForm, form_from_autosave, same_text
from blog.models import Post, PostAutosave, PostKind, PostRevision, User, utcnow
from blog.numbers import parse_int
from blog.posts import autosave as autosaves
from blog.posts import revisions as history
from blog.posts.editing import PostError
from blog.posts.locking import EditConflict
from blog.posts.revisions import Version
from blog.views.context import current_zone

Form = TypeVar("Form", bound=FlaskForm)

#: What the sentences call each kind of post.
NOUNS = {PostKind.ARTICLE: "post", PostKind.EVENT: "event", PostKind.PAGE: "page"}


class EditorLike(Protocol[Form]):
    """What these helpers need of :class:`blog.views.dashboard.editor.Editor`."""

    kind: PostKind
    form_class: type[Form]

    def filled(self, post: Post | None) -> Form: ...


@dataclass
class EditorNotices:
    """What ``_editor_notices.html`` shows above the editor, and the
    addresses its script uses."""

    noun: str
    autosave_url: str
    dismiss_url: str
    restore_url: str
    edit_url: str
    revisions_url: str | None = None
    revision_count: int = 0
    #: An autosave newer than the saved text, and different: offer it.
    autosave: PostAutosave | None = None
    autosave_when: str = ""
    #: The form below was filled from the autosave (not saved yet).
    restored: bool = False
    #: "Ada Lovelace is also editing this post."
    presence: str = ""
    #: A save refused because someone else saved first.
    conflict: EditConflict | None = None
    conflict_when: str = ""
    #: The page shows text that is not saved (a form sent back).
    unsaved: bool = False
    others: list[str] = field(default_factory=list)


def add_revision_routes(
    bp: Blueprint, load: Callable[[int], Post], kind: PostKind
) -> None:
    """Register the revisions screen, restore, autosave and dismiss on ``bp``.

    :param load: returns the post the current user may edit, or aborts.
    :param kind: the kind of post the blueprint edits (for a new post's autosave).
    """

    @bp.get("/<int:post_id>/revisions/")
    def revisions(post_id: int) -> ResponseReturnValue:
        return revisions_page(load(post_id))

    @bp.post("/<int:post_id>/revisions/<int:revision_id>/restore")
    def restore_revision(post_id: int, revision_id: int) -> ResponseReturnValue:
        post = load(post_id)
        revision = db.session.get(PostRevision, revision_id)
        if revision is None or revision.post_id != post.id:
            abort(404)
        try:
            history.restore_revision(current_user, post, revision, zone=current_zone())
        except PostError as error:
            flash(f"The revision could not be restored: {error}", "error")
            return redirect(url_for(".revisions", post_id=post.id, new=revision_id))
        when = dates.local_datetime(revision.created_at, current_zone())
        flash(
            f"Restored the revision of {when}. The text it replaced is kept in "
            "the revisions.",
            "success",
        )
        return redirect(url_for(".edit", post_id=post.id))

    @bp.post("/autosave", defaults={"post_id": None})
    @bp.post("/<int:post_id>/autosave")
    def autosave(post_id: int | None) -> ResponseReturnValue:
        post = load(post_id) if post_id is not None else None
        return autosave_response(kind, post)

    @bp.post("/autosave/dismiss", defaults={"post_id": None})
    @bp.post("/<int:post_id>/autosave/dismiss")
    def dismiss_autosave(post_id: int | None) -> ResponseReturnValue:
        post = load(post_id) if post_id is not None else None
        autosaves.dismiss_autosave(current_user, kind, post)
        flash("Autosave dismissed.", "success")
        return redirect(_edit_url(post))


def _edit_url(post: Post | None) -> str:
    return url_for(".edit", post_id=post.id) if post is not None else url_for(".new")


# The revisions screen ---------------------------------------------------


def revisions_page(post: Post) -> ResponseReturnValue:
    """The list, and the two versions chosen compared (by default what the
    latest save changed)."""
    chosen = CompareForm(request.args)
    try:
        shown = history.comparison(
            current_user, post, chosen.old.data or "", chosen.new.data or ""
        )
    except LookupError:
        abort(404)  # not a revision of this post
    count = len(shown.revisions)  # newest first: the oldest is number 1
    labels = {
        str(r.id): _label(r, count - index) for index, r in enumerate(shown.revisions)
    }
    form = CompareForm(
        formdata=None, old=_chosen(shown.old), new=_chosen(shown.new)
    ).offer([(history.CURRENT, "Current version"), *labels.items()])
    return render_template(
        "dashboard/revisions/index.html",
        post=post,
        noun=NOUNS.get(post.kind, "post"),
        shown=shown,
        labels=labels,
        form=form,
        old_label=labels.get(form.old.data, "the current version"),
        new_label=labels.get(form.new.data, "the current version"),
        action_form=ActionForm(),
    )


def _chosen(version: Version) -> str:
    return str(version.revision.id) if version.revision else history.CURRENT


def _label(revision: PostRevision, number: int) -> str:
    """ "Revision 3, November 26, 2026 at 3:50 p.m. by Ruth": numbered, as
    saves within a minute would otherwise read alike."""
    when = dates.local_datetime(revision.created_at, current_zone())
    author = revision.author.display_name if revision.author else "a former user"
    return f"Revision {number}, {when} by {author}"


# Autosave ----------------------------------------------------------------


def autosave_response(kind: PostKind, post: Post | None) -> ResponseReturnValue:
    """Keep the editor's fields as the person's autosave (a heartbeat only
    marks them as editing), and say who else is: JSON for the script, with
    a fresh CSRF token so that a long session never expires."""
    actor: User = current_user
    if post is not None:
        autosaves.mark_editing(actor, post)
    saved: PostAutosave | None = None
    if "heartbeat" not in request.form:
        try:
            saved = autosaves.save_autosave(
                actor,
                kind,
                post,
                dict(request.form.lists()),
                base_version=parse_int(request.form.get("version")),
            )
        except autosaves.AutosaveRefused as error:
            return jsonify(saved=False, message=str(error)), 413
    others = autosaves.also_editing(actor, post) if post is not None else []
    message = ""
    if saved is not None:
        clock = dates.clock(dates.to_zone(saved.saved_at, current_zone()))
        message = f"Autosaved at {clock}."
    return jsonify(
        saved=saved is not None,
        message=message,
        presence=presence_text(others, NOUNS.get(kind, "post")),
        csrf_token=generate_csrf(),
    )


def presence_text(others: list[User], noun: str) -> str:
    """ "Ada Lovelace is also editing this post." ("" when nobody is)."""
    names = [user.display_name for user in others]
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is also editing this {noun}."
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"{listed} are also editing this {noun}."


# The editor's side -------------------------------------------------------


def opened_form(editor: EditorLike[Form], post: Post | None) -> Form:
    """The editor's form as first shown: filled from the post, or, with
    ``?restore=autosave``, from the person's autosave (not saved: the
    buttons save it), carrying the post's current version."""
    if request.args.get("restore") == "autosave":
        saved = autosaves.latest_autosave(current_user, editor.kind, post)
        if saved is not None:
            version = post.version if post is not None else None
            return form_from_autosave(editor.form_class, saved.content, version=version)
    return editor.filled(post)


def keep_conflicting_text(
    kind: PostKind, post: Post | None, conflict: EditConflict
) -> EditConflict:
    """A save was refused because someone saved first: keep what this person
    sent as their autosave too, so both versions are kept whatever they do
    next. Returns ``conflict`` for :func:`editor_notices`."""
    try:
        autosaves.save_autosave(
            current_user,
            kind,
            post,
            dict(request.form.lists()),
            base_version=parse_int(request.form.get("version")),
        )
    except autosaves.AutosaveRefused:
        pass  # too large to keep: it is still on the page, with the notice
    return conflict


def editor_notices(
    editor: EditorLike[Form],
    post: Post | None,
    form: Form,
    *,
    conflict: EditConflict | None = None,
) -> dict[str, Any]:
    """What the editor shows about revisions, autosaves, conflicts and who
    else is editing (``notices`` for ``_editor_notices.html``). Opening the
    editor of a saved post marks the person as editing it."""
    actor: User = current_user
    kind = editor.kind
    opening = request.method == "GET"
    if opening and post is not None:
        db.session.commit()  # write_intent starts its own transaction
        with write_intent():
            autosaves.mark_editing(actor, post)
    post_id = post.id if post is not None else None
    notices = EditorNotices(
        noun=NOUNS.get(kind, "post"),
        # url_for leaves out a None post_id: the new post's addresses.
        autosave_url=url_for(".autosave", post_id=post_id),
        dismiss_url=url_for(".dismiss_autosave", post_id=post_id),
        restore_url=url_for(
            ".edit" if post_id else ".new", post_id=post_id, restore="autosave"
        ),
        edit_url=_edit_url(post),
        # A form sent back (a refused save, a confirmation) that differs from
        # what is saved: the script treats it as unsaved from the start.
        unsaved=not opening and not same_text(form, editor.filled(post)),
        conflict=conflict,
    )
    zone = current_zone()
    if conflict is not None and conflict.saved_at is not None:
        notices.conflict_when = _when(conflict.saved_at, zone)
    if post is not None:
        notices.revisions_url = url_for(".revisions", post_id=post.id)
        notices.revision_count = history.revision_count(post)
        others = autosaves.also_editing(actor, post)
        notices.others = [user.display_name for user in others]
        notices.presence = presence_text(others, notices.noun)
    restoring = opening and request.args.get("restore") == "autosave"
    if restoring:
        kept = autosaves.latest_autosave(actor, kind, post)
        if kept is not None:
            notices.restored = True
            notices.autosave_when = _when(kept.saved_at, zone)
    elif opening:
        waiting = autosaves.newer_autosave(actor, kind, post)
        if waiting is not None and not same_text(
            form, form_from_autosave(editor.form_class, waiting.content, version=None)
        ):
            notices.autosave = waiting
            notices.autosave_when = _when(waiting.saved_at, zone)
    return {"notices": notices}


def _when(moment: datetime, zone: tzinfo) -> str:
    """ "at 10:02 a.m." today, "on November 26, 2026 at 10:02 a.m." another day."""
    local = dates.to_zone(moment, zone)
    if local.date() == dates.to_zone(utcnow(), zone).date():
        return f"at {dates.clock(local)}"
    return f"on {dates.local_datetime(moment, zone)}"
