"""The dashboard's lists of posts: what each person manages, filtered by the
list's tabs (All, Published, Scheduled, Drafts, Pending, Trash), counted in
one query (up to a cap: :mod:`blog.paging`), and the dashboard home's panels.

"Published" means what readers can see now and "Scheduled" what they will
see at its date (:meth:`blog.models.Post.visible_at` splits them), so a
scheduled post is never counted or listed as published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import lazyload

from blog import search as full_text
from blog.extensions import db
from blog.models import Post, PostKind, PostStatus, Taxonomy, Term, User, utcnow
from blog.paging import COUNT_CAP, capped, count_up_to
from blog.posts.permissions import can_see_all_posts

#: The lists' tabs, in order: the ``status`` argument and its label.
TABS = (
    ("", "All"),
    ("published", "Published"),
    ("scheduled", "Scheduled"),
    ("draft", "Drafts"),
    ("pending", "Pending"),
    ("trash", "Trash"),
)
#: The kinds the dashboard home sums up.
HOME_KINDS = (PostKind.ARTICLE, PostKind.EVENT)


def in_tab(status: str, now: datetime) -> ColumnElement[bool]:
    """The posts under a list's tab at ``now`` (``""``: All, which leaves
    out the trash, as WordPress does). An unknown status finds nothing."""
    if status == "published":
        return Post.visible_at(now)
    if status == "scheduled":
        return and_(
            Post.status == PostStatus.PUBLISHED,
            or_(Post.published_at.is_(None), Post.published_at > now),
        )
    if status == "":
        return Post.status != PostStatus.TRASH
    if status in {s.value for s in PostStatus}:
        return Post.status == status
    return Post.id.is_(None)


def managed(
    actor: User, kinds: Iterable[PostKind] = (PostKind.ARTICLE,)
) -> Select[Post]:
    """Every post of ``kinds`` the actor manages: contributors and authors
    their own, editors and admins all."""
    query = select(Post).where(Post.kind.in_(list(kinds)))
    if not can_see_all_posts(actor):
        query = query.where(Post.author_id == actor.id)
    return query


def dashboard_posts(
    actor: User,
    *,
    kind: PostKind = PostKind.ARTICLE,
    status: str = "",
    author_id: int | None = None,
    category_id: int | None = None,
    search: str = "",
    now: datetime | None = None,
) -> Select[Post]:
    """The posts an actor manages under a tab (see :func:`in_tab`), filtered,
    most recently changed first."""
    query = managed(actor, [kind]).where(in_tab(status, now or utcnow()))
    if author_id and can_see_all_posts(actor):
        query = query.where(Post.author_id == author_id)
    if category_id:
        query = query.where(Post.has_term(Term.id == category_id))
    if search.strip():  # the search index: title, text, terms; any status
        query = query.where(full_text.matching(full_text.parse(search)))
    return query.order_by(Post.updated_at.desc(), Post.id.desc())


def _tab_counts(
    posts: Select[Post], now: datetime, cap: int
) -> list[ColumnElement[int]]:
    """One capped count per tab of ``posts`` (see :func:`blog.paging.count_up_to`)."""
    keys = posts.with_only_columns(Post.id)
    counts = []
    for status, _ in TABS:
        if status == "scheduled":  # two index ranges: a date to come, or none
            published = keys.where(Post.status == PostStatus.PUBLISHED)
            counts.append(
                count_up_to(published.where(Post.published_at > now), cap)
                + count_up_to(published.where(Post.published_at.is_(None)), cap)
            )
        else:
            counts.append(count_up_to(keys.where(in_tab(status, now)), cap))
    return counts


def _as_counts(row: Iterable[int | None], cap: int) -> dict[str, int]:
    return {
        status or "all": capped(n, cap)
        for (status, _), n in zip(TABS, row, strict=True)
    }


def status_counts(
    actor: User,
    kind: PostKind = PostKind.ARTICLE,
    now: datetime | None = None,
    cap: int = COUNT_CAP,
) -> dict[str, int]:
    """How many posts the actor manages under each tab, keyed ``all``,
    ``published``, ``scheduled``, ``draft``, ``pending``, ``trash`` (one
    query), each counted up to ``cap``: beyond, an
    :class:`~blog.paging.AtLeast` ("1,000+"), so that a site with 100,000
    posts does not count them all on every page of the dashboard."""
    counts = _tab_counts(managed(actor, [kind]), now or utcnow(), cap)
    return _as_counts(db.session.execute(select(*counts)).one(), cap)


def counts_by_kind(
    actor: User,
    kinds: Iterable[PostKind] = HOME_KINDS,
    now: datetime | None = None,
    cap: int = COUNT_CAP,
) -> dict[str, dict[str, int]]:
    """:func:`status_counts` for several kinds at once (one query), keyed by kind."""
    kinds = list(kinds)
    now = now or utcnow()
    counts = [_tab_counts(managed(actor, [kind]), now, cap) for kind in kinds]
    row = list(db.session.execute(select(*(c for tabs in counts for c in tabs))).one())
    return {
        kind.value: _as_counts(row[n * len(TABS) : (n + 1) * len(TABS)], cap)
        for n, kind in enumerate(kinds)
    }


def _light(query: Select[Post], limit: int) -> list[Post]:
    """Titles and dates only: no terms loaded."""
    return list(db.session.scalars(query.options(lazyload(Post.terms)).limit(limit)))


def recent_drafts(actor: User, limit: int = 5) -> list[Post]:
    """The actor's own most recently changed drafts (articles and events),
    for the dashboard home's "Your recent drafts" (one query)."""
    query = (
        select(Post)
        .where(
            Post.kind.in_(HOME_KINDS),
            Post.author_id == actor.id,
            Post.status == PostStatus.DRAFT,
        )
        .order_by(Post.updated_at.desc(), Post.id.desc())
    )
    return _light(query, limit)


@dataclass(frozen=True)
class Activity:
    """The dashboard home's "Recent activity": what the actor manages."""

    #: Scheduled posts, soonest first.
    publishing_soon: list[Post]
    #: Published posts readers can see, newest first.
    recently_published: list[Post]


def activity(actor: User, limit: int = 5, now: datetime | None = None) -> Activity:
    """Soon-to-publish and recently published articles and events (two queries)."""
    now = now or utcnow()
    posts = managed(actor, HOME_KINDS)
    soon = posts.where(in_tab("scheduled", now)).order_by(
        Post.published_at.asc(), Post.id.asc()
    )
    recent = posts.where(in_tab("published", now)).order_by(
        Post.published_at.desc(), Post.id.desc()
    )
    return Activity(_light(soon, limit), _light(recent, limit))


@dataclass(frozen=True)
class FilterChoices:
    """What the posts list's Author and Category filters offer: (id, name)."""

    authors: list[tuple[int, str]]
    categories: list[tuple[int, str]]


def filter_choices() -> FilterChoices:
    """Every author and every category, by name (two queries)."""
    authors = db.session.execute(
        select(User.id, User.display_name).order_by(User.display_name)
    )
    categories = db.session.execute(
        select(Term.id, Term.name)
        .where(Term.taxonomy == Taxonomy.CATEGORY)
        .order_by(Term.name)
    )
    return FilterChoices(list(authors), list(categories))
