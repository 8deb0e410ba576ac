"""Revisions: every save of a post, article, event or page, keeps what it
wrote (title, body, and in ``content`` the excerpt, slug, categories, tags,
status and the kind's details, such as an event's date and people), who
saved it and when. They are compared on the revisions screen and restored
from it; readers never see them. The latest revision also says who saved
last, for :mod:`blog.posts.locking`.

A kind of post with more than the article's fields says how to keep them
with :func:`register_details` (``blog.events`` does, for events).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from typing import Any

from sqlalchemy import delete, func, inspect, select

from blog import dates
from blog.errors import require
from blog.extensions import db
from blog.models import Post, PostKind, PostRevision, Setting, User, utcnow
from blog.posts.diff import Row, is_changed, text_diff
from blog.posts.editing import PostInput, apply_input
from blog.posts.locking import conflict_if_stale
from blog.posts.permissions import can_edit_post

#: The site setting: how many revisions each post keeps (``None``: all).
KEEP_SETTING = "revisions_to_keep"
NOTE_MAX = 200


@dataclass(frozen=True)
class KindDetails:
    """What a kind of post adds to its revisions (an event's details).

    ``snapshot`` gives them as JSON-ready data; ``restore`` puts such data
    back on a post whose own fields are set (it may raise
    :class:`~blog.posts.editing.PostError`); ``describe`` lists them as
    labelled text, for the revisions screen to compare.
    """

    snapshot: Callable[[Post], dict[str, Any]]
    restore: Callable[[Post, dict[str, Any]], None]
    describe: Callable[[dict[str, Any]], list[tuple[str, str]]]


_DETAILS: dict[PostKind, KindDetails] = {}


def register_details(kind: PostKind, details: KindDetails) -> None:
    """Keep ``kind``'s own fields in its revisions (called once, on import)."""
    _DETAILS[kind] = details


@dataclass(frozen=True)
class Version:
    """A post's text as one revision (or the post itself now) holds it."""

    title: str
    body: str
    content: dict[str, Any]
    revision: PostRevision | None = None
    #: A revision whose text is the post's now (it would restore nothing).
    is_current_text: bool = False

    @property
    def is_current(self) -> bool:
        """The post itself, not a revision."""
        return self.revision is None


@dataclass(frozen=True)
class Change:
    """One field compared between two versions."""

    label: str
    rows: list[Row] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return is_changed(self.rows)


def content_of(post: Post) -> dict[str, Any]:
    """Everything but the title and body that a revision keeps."""
    content: dict[str, Any] = {
        "slug": post.slug,
        "excerpt": post.excerpt_source,
        "categories": [term.name for term in post.categories],
        "tags": [term.name for term in post.tags],
        "status": str(post.status.value) if post.status else "draft",
    }
    details = _DETAILS.get(post.kind)
    if details is not None:
        content["details"] = details.snapshot(post)
    return content


def current_version(post: Post) -> Version:
    return Version(post.title, post.body_source, content_of(post))


def version_of(revision: PostRevision) -> Version:
    return Version(revision.title, revision.body_source, revision.content, revision)


def record_revision(actor: User, post: Post, *, note: str = "") -> PostRevision | None:
    """Keep the post as this save leaves it (the caller commits), and prune
    the oldest beyond the site's "Revisions to keep".

    A save by the same person that changes nothing adds no revision. A new
    revision also moves the post's version on (its ``updated_at`` is
    written), even when only its terms or an event's rows changed.
    Nothing is flushed here, so a lost race shows at the commit.
    """
    with db.session.no_autoflush:
        now = current_version(post)
        saved = inspect(post).has_identity
        latest = _latest(post.id) if saved else None
        keep = revisions_to_keep()
    if (
        latest is not None
        and not note
        and latest.author_id == actor.id
        and (latest.title, latest.body_source, latest.content)
        == (now.title, now.body, now.content)
    ):
        return None
    post.updated_at = utcnow()
    revision = PostRevision(
        post=post,
        author_id=actor.id,
        title=now.title,
        body_source=now.body,
        content=now.content,
        note=note[:NOTE_MAX],
    )
    db.session.add(revision)
    if saved and keep is not None:
        # The new revision is not flushed yet: keep the newest keep - 1 others.
        newest = (
            select(PostRevision.id)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.id.desc())
            .limit(keep - 1)
        )
        with db.session.no_autoflush:
            db.session.execute(
                delete(PostRevision)
                .where(PostRevision.post_id == post.id)
                .where(PostRevision.id.not_in(newest.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
    return revision


def revisions_to_keep() -> int | None:
    """The "Revisions to keep" setting: ``None`` keeps every one."""
    setting = db.session.get(Setting, KEEP_SETTING)
    value = setting.value if setting is not None else None
    return value if isinstance(value, int) and value >= 1 else None


def _latest(post_id: int) -> PostRevision | None:
    return db.session.scalar(
        select(PostRevision)
        .where(PostRevision.post_id == post_id)
        .order_by(PostRevision.id.desc())
        .limit(1)
    )


def history(actor: User, post: Post) -> list[PostRevision]:
    """The post's revisions, newest first, for those who may edit it.

    :raises PermissionDenied: the actor may not edit this post.
    """
    require(can_edit_post(actor, post))
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.id.desc())
        )
    )


