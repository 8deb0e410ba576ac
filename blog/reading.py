"""What readers see: queries for the home page, archives and article pages.

Each function returns a ``select()`` for the view to paginate, or the one
object a page shows. Relationships are loaded eagerly (author joined, terms
in one ``selectin`` query), so a page's query count does not grow with the
number of posts, tags or categories on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import lazyload

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


def visible(
    kind: str = PostKind.ARTICLE, now: datetime | None = None
) -> Select[tuple[Post]]:
    """Published posts of ``kind`` whose date has come, newest first."""
    now = now or utcnow()
    return (
        select(Post)
        .where(
            Post.kind == kind,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= now,
        )
        .order_by(Post.published_at.desc(), Post.id.desc())
    )


def in_term(term: Term) -> Select[tuple[Post]]:
    return visible().where(
        Post.id.in_(select(post_terms.c.post_id).where(post_terms.c.term_id == term.id))
    )


def by_author(author: User) -> Select[tuple[Post]]:
    return visible().where(Post.author_id == author.id)


def in_period(
    zone: ZoneInfo, year: int, month: int | None = None
) -> Select[tuple[Post]]:
    """Posts dated within a year or month of the site's calendar."""
    start, end = period_bounds(zone, year, month)
    return visible().where(Post.published_at >= start, Post.published_at < end)


def period_bounds(
    zone: ZoneInfo, year: int, month: int | None
) -> tuple[datetime, datetime]:
    """The UTC instants where a local year or month starts and ends."""
    if month is None:
        start, end = (
            datetime(year, 1, 1, tzinfo=zone),
            datetime(year + 1, 1, 1, tzinfo=zone),
        )
    else:
        start = datetime(year, month, 1, tzinfo=zone)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def get_term(taxonomy: str, slug: str) -> Term | None:
    """The term with ``slug``, if a visible post (article or event) carries it.

    A term typed into a draft has no public page: its name is unpublished too.
    """
    used = (
        select(post_terms.c.post_id)
        .join(Post, Post.id == post_terms.c.post_id)
        .where(
            post_terms.c.term_id == Term.id,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= utcnow(),
        )
        .exists()
    )
    return db.session.scalar(
        select(Term).where(Term.taxonomy == taxonomy, Term.slug == slug, used)
    )


def get_author(slug: str) -> User | None:
    """The user with ``slug``, if readers can see an article of theirs.

    Staff who never published (or only have drafts) have no public page.
    """
    published = visible().where(Post.author_id == User.id).order_by(None).exists()
    return db.session.scalar(select(User).where(User.slug == slug, published))


def get_visible_post(kind: str, slug: str) -> Post | None:
    return db.session.scalar(visible(kind).where(Post.slug == slug))


def redirected_post(kind: str, old_slug: str) -> Post | None:
    """The visible post that once had ``old_slug``, if any."""
    return db.session.scalar(
        visible(kind)
        .join(SlugRedirect, SlugRedirect.post_id == Post.id)
        .where(SlugRedirect.kind == kind, SlugRedirect.old_slug == old_slug)
    )


@dataclass(frozen=True)
class Neighbours:
    previous: Post | None
    next: Post | None


def neighbours(post: Post) -> Neighbours:
    """The articles published just before and just after ``post``."""
    assert post.published_at is not None
    base = (
        select(Post)
        .options(lazyload(Post.terms))  # only the title and address are shown
        .where(
            Post.kind == post.kind,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= utcnow(),
            Post.id != post.id,
        )
    )
    before = and_(
        Post.published_at <= post.published_at,
        (Post.published_at < post.published_at) | (Post.id < post.id),
    )
    after = and_(
        Post.published_at >= post.published_at,
        (Post.published_at > post.published_at) | (Post.id > post.id),
    )
    previous = db.session.scalar(
        base.where(before).order_by(Post.published_at.desc(), Post.id.desc()).limit(1)
    )
    following = db.session.scalar(
        base.where(after).order_by(Post.published_at.asc(), Post.id.asc()).limit(1)
    )
    return Neighbours(previous, following)


def navigation_categories() -> list[Term]:
    """Categories that hold at least one visible article, for the site menu."""
    visible_ids = visible().with_only_columns(Post.id).order_by(None)
    return list(
        db.session.scalars(
            select(Term)
            .where(
                Term.taxonomy == Taxonomy.CATEGORY,
                Term.id.in_(
                    select(post_terms.c.term_id).where(
                        post_terms.c.post_id.in_(visible_ids)
                    )
                ),
            )
            .order_by(Term.name)
        )
    )


def count(query: Select) -> int:
    return db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )
