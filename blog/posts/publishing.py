"""Saving posts and moving them between statuses: drafts, review,
publishing and scheduling, trash; and re-rendering after an upgrade.

Articles and events take the same path (:func:`save_post`); an event adds
its details through the ``details`` hook, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from blog import rendering
from blog.errors import require
from blog.extensions import db
from blog.media import Uploads
from blog.models import Post, PostKind, PostStatus, User, utcnow
from blog.posts.editing import (
    PostInput,
    apply_featured_image,
    apply_input,
    check_image_input,
    render,
)
from blog.posts.permissions import can_edit_post, can_publish

#: What an editor adds to a post beyond the article's fields (an event's date,
#: place and people); it may raise :class:`blog.posts.editing.PostError`.
Details = Callable[[Post], None]


def save_post(
    actor: User,
    data: PostInput,
    post: Post | None = None,
    *,
    publish: bool = False,
    kind: PostKind = PostKind.ARTICLE,
    uploads: Uploads | None = None,
    details: Details | None = None,
) -> Post:
    """Create or update a post with its featured image, then commit.

    ``publish`` is the editor's Publish button: authors and above publish
    (scheduled when ``publish_at`` is in the future), contributors submit
    for review. Without it the post is saved as a draft, which also takes a
    published post off the site.

    :param uploads: where an uploaded featured image is stored.
    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid; nothing is written, and an image
        stored on the way is removed again.
    """
    post = _editable(actor, post, kind)
    check_image_input(post, data.image)
    stored = None
    try:
        with db.session.no_autoflush:
            apply_input(post, data)
            if details is not None:
                details(post)
            stored = apply_featured_image(
                post, data.image, uploads=uploads, uploader=actor
            )
        db.session.add(post)
        apply_status(actor, post, publish=publish, publish_at=data.publish_at)
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


def apply_status(
    actor: User, post: Post, *, publish: bool, publish_at: datetime | None
) -> None:
    """The editor's buttons: Publish (or submit for review) and Save Draft.

    Authors and above publish, scheduled when ``publish_at`` is in the
    future; contributors' posts wait for review; a draft leaves the site.
    """
    if not publish:
        post.status = PostStatus.DRAFT
    elif can_publish(actor, post):
        post.published_at = publish_at or post.published_at or utcnow()
        post.status = PostStatus.PUBLISHED
    else:
        post.status = PostStatus.PENDING


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
