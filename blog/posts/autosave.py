"""Autosaves and who is editing.

An autosave is one person's unsaved text of a post (or of a new post, kept
by person and kind), stored apart from the post: it never changes what
readers see nor the post's version. The editor's script sends it every
30 seconds while the text changes and when the page is hidden; a save of
the post deletes it, and an edit refused as a conflict keeps the refused
text in it. Opening the editor when one's autosave is newer than the post's
last save offers to restore it.

Presence: opening the editor, and every autosave (a heartbeat when nothing
changed), marks the person as editing the post; the editor names the others
seen in the last two minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, inspect, select

from blog.database import upsert
from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import Post, PostAutosave, PostEditor, PostKind, User, utcnow
from blog.posts.permissions import can_edit_post
from blog.validation import clean_text

#: The most text one autosave keeps (the body's limit, plus the other fields).
MAX_CHARS = 600_000
#: The most fields (an event with every row filled has about 500).
MAX_FIELDS = 1000
#: Fields never kept: the form's token, its button, the version it was opened on.
SKIPPED = frozenset({"csrf_token", "action", "version", "heartbeat"})
#: How long after their last sign of life someone counts as editing.
EDITING_WINDOW = timedelta(minutes=2)
#: Presence rows older than this are removed when the post's are written.
FORGET_AFTER = timedelta(days=1)


class AutosaveRefused(FieldError):
    """Too much text, or too many fields, for an autosave."""


def _owned(actor: User, kind: PostKind, post: Post | None) -> list[PostAutosave]:
    """The actor's autosaves of ``post`` (of a new post of ``kind`` when
    ``None``), newest first: normally one."""
    query = select(PostAutosave).where(PostAutosave.user_id == actor.id)
    if post is None:
        query = query.where(PostAutosave.post_id.is_(None), PostAutosave.kind == kind)
    else:
        query = query.where(PostAutosave.post_id == post.id)
    return list(
        db.session.scalars(
            query.order_by(PostAutosave.saved_at.desc(), PostAutosave.id.desc())
        )
    )


def cleaned_fields(fields: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """The editor's fields as an autosave keeps them: every value of each
    name (cleaned as forms clean text), without the token and the button.

    :raises AutosaveRefused: more than :data:`MAX_FIELDS` fields or
        :data:`MAX_CHARS` characters.
    """
    kept: dict[str, list[str]] = {}
    size = 0
    for name, values in fields.items():
        if name in SKIPPED:
            continue
        kept[name] = [clean_text(str(value)) for value in values]
        size += len(name) + sum(len(value) for value in kept[name])
        if len(kept) > MAX_FIELDS or size > MAX_CHARS:
            raise AutosaveRefused("Too much text to autosave; save the post instead.")
    return kept


def save_autosave(
    actor: User,
    kind: PostKind,
    post: Post | None,
    fields: Mapping[str, Iterable[str]],
    *,
    base_version: int | None = None,
    now: datetime | None = None,
) -> PostAutosave:
    """Keep the actor's text of ``post`` (a new post of ``kind`` when
    ``None``); the post itself is not touched. Commits.

    :param base_version: the post's version the text was written against.
    :raises PermissionDenied: the actor may not edit this post.
    :raises AutosaveRefused: the text is too large.
    """
    if post is not None:
        require(can_edit_post(actor, post) and post.kind == kind)
    content = cleaned_fields(fields)
    rows = _owned(actor, kind, post)
    row = rows[0] if rows else PostAutosave(user_id=actor.id, kind=kind)
    for extra in rows[1:]:  # two first autosaves that raced
        db.session.delete(extra)
    row.post_id = post.id if post is not None else None
    row.content = content
    row.saved_at = now or utcnow()
    row.base_version = base_version if base_version is not None else 0
    db.session.add(row)
    db.session.commit()
    return row


def latest_autosave(
    actor: User, kind: PostKind, post: Post | None
) -> PostAutosave | None:
    """The actor's autosave of ``post`` (or of a new post of ``kind``)."""
    if post is not None and not can_edit_post(actor, post):
        return None
    rows = _owned(actor, kind, post)
    return rows[0] if rows else None


def newer_autosave(
    actor: User, kind: PostKind, post: Post | None
) -> PostAutosave | None:
    """The actor's autosave when it is newer than the post's last save
    (any autosave of a new post); whether its text differs is the editor's
    to say."""
    autosave = latest_autosave(actor, kind, post)
    if autosave is None or (post is not None and autosave.saved_at <= post.updated_at):
        return None
    return autosave


def discard_autosave(actor: User, kind: PostKind, post: Post) -> None:
    """Forget the actor's autosave of ``post`` (of a new post of ``kind``
    when ``post`` is being created): a save of the post made it useless.
    The caller commits; nothing is flushed, so this fits inside a save."""
    query = delete(PostAutosave).where(PostAutosave.user_id == actor.id)
    if inspect(post).has_identity:
        query = query.where(PostAutosave.post_id == post.id)
    else:
        query = query.where(PostAutosave.post_id.is_(None), PostAutosave.kind == kind)
    with db.session.no_autoflush:
        db.session.execute(query.execution_options(synchronize_session=False))


def dismiss_autosave(actor: User, kind: PostKind, post: Post | None) -> None:
    """The editor's "Dismiss": forget the actor's autosave (commits).

    :raises PermissionDenied: the actor may not edit this post.
    """
    if post is not None:
        require(can_edit_post(actor, post) and post.kind == kind)
    for row in _owned(actor, kind, post):
        db.session.delete(row)
    db.session.commit()


def mark_editing(actor: User, post: Post, now: datetime | None = None) -> None:
    """Note that the actor has the post open in the editor (commits); old
    marks on the post are forgotten on the way.

    :raises PermissionDenied: the actor may not edit this post.
    """
    require(can_edit_post(actor, post))
    now = now or utcnow()
    db.session.execute(
        delete(PostEditor).where(
            PostEditor.post_id == post.id, PostEditor.seen_at < now - FORGET_AFTER
        )
    )
    statement = upsert(PostEditor).values(
        post_id=post.id, user_id=actor.id, seen_at=now
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["post_id", "user_id"], set_={"seen_at": now}
        )
    )
    db.session.commit()


def also_editing(actor: User, post: Post, now: datetime | None = None) -> list[User]:
    """The others seen in the editor of ``post`` in the last two minutes."""
    since = (now or utcnow()) - EDITING_WINDOW
    return list(
        db.session.scalars(
            select(User)
            .join(PostEditor, PostEditor.user_id == User.id)
            .where(
                PostEditor.post_id == post.id,
                PostEditor.user_id != actor.id,
                PostEditor.seen_at >= since,
            )
            .order_by(User.display_name, User.id)
        )
    )
