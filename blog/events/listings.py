"""What readers see of events: upcoming and past listings, the home page's
summary, the listing's filters, and the dashboard's list.

Upcoming and past switch over at an event's *end*. Visibility is the posts'
one rule (:func:`blog.posts.reading.visible`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from blog import dates
from blog.events.when import local_span
from blog.extensions import db
from blog.models import Event, Post, PostKind, Taxonomy, Term, User, utcnow
from blog.posts.listing import dashboard_posts
from blog.posts.reading import visible, visible_ids
from blog.posts.taxonomy import terms_used_by


def _published(now: datetime) -> Select[Post]:
    """Visible events with their details; people and sponsors come in one query each."""
    return (
        visible(PostKind.EVENT, now)
        .order_by(None)
        .join(Event, Event.post_id == Post.id)
        .options(contains_eager(Post.event))
    )


def _filtered(
    query: Select[Post], category: str | None, audience: str | None
) -> Select[Post]:
    """Only events in the category and open to the audience (slugs) given."""
    chosen = ((Taxonomy.CATEGORY, category), (Taxonomy.AUDIENCE, audience))
    for taxonomy, slug in chosen:
        if slug:
            query = query.where(
                Post.has_term(Term.taxonomy == taxonomy, Term.slug == slug)
            )
    return query


def upcoming(
    now: datetime | None = None,
    *,
    category: str | None = None,
    audience: str | None = None,
) -> Select[Post]:
    """Events that have not ended at ``now``, soonest first."""
    now = now or utcnow()
    query = _filtered(_published(now).where(Event.ends_at > now), category, audience)
    return query.order_by(Event.starts_at.asc(), Post.id.asc())


def past(
    now: datetime | None = None,
    *,
    category: str | None = None,
    audience: str | None = None,
) -> Select[Post]:
    """Events that have ended by ``now``, newest first."""
    now = now or utcnow()
    query = _filtered(_published(now).where(Event.ends_at <= now), category, audience)
    return query.order_by(Event.starts_at.desc(), Post.id.desc())


def upcoming_summary(now: datetime | None = None, limit: int = 3) -> list[Post]:
    """The next few events, for the home page: one query, titles and dates only."""
    query = (
        upcoming(now)
        .options(
            lazyload(Post.terms),
            lazyload(Post.event, Event.people),
            lazyload(Post.event, Event.sponsors),
        )
        .limit(limit)
    )
    return list(db.session.scalars(query))


def upcoming_events(limit: int, category: str | None = None) -> list[Post]:
    """The next ``limit`` events (of one category, by slug, if given) with
    every detail, for calendar feeds."""
    return list(db.session.scalars(upcoming(category=category).limit(limit)))


def get_visible_event(slug: str, now: datetime | None = None) -> Post | None:
    return db.session.scalar(_published(now or utcnow()).where(Post.slug == slug))


def filter_terms() -> dict[str, list[Term]]:
    """Categories and audiences used by visible events, for the listing's filters."""
    terms = terms_used_by(
        visible_ids(PostKind.EVENT), [Taxonomy.CATEGORY, Taxonomy.AUDIENCE]
    )
    grouped: dict[str, list[Term]] = {"category": [], "audience": []}
    for term in terms:
        grouped[term.taxonomy].append(term)
    return grouped


@dataclass(frozen=True)
class MonthGroup:
    label: str
    posts: list[Post]


def group_by_month(posts: Iterable[Post]) -> list[MonthGroup]:
    """Consecutive events under "March 2024" headings, in each event's own zone."""
    groups: list[MonthGroup] = []
    for post in posts:
        assert post.event is not None
        label = dates.month(local_span(post.event)[0])
        if groups and groups[-1].label == label:
            groups[-1].posts.append(post)
        else:
            groups.append(MonthGroup(label, [post]))
    return groups


def dashboard_events(actor: User, *, status: str = "") -> Select[Post]:
    """The events an actor manages (see :func:`blog.posts.listing.dashboard_posts`)."""
    query = dashboard_posts(actor, kind=PostKind.EVENT, status=status)
    return query.options(
        selectinload(Post.event).options(
            lazyload(Event.people), lazyload(Event.sponsors)
        )
    )