def revision_count(post: Post) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(PostRevision)
            .where(PostRevision.post_id == post.id)
        )
        or 0
    )


#: The post as it is now, in a comparison.
CURRENT = "current"


@dataclass(frozen=True)
class Comparison:
    """Two versions of a post side by side, and its revisions, newest first."""

    revisions: list[PostRevision]
    old: Version
    new: Version
    changes: list[Change]

    @property
    def one_version(self) -> bool:
        """The same version on both sides: its text is shown as it is."""
        return self.old == self.new

    @property
    def restorable(self) -> bool:
        """The newer side is a revision whose text differs from the post's."""
        return self.new.revision is not None and not self.new.is_current_text


def comparison(actor: User, post: Post, old: str = "", new: str = "") -> Comparison:
    """Compare two versions of ``post``, each a revision's id or
    :data:`CURRENT`; by default what the latest save changed.

    :raises PermissionDenied: the actor may not edit this post.
    :raises LookupError: ``old`` or ``new`` is not a revision of this post.
    """
    saved = history(actor, post)
    by_id = {str(revision.id): revision for revision in saved}
    default_new = str(saved[0].id) if saved else CURRENT
    default_old = str(saved[1].id) if len(saved) > 1 else default_new
    now = current_version(post)

    def version(chosen: str) -> Version:
        if chosen == CURRENT:
            return now
        if chosen not in by_id:
            raise LookupError(chosen)
        kept = version_of(by_id[chosen])
        same = (kept.title, kept.body, kept.content) == (
            now.title,
            now.body,
            now.content,
        )
        return replace(kept, is_current_text=same)

    old_version, new_version = version(old or default_old), version(new or default_new)
    whole = old_version == new_version
    return Comparison(
        saved,
        old_version,
        new_version,
        compare(old_version, new_version, post.kind, whole=whole),
    )


def compare(
    old: Version, new: Version, kind: PostKind, *, whole: bool = False
) -> list[Change]:
    """The fields that differ from ``old`` to ``new``, word by word; the
    title and the body always, changed or not.

    :param whole: keep every unchanged line (to show one version's text).
    """
    pairs = list(zip(_labelled(old, kind), _labelled(new, kind), strict=True))
    changes = []
    for (label, before), (_, after) in pairs:
        short = whole or label != "Body"  # short fields: no folding
        change = Change(label, text_diff(before, after, context=None if short else 2))
        if label in ("Title", "Body") or change.changed:
            changes.append(change)
    return changes


def _labelled(version: Version, kind: PostKind) -> list[tuple[str, str]]:
    content = version.content
    fields = [
        ("Title", version.title),
        ("Body", version.body),
        ("Slug", str(content.get("slug", ""))),
        ("Excerpt", str(content.get("excerpt", ""))),
        ("Categories", ", ".join(content.get("categories", []))),
        ("Tags", ", ".join(content.get("tags", []))),
        ("Status", str(content.get("status", "")).capitalize()),
    ]
    details = _DETAILS.get(kind)
    if details is not None:
        fields += details.describe(content.get("details") or {})
    return fields


def restore_revision(
    actor: User, post: Post, revision: PostRevision, *, zone: tzinfo
) -> PostRevision:
    """Put the revision's fields back on the post, Markdown rendered again,
    and keep that as a new revision with a note (commits). The status, the
    dates, the featured image and the comments switch stay as they are:
    restoring never publishes or unpublishes.

    :param zone: the site's time zone, for the note's date.
    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: the revision's fields are refused today (nothing is
        written); :class:`~blog.posts.locking.EditConflict` when another save
        won a race with this one.
    """
    require(can_edit_post(actor, post) and revision.post_id == post.id)
    content = revision.content
    data = PostInput(
        title=revision.title,
        body=revision.body_source,
        slug=str(content.get("slug") or ""),
        excerpt=str(content.get("excerpt") or ""),
        categories=", ".join(content.get("categories", [])),
        tags=", ".join(content.get("tags", [])),
        comments_open=post.comments_open,
    )
    when = dates.local_datetime(revision.created_at, zone)
    by = f" by {revision.author.display_name}" if revision.author else ""
    try:
        with db.session.no_autoflush:
            apply_input(post, data)
            details = _DETAILS.get(post.kind)
            if details is not None and "details" in content:
                details.restore(post, content["details"])
        restored = record_revision(
            actor, post, note=f"Restored from the revision of {when}{by}"
        )
        with conflict_if_stale(actor, post):
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    assert restored is not None  # a note always makes a revision
    return restored
