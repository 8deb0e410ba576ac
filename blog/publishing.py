"""Writing posts: saving drafts, publishing, scheduling, trashing.

Markdown is rendered and sanitized here, once, when a post is saved; pages
show the stored HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from blog import rendering
from blog.extensions import db
from blog.models import (
    Post,
    PostKind,
    PostStatus,
    SlugRedirect,
    Taxonomy,
    Term,
    User,
    utcnow,
)
from blog.models.term import post_terms
from blog.permissions import can_edit_post, can_publish, can_see_all_posts, require
from blog.slugs import slugify, unique_slug
from blog.taxonomy import parse_names, resolve_terms


class PostError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class PostInput:
    """What the editor submits, as plain data."""

    title: str
    body: str
    slug: str = ""
    excerpt: str = ""
    categories: str = ""
    tags: str = ""
    comments_open: bool = True
    #: When to publish (UTC); ``None`` means now, or keep the current date.
    publish_at: datetime | None = None


def save_post(
    actor: User,
    data: PostInput,
    post: Post | None = None,
    *,
    publish: bool = False,
    kind: str = PostKind.ARTICLE,
) -> Post:
    """Create or update a post, then commit.

    ``publish`` is the editor's Publish button: authors and above publish
    (scheduled when ``publish_at`` is in the future), contributors submit
    for review. Without it the post is saved as a draft, which also takes a
    published post off the site.

    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid.
    """
    if post is None:
        post = Post(kind=kind, author=actor, author_id=actor.id)
    else:
        require(can_edit_post(actor, post))
    apply_input(post, data)
    db.session.add(post)
    apply_status(actor, post, publish=publish, publish_at=data.publish_at)
    db.session.commit()
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


def apply_input(post: Post, data: PostInput, *, create_terms: bool = True) -> None:
    """Copy the editor's fields onto ``post`` and render its Markdown."""
    title = " ".join(data.title.split())
    if not title:
        raise PostError("Give the post a title.", "title")
    if len(title) > 300:
        raise PostError("Keep the title under 300 characters.", "title")
    post.title = title
    _apply_slug(post, data.slug.strip() or title)
    post.body_source = data.body
    post.excerpt_source = data.excerpt.strip()
    render(post)
    post.comments_open = data.comments_open
    if data.publish_at is not None:
        post.published_at = data.publish_at
    post.terms = _terms(Taxonomy.CATEGORY, data.categories, create_terms) + _terms(
        Taxonomy.TAG, data.tags, create_terms
    )


def render(post: Post) -> None:
    """Store the sanitized HTML of the body and excerpt, with the renderer's version."""
    post.body_html = rendering.render_post(post.body_source)
    post.excerpt_html = (
        rendering.render_post(post.excerpt_source)
        if post.excerpt_source
        else rendering.excerpt_html(post.body_html)
    )
    post.rendered_version = rendering.RENDERER_VERSION


def _terms(taxonomy: str, text: str, create: bool) -> list[Term]:
    return resolve_terms(taxonomy, parse_names(text), create=create)


def _apply_slug(post: Post, wanted: str) -> None:
    """Set a unique slug; a published post's old slug keeps a 301."""
    base = slugify(wanted)
    if base == post.slug:
        return

    def taken(slug: str) -> bool:
        query = select(Post.id).where(Post.kind == post.kind, Post.slug == slug)
        if post.id is not None:
            query = query.where(Post.id != post.id)
        return db.session.scalar(query) is not None

    new_slug = unique_slug(base, taken)
    if post.slug and post.id is not None and post.status == PostStatus.PUBLISHED:
        db.session.add(
            SlugRedirect(kind=post.kind, old_slug=post.slug, post_id=post.id)
        )
    # An address that once redirected may be taken back by a post.
    stale = db.session.scalar(
        select(SlugRedirect).where(
            SlugRedirect.kind == post.kind, SlugRedirect.old_slug == new_slug
        )
    )
    if stale is not None:
        db.session.delete(stale)
    post.slug = new_slug


def preview_post(actor: User, data: PostInput, post: Post | None = None) -> Post:
    """An unsaved copy of the post as readers would see it (nothing is written)."""
    preview = Post(
        kind=post.kind if post else PostKind.ARTICLE,
        author=post.author if post else actor,
        status=PostStatus.PUBLISHED,
        published_at=(post.published_at if post else None)
        or data.publish_at
        or utcnow(),
        slug=post.slug if post else "",
    )
    if post is not None:
        require(can_edit_post(actor, post))
    with db.session.no_autoflush:
        apply_input(preview, data, create_terms=False)
    return preview


def trash_post(actor: User, post: Post) -> None:
    """Move to the trash (commits); :func:`restore_post` brings it back as a draft."""
    require(can_edit_post(actor, post))
    post.status = PostStatus.TRASH
    db.session.commit()


def restore_post(actor: User, post: Post) -> None:
    require(can_edit_post(actor, post))
    if post.status == PostStatus.TRASH:
        post.status = PostStatus.DRAFT  # as WordPress does: restored posts are drafts
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


def dashboard_posts(
    actor: User,
    *,
    kind: str = PostKind.ARTICLE,
    status: str = "",
    author_id: int | None = None,
    category_id: int | None = None,
    search: str = "",
) -> Select[tuple[Post]]:
    """The posts an actor manages, filtered, newest first.

    Contributors and authors see their own posts; editors and admins see all.
    Trashed posts show only when asked for.
    """
    query = select(Post).where(Post.kind == kind)
    if not can_see_all_posts(actor):
        query = query.where(Post.author_id == actor.id)
    elif author_id:
        query = query.where(Post.author_id == author_id)
    if status:
        query = query.where(Post.status == status)
    else:
        query = query.where(Post.status != PostStatus.TRASH)
    if category_id:
        query = query.where(
            Post.id.in_(
                select(post_terms.c.post_id).where(post_terms.c.term_id == category_id)
            )
        )
    if search.strip():
        escaped = (
            search.strip().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        )
        query = query.where(Post.title.ilike(f"%{escaped}%", escape="\\"))
    return query.order_by(Post.updated_at.desc(), Post.id.desc())


def status_counts(actor: User, kind: str = PostKind.ARTICLE) -> dict[str, int]:
    """How many of the actor's visible posts are in each status (one query)."""
    query = (
        select(Post.status, func.count()).where(Post.kind == kind).group_by(Post.status)
    )
    if not can_see_all_posts(actor):
        query = query.where(Post.author_id == actor.id)
    counts = {status.value: 0 for status in PostStatus}
    counts.update({status: n for status, n in db.session.execute(query)})
    return counts
