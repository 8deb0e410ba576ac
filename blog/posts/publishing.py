"""Saving posts and moving them between statuses: drafts, review,
publishing and scheduling, trash; and re-rendering after an upgrade.

Articles and events take the same path (:func:`save_post`); an event adds
its details through the ``details`` hook, inside the same transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from blog import rendering
from blog.errors import require
from blog.extensions import db
from blog.media import Uploads
from blog.models import Post, PostKind, PostStatus, User, utcnow
from blog.posts.autosave import discard_autosave
from blog.posts.editing import (
    PostError,
    PostInput,
    apply_featured_image,
    apply_input,
    check_image_input,
    render,
)
from blog.posts.locking import check_version, conflict_if_stale
from blog.posts.permissions import can_edit_post, can_make_sticky, can_publish
from blog.posts.revisions import record_revision

#: What an editor adds to a post beyond the article's fields (an event's date,
#: place and people); it may raise :class:`blog.posts.editing.PostError`.
Details = Callable[[Post], None]


class SaveAction(enum.StrEnum):
    """What the editor's button asks of :func:`save_post`.

    Only ``UNPUBLISH`` ("Switch to Draft", confirmed) takes a published post
    off the site: ``UPDATE`` and ``PUBLISH`` keep it published, and ``DRAFT``
    is refused for it, so no plain save can unpublish anything.
    """

    #: "Save Draft": a new post, a draft or a pending post becomes a draft.
    DRAFT = "draft"
    #: "Publish" or "Schedule" (a future date); "Submit for Review" for
    #: contributors, whose posts wait for an editor.
    PUBLISH = "publish"
    #: "Update" (published or scheduled) or "Save as Pending": save the
    #: changes, keep the status. A published post whose date moves to the
    #: future becomes scheduled.
    UPDATE = "update"
    #: "Switch to Draft": save the changes and take the post off the site.
    UNPUBLISH = "unpublish"


class Standing(enum.StrEnum):
    """Where a post stands, as the editor's buttons and the lists see it:
    the stored status, with published split at its date."""

    NEW = "new"
    DRAFT = "draft"
    PENDING = "pending"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    TRASH = "trash"

    @property
    def is_published(self) -> bool:
        """Published, live or scheduled: only "Switch to Draft" unpublishes it."""
        return self in (Standing.PUBLISHED, Standing.SCHEDULED)


def standing(post: Post | None, now: datetime | None = None) -> Standing:
    """Where ``post`` stands at ``now`` (``NEW`` for a post not yet saved)."""
    if post is None or post.status is None:
        return Standing.NEW
    if post.status == PostStatus.PUBLISHED:
        visible = post.is_visible(now or utcnow())
        return Standing.PUBLISHED if visible else Standing.SCHEDULED
    return Standing(post.status.value)


#: Why "Save Draft" is refused for a published post.
PUBLISHED_DRAFT_MESSAGE = (
    "This post is published: “Update” saves your changes and keeps it on the "
    "site; “Switch to Draft” takes it off the site."
)


def save_post(
    actor: User,
    data: PostInput,
    post: Post | None = None,
    *,
    action: SaveAction = SaveAction.UPDATE,
    kind: PostKind = PostKind.ARTICLE,
    uploads: Uploads | None = None,
    details: Details | None = None,
) -> Post:
    """Create or update a post with its featured image, then commit.

    ``action`` is the editor's button (see :class:`SaveAction`); the default
    saves the changes and keeps the status (a new post becomes a draft).

    :param uploads: where an uploaded featured image is stored.
    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid, or ``DRAFT`` was asked for a
        published post; nothing is written, and an image stored on the way
        is removed again.
    :raises EditConflict: (a ``PostError``) someone saved the post since
        ``data.base_version``, or while this save ran; nothing is written.
    """
    post = _editable(actor, post, kind)
    check_version(actor, post, data.base_version)
    check_image_input(post, data.image)
    stored = None
    try:
        with db.session.no_autoflush:
            apply_input(post, data)
            if details is not None:
                details(post)
            _apply_sticky(actor, post, data.sticky)
            stored = apply_featured_image(
                post, data.image, uploads=uploads, uploader=actor
            )
        db.session.add(post)
        apply_status(actor, post, action=action, publish_at=data.publish_at)
        record_revision(actor, post)
        discard_autosave(actor, kind, post)
        with conflict_if_stale(actor, post):
            db.session.commit()
    except Exception:
        db.session.rollback()
        if stored is not None and uploads is not None:
            uploads.remove(stored)
        raise
    return post


def _editable(actor: User, post: Post | None, kind: PostKind) -> Post:
    if post is None:
        return Post(kind=kind, author=actor, author_id=actor.id)
    require(can_edit_post(actor, post) and post.kind == kind)
    return post


def _apply_sticky(actor: User, post: Post, sticky: bool | None) -> None:
    """Apply "Stick to the top of the blog": articles only, set by editors;
    anyone else's save leaves it as it is."""
    if sticky is not None and post.kind == PostKind.ARTICLE and can_make_sticky(actor):
        post.sticky = sticky


