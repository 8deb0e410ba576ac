"""Events: the date, place, people and contacts of a post of kind ``event``.

An :class:`Event` row holds what an event adds to its :class:`Post` (one to
one, sharing the post's id). Times are stored in UTC; ``timezone`` names the
zone the event happens in, where it is shown and edited.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, value_enum
from blog.models.post import Post
from blog.models.term import Taxonomy, Term


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    MOVED_ONLINE = "moved_online"

    @property
    def label(self) -> str:
        return {
            "scheduled": "Scheduled",
            "cancelled": "Cancelled",
            "postponed": "Postponed",
            "moved_online": "Moved online",
        }[self.value]


class Repeat(enum.StrEnum):
    """How often an event happens again (RFC 5545's FREQ)."""

    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class MonthlyBy(enum.StrEnum):
    """Which day of each month a monthly event falls on, from its first date."""

    DAY_OF_MONTH = "day"  # the 14th
    NTH_WEEKDAY = "nth_weekday"  # the second Thursday
    LAST_WEEKDAY = "last_weekday"  # the last Thursday


class OccurrenceChange(enum.StrEnum):
    """What became of one date of a repeating event."""

    SKIPPED = "skipped"  # no event that day (EXDATE); not listed
    CANCELLED = "cancelled"  # listed as cancelled (an override, STATUS:CANCELLED)
    MOVED = "moved"  # another date or time (an override with RECURRENCE-ID)


class PersonRole(enum.StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    HOST = "host"


class Event(Model):
    __tablename__ = "events"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: Exclusive: for all-day events, midnight after the last day.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    all_day: Mapped[bool] = mapped_column(default=False)
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(500), default="")
    room: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[EventStatus] = mapped_column(
        value_enum(EventStatus), default=EventStatus.SCHEDULED
    )
    registration_url: Mapped[str] = mapped_column(String(500), default="")
    cost: Mapped[str] = mapped_column(String(100), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    accommodations_deadline: Mapped[date | None] = mapped_column(Date)
    #: Grows on every change, so calendar programs replace their copy (ICS).
    sequence: Mapped[int] = mapped_column(default=0)
    #: The reusable venue and organiser picked in the editor. The venue's
    #: name and address are copied into ``venue_name`` and ``venue_address``
    #: (and kept in step when the venue is edited), so calendars, search and
    #: exports read the event alone.
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), index=True
    )
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisers.id", ondelete="SET NULL"), index=True
    )
    #: Repetition, as the editor gives it; ``starts_at``/``ends_at`` are the
    #: first occurrence. See :mod:`blog.events.recurrence`.
    repeat: Mapped[Repeat] = mapped_column(value_enum(Repeat), default=Repeat.NONE)
    repeat_interval: Mapped[int] = mapped_column(default=1)
    #: Weekly: RFC 5545 day names, ``"TU,TH"``; empty means the first date's day.
    repeat_weekdays: Mapped[str] = mapped_column(String(30), default="")
    repeat_monthly_by: Mapped[MonthlyBy] = mapped_column(
        value_enum(MonthlyBy), default=MonthlyBy.DAY_OF_MONTH
    )
    #: The last local date an occurrence may start on (inclusive).
    repeat_until: Mapped[date | None] = mapped_column(Date)
    repeat_count: Mapped[int | None] = mapped_column()
    #: When the last occurrence ends (``ends_at`` for a one-off event); NULL
    #: for a series without end. Listings filter on it.
    last_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    post: Mapped[Post] = relationship(back_populates="event")
    people: Mapped[list[EventPerson]] = relationship(
        order_by="EventPerson.position, EventPerson.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )
    sponsors: Mapped[list[EventSponsor]] = relationship(
        order_by="EventSponsor.position, EventSponsor.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )
    changes: Mapped[list[EventOccurrenceChange]] = relationship(
        order_by="EventOccurrenceChange.occurrence_date",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )
    venue: Mapped[Venue | None] = relationship(lazy="joined", innerjoin=False)
    organiser: Mapped[Organiser | None] = relationship(lazy="joined", innerjoin=False)

    @property
    def repeats(self) -> bool:
        # Before its first flush a new row's columns may still be unset (None).
        return self.repeat not in (None, Repeat.NONE)

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def is_scheduled(self) -> bool:
        return self.status == EventStatus.SCHEDULED

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) or self.status == EventStatus.MOVED_ONLINE

    @property
    def has_venue(self) -> bool:
        return bool(self.venue_name or self.venue_address or self.room)

    @property
    def speakers(self) -> list[EventPerson]:
        return [p for p in self.people if p.role == PersonRole.SPEAKER]

    @property
    def moderators(self) -> list[EventPerson]:
        return [p for p in self.people if p.role != PersonRole.SPEAKER]

    @property
    def audiences(self) -> list[Term]:
        return [t for t in self.post.terms if t.taxonomy == Taxonomy.AUDIENCE]

    @property
    def units(self) -> list[Term]:
        return [t for t in self.post.terms if t.taxonomy == Taxonomy.UNIT]

    def __repr__(self) -> str:
        return f"<Event {self.post_id} {self.starts_at:%Y-%m-%d}>"


class EventOccurrenceChange(Model):
    """One date of a repeating event skipped, cancelled or moved."""

    __tablename__ = "event_occurrence_changes"
    __table_args__ = (UniqueConstraint("event_id", "occurrence_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.post_id", ondelete="CASCADE"), index=True
    )
    #: The local date the rule gives the occurrence: its identity (the
    #: RECURRENCE-ID, and the date in its address), even once moved.
    occurrence_date: Mapped[date] = mapped_column(Date)
    change: Mapped[OccurrenceChange] = mapped_column(value_enum(OccurrenceChange))
    #: A moved occurrence's new start and (exclusive) end, in UTC.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Venue(Model):
    """A place events happen at, picked again and again in the editor."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The postal address in parts, as schema.org's PostalAddress has them.
    street_address: Mapped[str] = mapped_column(String(200), default="")
    locality: Mapped[str] = mapped_column(String(100), default="")  # city or town
    region: Mapped[str] = mapped_column(String(100), default="")  # state, county
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    #: The room an event gets when the editor names none.
    room: Mapped[str] = mapped_column(String(200), default="")
    #: A map of the editor's choosing; else an OpenStreetMap search of the address.
    map_url: Mapped[str] = mapped_column(String(500), default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")

    @property
    def address(self) -> str:
        """The address on one line, as events copy it into ``venue_address``."""
        town = " ".join(p for p in (self.locality, self.region, self.postal_code) if p)
        parts = (self.street_address, town, self.country)
        return ", ".join(part for part in parts if part)

    def __repr__(self) -> str:
        return f"<Venue {self.slug}>"


class Organiser(Model):
    """A person or body that organises events."""

    __tablename__ = "organisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    website: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<Organiser {self.slug}>"


class EventPerson(Model):
    """A speaker, moderator or host, shown in ``position`` order."""

    __tablename__ = "event_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.post_id", ondelete="CASCADE"), index=True
    )
    role: Mapped[PersonRole] = mapped_column(
        value_enum(PersonRole), default=PersonRole.SPEAKER
    )
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    @property
    def role_label(self) -> str:
        return "Host" if self.role == PersonRole.HOST else "Moderator"


class EventSponsor(Model):
    """An organisation that co-sponsors the event."""

    __tablename__ = "event_sponsors"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.post_id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)


__all__ = [
    "Event",
    "EventOccurrenceChange",
    "EventPerson",
    "EventSponsor",
    "EventStatus",
    "MonthlyBy",
    "OccurrenceChange",
    "Organiser",
    "PersonRole",
    "Repeat",
    "Venue",
]
