"""Writing and listing events.

An event is a post of kind ``event``: :func:`save_event` reuses the article
editor's rules for title, slug, body and categories (``publishing``) and adds
the date, place, people, sponsors, audiences, units and featured image.
The editor gives local dates and times in the event's own zone; they are
stored in UTC. Upcoming and past listings switch over at an event's *end*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from blog import publishing
from blog.extensions import db
from blog.featured_images import ImageInput, apply_featured_image, check_image_input
from blog.models import (
    Event,
    EventPerson,
    EventSponsor,
    EventStatus,
    PersonRole,
    Post,
    PostKind,
    PostStatus,
    Taxonomy,
    Term,
    User,
    utcnow,
)
from blog.models.term import post_terms
from blog.permissions import can_edit_post, require
from blog.publishing import PostError, PostInput
from blog.slugs import slugify
from blog.taxonomy import parse_names, resolve_terms

MAX_ROWS = 30
#: Addresses under /events/ that an event's slug must not shadow.
RESERVED_SLUGS = frozenset({"past"})


@dataclass
class PersonInput:
    name: str
    affiliation: str = ""
    url: str = ""
    role: str = PersonRole.SPEAKER


@dataclass
class SponsorInput:
    name: str
    url: str = ""


@dataclass
class EventInput:
    """What the event editor submits, as plain data.

    Dates and times are local to ``timezone`` (an IANA name). Without an end
    the event lasts an hour (or, all day, one day).
    """

    post: PostInput
    start_date: date | None
    timezone: str
    start_time: time | None = None
    end_date: date | None = None
    end_time: time | None = None
    all_day: bool = False
    venue_name: str = ""
    venue_address: str = ""
    room: str = ""
    online_url: str = ""
    status: str = EventStatus.SCHEDULED
    registration_url: str = ""
    cost: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    accommodations_deadline: date | None = None
    people: list[PersonInput] = field(default_factory=list)
    sponsors: list[SponsorInput] = field(default_factory=list)
    audiences: str = ""
    units: str = ""
    image: ImageInput = field(default_factory=ImageInput)


def event_times(data: EventInput) -> tuple[datetime, datetime]:
    """The UTC start and (exclusive) end of what the editor typed.

    :raises PostError: unknown zone, missing time, or an end before the start.
    """
    if data.timezone not in available_timezones():
        raise PostError("Choose a time zone such as America/New_York.", "timezone")
    if data.start_date is None:
        raise PostError("Give the date the event starts.", "start_date")
    zone = ZoneInfo(data.timezone)
    end_date = data.end_date or data.start_date
    if data.all_day:
        start = datetime.combine(data.start_date, time(0), zone)
        end = datetime.combine(end_date + timedelta(days=1), time(0), zone)
    else:
        if data.start_time is None:
            raise PostError("Give a start time, or tick All day.", "start_time")
        start = datetime.combine(data.start_date, data.start_time, zone)
        if data.end_time is None:
            end = (start.astimezone(ZoneInfo("UTC")) + timedelta(hours=1)).astimezone(
                zone
            )
        else:
            end = datetime.combine(end_date, data.end_time, zone)
    start, end = _utc(start), _utc(end)
    if end <= start:
        field_name = "end_date" if data.all_day else "end_time"
        raise PostError("The event must end after it starts.", field_name)
    return start, end


def _utc(value: datetime) -> datetime:
    # A wall time skipped by a DST change is read with the offset before it.
    return value.astimezone(ZoneInfo("UTC"))


def _check_url(value: str, field_name: str) -> str:
    value = value.strip()
    if value and not value.lower().startswith(("http://", "https://")):
        raise PostError("Give a full address starting with https://", field_name)
    if len(value) > 500:
        raise PostError("Keep the address under 500 characters.", field_name)
    return value


def _clean(value: str, limit: int, field_name: str) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise PostError(f"Keep this under {limit} characters.", field_name)
    return value


def validate_event(data: EventInput) -> tuple[datetime, datetime]:
    """Check everything an event adds to a post; nothing is written.

    :raises PostError: with the field at fault.
    """
    starts_at, ends_at = event_times(data)
    if data.status not in set(EventStatus):
        raise PostError("Choose a status.", "status")
    _check_url(data.online_url, "online_url")
    _check_url(data.registration_url, "registration_url")
    email = data.contact_email.strip()
    if email and ("@" not in email or " " in email or len(email) > 254):
        raise PostError("Give an email address like name@example.org.", "contact_email")
    if len(data.people) > MAX_ROWS or len(data.sponsors) > MAX_ROWS:
        raise PostError(f"At most {MAX_ROWS} rows.", "people")
    for person in data.people:
        if person.role not in set(PersonRole):
            raise PostError("Choose speaker, moderator or host.", "people")
        _check_url(person.url, "people")
    for sponsor in data.sponsors:
        _check_url(sponsor.url, "sponsors")
    return starts_at, ends_at


def save_event(
    actor: User,
    data: EventInput,
    post: Post | None = None,
    *,
    publish: bool = False,
    folder: Path | None = None,
) -> Post:
    """Create or update an event, then commit.

    Publishing follows the articles' rules (contributors submit for review).
    Every save adds one to the event's ``sequence``, so calendar programs
    that imported the .ics file take the new version.

    :param folder: where an uploaded featured image is stored.
    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid; nothing is written.
    """
    if post is None:
        post = Post(kind=PostKind.EVENT, author=actor, author_id=actor.id)
    else:
        require(can_edit_post(actor, post) and post.kind == PostKind.EVENT)
    starts_at, ends_at = validate_event(data)
    check_image_input(post, data.image)
    post_input = data.post
    wanted = slugify(post_input.slug.strip() or post_input.title)
    if wanted in RESERVED_SLUGS:
        post_input = replace(post_input, slug=f"{wanted}-event")
    with db.session.no_autoflush:
        publishing.apply_input(post, post_input)
        post.terms = (
            list(post.terms)
            + resolve_terms(Taxonomy.AUDIENCE, parse_names(data.audiences))
            + resolve_terms(Taxonomy.UNIT, parse_names(data.units))
        )
        event = post.event if post.event is not None else Event(sequence=-1)
        post.event = event
        _apply_event(event, data, starts_at, ends_at)
        apply_featured_image(post, data.image, folder=folder, uploader=actor)
    db.session.add(post)
    publishing.apply_status(
        actor, post, publish=publish, publish_at=data.post.publish_at
    )
    db.session.commit()
    return post


def preview_event(actor: User, data: EventInput, post: Post | None = None) -> Post:
    """An unsaved event as readers would see it; nothing is written.

    The image shown is the saved one: a new upload appears once saved.

    :raises PostError: a field is invalid.
    """
    starts_at, ends_at = validate_event(data)
    preview = publishing.preview_post(actor, data.post, post)
    preview.kind = PostKind.EVENT
    with db.session.no_autoflush:
        preview.terms = (
            list(preview.terms)
            + resolve_terms(
                Taxonomy.AUDIENCE, parse_names(data.audiences), create=False
            )
            + resolve_terms(Taxonomy.UNIT, parse_names(data.units), create=False)
        )
    event = Event(sequence=-1)
    _apply_event(event, data, starts_at, ends_at)
    preview.event = event
    if post is not None:
        preview.featured_image = post.featured_image
        preview.featured_image_alt = post.featured_image_alt
        preview.featured_image_caption = post.featured_image_caption
    return preview


def _apply_event(
    event: Event, data: EventInput, starts_at: datetime, ends_at: datetime
) -> None:
    event.starts_at = starts_at
    event.ends_at = ends_at
    event.timezone = data.timezone
    event.all_day = data.all_day
    event.venue_name = _clean(data.venue_name, 200, "venue_name")
    event.venue_address = _clean(data.venue_address, 500, "venue_address")
    event.room = _clean(data.room, 200, "room")
    event.online_url = data.online_url.strip()
    event.status = data.status
    event.registration_url = data.registration_url.strip()
    event.cost = _clean(data.cost, 100, "cost")
    event.contact_name = _clean(data.contact_name, 100, "contact_name")
    event.contact_email = data.contact_email.strip()
    event.contact_phone = _clean(data.contact_phone, 50, "contact_phone")
    event.accommodations_deadline = data.accommodations_deadline
    event.people = [
        EventPerson(
            role=person.role,
            name=_clean(person.name, 200, "people"),
            affiliation=_clean(person.affiliation, 200, "people"),
            url=person.url.strip(),
            position=index,
        )
        for index, person in enumerate(p for p in data.people if p.name.strip())
    ]
    event.sponsors = [
        EventSponsor(
            name=_clean(sponsor.name, 200, "sponsors"),
            url=sponsor.url.strip(),
            position=index,
        )
        for index, sponsor in enumerate(s for s in data.sponsors if s.name.strip())
    ]
    event.sequence += 1  # a new event starts at -1, so its first version is 0


# Reading ------------------------------------------------------------------


def _published(now: datetime) -> Select[tuple[Post]]:
    """Visible events with their details; people and sponsors come in one query each."""
    return (
        select(Post)
        .join(Event, Event.post_id == Post.id)
        .options(contains_eager(Post.event))
        .where(
            Post.kind == PostKind.EVENT,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= now,
        )
    )


def _in_term(query: Select, taxonomy: str, slug: str | None) -> Select:
    if not slug:
        return query
    return query.where(
        Post.id.in_(
            select(post_terms.c.post_id)
            .join(Term, Term.id == post_terms.c.term_id)
            .where(Term.taxonomy == taxonomy, Term.slug == slug)
        )
    )


def upcoming(
    now: datetime | None = None,
    *,
    category: str | None = None,
    audience: str | None = None,
) -> Select[tuple[Post]]:
    """Events that have not ended at ``now``, soonest first."""
    now = now or utcnow()
    query = _published(now).where(Event.ends_at > now)
    query = _in_term(query, Taxonomy.CATEGORY, category)
    query = _in_term(query, Taxonomy.AUDIENCE, audience)
    return query.order_by(Event.starts_at.asc(), Post.id.asc())


def past(
    now: datetime | None = None,
    *,
    category: str | None = None,
    audience: str | None = None,
) -> Select[tuple[Post]]:
    """Events that have ended by ``now``, newest first."""
    now = now or utcnow()
    query = _published(now).where(Event.ends_at <= now)
    query = _in_term(query, Taxonomy.CATEGORY, category)
    query = _in_term(query, Taxonomy.AUDIENCE, audience)
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


def get_visible_event(slug: str, now: datetime | None = None) -> Post | None:
    return db.session.scalar(_published(now or utcnow()).where(Post.slug == slug))


def filter_terms() -> dict[str, list[Term]]:
    """Categories and audiences used by visible events, for the listing's filters."""
    used = _published(utcnow()).with_only_columns(Post.id).order_by(None)
    terms = db.session.scalars(
        select(Term)
        .where(
            Term.taxonomy.in_([Taxonomy.CATEGORY, Taxonomy.AUDIENCE]),
            Term.id.in_(
                select(post_terms.c.term_id).where(post_terms.c.post_id.in_(used))
            ),
        )
        .order_by(Term.name)
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
        local = post.event.local_start
        label = f"{local:%B} {local.year}"
        if groups and groups[-1].label == label:
            groups[-1].posts.append(post)
        else:
            groups.append(MonthGroup(label, [post]))
    return groups


def dashboard_events(actor: User, *, status: str = "") -> Select[tuple[Post]]:
    """The events an actor manages (see :func:`publishing.dashboard_posts`)."""
    query = publishing.dashboard_posts(actor, kind=PostKind.EVENT, status=status)
    return query.options(
        selectinload(Post.event).options(
            lazyload(Event.people), lazyload(Event.sponsors)
        )
    )
