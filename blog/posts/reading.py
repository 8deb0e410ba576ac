"""What readers see: the queries behind the home page, archives and article
pages.

Visibility is one rule, :meth:`blog.models.Post.visible_at`, used by every
query here and by the event listings. Each function returns a ``select()``
for the view to paginate, or the one object a page shows. Relationships are
loaded eagerly (author joined, terms in one ``selectin`` query), so a page's
query count does not grow with the number of posts, tags or categories on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import lazyload

from blog.extensions import db
from blog.models import Post, PostKind, SlugRedirect, Taxonomy, Term, User, utcnow
from blog.posts.taxonomy import carried_by, terms_used_by


def visible(
    kind: PostKind = PostKind.ARTICLE, now: datetime | None = None
) -> Select[Post]:
    """Posts of ``kind`` that readers may see at ``now``, newest first."""
    return (
        select(Post)
        .where(Post.kind == kind, Post.visible_at(now or utcnow()))
        .order_by(Post.published_at.desc(), Post.id.desc())
    )


def front_page(now: datetime | None = None) -> Select[Post]:
    """The home page's articles: sticky ones first ("Stick to the top of the
    blog"), newest first among them, then the rest by date. Ordering (rather
    than prepending) keeps every article on exactly one page of the pager."""
    return (
        visible(PostKind.ARTICLE, now)
        .order_by(None)
        .order_by(Post.sticky.desc(), Post.published_at.desc(), Post.id.desc())
    )


def visible_ids(kind: PostKind | None = None) -> Select[int]:
    """The ids of visible posts (of any kind by default), for subqueries."""
    query = select(Post.id).where(Post.visible_at(utcnow()))
    return query if kind is None else query.where(Post.kind == kind)


def in_term(term: Term) -> Select[Post]:
    return visible().where(Post.has_term(Term.id == term.id))


def by_author(author: User) -> Select[Post]:
    return visible().where(Post.author_id == author.id)


def in_period(zone: ZoneInfo, year: int, month: int | None = None) -> Select[Post]:
    """Posts dated within a year or month of the site's calendar."""
    start, end = period_bounds(zone, year, month)
    return visible().where(Post.published_at >= start, Post.published_at < end)


def period_bounds(
    zone: ZoneInfo, year: int, month: int | None
) -> tuple[datetime, datetime]:
    """The instants where a local year or month starts and ends."""
    if month is None:
        return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def get_term(taxonomy: Taxonomy, slug: str) -> Term | None:
    """The term with ``slug``, if a visible post (article or event) carries it.

    A term typed into a draft has no public page: its name is unpublished too.
    """
    return db.session.scalar(
        select(Term).where(
            Term.taxonomy == taxonomy, Term.slug == slug, carried_by(visible_ids())
        )
    )


def get_author(slug: str) -> User | None:
    """The user with ``slug``, if readers can see an article of theirs.

    Staff who never published (or only have drafts) have no public page.
    """
    published = visible().where(Post.author_id == User.id).order_by(None).exists()
    return db.session.scalar(select(User).where(User.slug == slug, published))


def get_visible_post(kind: PostKind, slug: str) -> Post | None:
    return db.session.scalar(visible(kind).where(Post.slug == slug))


def redirected_post(kind: PostKind, old_slug: str) -> Post | None:
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
    """The posts of the same kind published just before and just after ``post``."""
    assert post.published_at is not None
    base = (
        visible(post.kind)
        .order_by(None)
        .options(lazyload(Post.terms))  # only the title and address are shown
        .where(Post.id != post.id)
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
    return terms_used_by(visible_ids(PostKind.ARTICLE), [Taxonomy.CATEGORY])