def apply_status(
    actor: User, post: Post, *, action: SaveAction, publish_at: datetime | None
) -> None:
    """The status the editor's button gives ``post`` (see :class:`SaveAction`).

    Authors and above publish, scheduled when ``publish_at`` is in the
    future; contributors' posts wait for review. A published post keeps its
    date unless a new one is given; a post not yet published takes the date
    typed, or now when it is published without one.

    :raises PostError: ``DRAFT`` for a published post.
    """
    was_published = post.status == PostStatus.PUBLISHED
    if action is SaveAction.DRAFT and was_published:
        raise PostError(PUBLISHED_DRAFT_MESSAGE, "")
    if action is SaveAction.UPDATE:
        status = post.status or PostStatus.DRAFT
    elif action is SaveAction.PUBLISH:
        publishes = was_published or can_publish(actor, post)
        status = PostStatus.PUBLISHED if publishes else PostStatus.PENDING
    else:  # DRAFT, or UNPUBLISH: "Switch to Draft" was confirmed
        status = PostStatus.DRAFT
    post.status = status
    if status == PostStatus.PUBLISHED:
        kept = post.published_at if was_published else None
        post.published_at = publish_at or kept or utcnow()
    else:  # off the site: the date is whatever the editor typed
        post.published_at = publish_at


def preview_post(
    actor: User,
    data: PostInput,
    post: Post | None = None,
    *,
    kind: PostKind = PostKind.ARTICLE,
    details: Details | None = None,
) -> Post:
    """An unsaved copy of the post as readers would see it (nothing is written).

    The image shown is the saved one: a new upload appears once saved.

    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid.
    """
    if post is not None:
        require(can_edit_post(actor, post))
    preview = Post(
        kind=kind,
        author=post.author if post else actor,
        status=PostStatus.PUBLISHED,
        published_at=(post.published_at if post else None)
        or data.publish_at
        or utcnow(),
        slug=post.slug if post else "",
    )
    with db.session.no_autoflush:
        apply_input(preview, data, create_terms=False)
        if details is not None:
            details(preview)
    if post is not None:
        preview.featured_image = post.featured_image
        preview.featured_image_alt = post.featured_image_alt
        preview.featured_image_caption = post.featured_image_caption
    return preview


def trash_post(actor: User, post: Post) -> None:
    """Move to the trash (commits); :func:`restore_post` brings it back as a draft."""
    require(can_edit_post(actor, post))
    post.status = PostStatus.TRASH
    db.session.commit()


def restore_post(actor: User, post: Post) -> None:
    """Bring a trashed post back as a draft, as WordPress does (commits)."""
    require(can_edit_post(actor, post))
    if post.status == PostStatus.TRASH:
        post.status = PostStatus.DRAFT
    db.session.commit()


def delete_post(actor: User, post: Post) -> None:
    """Delete a trashed post for good (commits)."""
    require(can_edit_post(actor, post) and post.status == PostStatus.TRASH)
    db.session.delete(post)
    db.session.commit()


def rerender_stale_posts(batch: int = 200) -> tuple[int, list[int]]:
    """Re-render posts whose HTML came from an older renderer.

    A post whose source the current renderer refuses keeps its stored HTML,
    passed through today's sanitizer, so it stays safe; its id is returned
    so an editor can fix it. Commits per batch.

    :returns: how many posts were re-rendered, and the ids of refused ones.
    """
    stale_ids = list(
        db.session.scalars(
            select(Post.id)
            .where(Post.rendered_version != rendering.RENDERER_VERSION)
            .order_by(Post.id)
        )
    )
    refused: list[int] = []
    for start in range(0, len(stale_ids), batch):
        ids = stale_ids[start : start + batch]
        for post in db.session.scalars(select(Post).where(Post.id.in_(ids))):
            try:
                render(post)
            except rendering.ContentRejected:
                post.body_html = rendering.sanitize(post.body_html, "post")
                post.excerpt_html = rendering.sanitize(post.excerpt_html, "post")
                post.rendered_version = rendering.RENDERER_VERSION
                refused.append(post.id)
        db.session.commit()
    return len(stale_ids) - len(refused), refused
