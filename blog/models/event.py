"""Events: the date, place, people and contacts of a post of kind ``event``.

An :class:`Event` row holds what an event adds to its :class:`Post` (one to
one, sharing the post's id). Times are stored in UTC; ``timezone`` names the
zone the event happens in, where it is shown and edited.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
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


__all__ = ["Event", "EventPerson", "EventSponsor", "EventStatus", "PersonRole"]
