"""What this engine's own WordPress export adds (``blog.exporting.postmeta``):
the Markdown of bodies and comments, events' details, featured images'
own alt text, and library references (``media:ID``) renumbered to the
library they land in. Read back so that a round trip loses nothing; a
WordPress export has none of it and takes the ordinary path."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from blog.errors import FieldError
from blog.events import repetition_data
from blog.extensions import db
from blog.importing.context import ImportContext
from blog.importing.records import Item
from blog.models import (
    Event,
    EventPerson,
    EventSponsor,
    EventStatus,
    PersonRole,
    PostKind,
    Taxonomy,
    Term,
)
from blog.posts.slugs import slugify
from blog.validation import email_address, http_url_or_empty

_MEDIA_RE = re.compile(r"media:([0-9]{1,10})", re.IGNORECASE)


def kind_of(item: Item, default: PostKind) -> PostKind:
    """``_blog_kind``: an event travels as a WordPress post."""
    if item.meta.get("_blog_kind") == PostKind.EVENT.value and item.post_type == "post":
        return PostKind.EVENT
    return default


def markdown(ctx: ImportContext, text: str | None) -> str | None:
    """Our own Markdown, its ``media:ID`` references renumbered (``None``:
    the export has none, convert its HTML)."""
    if text is None:
        return None

    def renumber(match: re.Match[str]) -> str:
        stored = ctx.own_media.get(int(match.group(1)))
        if stored is None:
            return match.group(0)
        return f"media:{stored.media_id}" if stored.media_id else stored.old_url

    return _MEDIA_RE.sub(renumber, text)


def make_event(item: Item) -> Event | None:
    """The event ``_blog_event_*`` describes, or ``None`` if it cannot be read."""
    meta = item.meta
    starts = _when(meta.get("_blog_event_starts_at", ""))
    ends = _when(meta.get("_blog_event_ends_at", ""))
    if starts is None or ends is None or ends < starts:
        return None
    zone = meta.get("_blog_event_timezone", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = "UTC"
    try:
        status = EventStatus(meta.get("_blog_event_status", "scheduled"))
    except ValueError:
        status = EventStatus.SCHEDULED
    event = Event(
        starts_at=starts,
        ends_at=ends,
        timezone=zone,
        all_day=meta.get("_blog_event_all_day") == "1",
        status=status,
        accommodations_deadline=_day(meta.get("_blog_event_accommodations_deadline")),
        online_url=http_url_or_empty(meta.get("_blog_event_online_url", "")),
        registration_url=http_url_or_empty(
            meta.get("_blog_event_registration_url", "")
        ),
        contact_email=_email(meta.get("_blog_event_contact_email", "")),
        **{
            field: " ".join(meta.get(f"_blog_event_{field}", "").split())[:limit]
            for field, limit in (
                ("venue_name", 200),
                ("venue_address", 500),
                ("room", 200),
                ("cost", 100),
                ("contact_name", 100),
                ("contact_phone", 50),
            )
        },
    )
    for position, person in enumerate(_list(meta.get("_blog_event_people"))):
        try:
            role = PersonRole(str(person.get("role", "speaker")))
        except ValueError:
            role = PersonRole.SPEAKER
        if name := str(person.get("name", "")).strip():
            event.people.append(
                EventPerson(
                    role=role,
                    name=name[:200],
                    affiliation=str(person.get("affiliation", ""))[:200],
                    url=http_url_or_empty(str(person.get("url", ""))),
                    position=position,
                )
            )
    for position, sponsor in enumerate(_list(meta.get("_blog_event_sponsors"))):
        if name := str(sponsor.get("name", "")).strip():
            event.sponsors.append(
                EventSponsor(
                    name=name[:200],
                    url=str(sponsor.get("url", ""))[:500],
                    position=position,
                )
            )
    try:
        repetition = json.loads(meta.get("_blog_event_repetition") or "null")
    except ValueError:
        repetition = None
    repetition_data.apply_data(event, repetition)
    return event


def event_terms(item: Item) -> list[Term]:
    """The event's audiences and units, matched by slug or made."""
    terms = []
    for key, taxonomy in (
        ("_blog_event_audiences", Taxonomy.AUDIENCE),
        ("_blog_event_units", Taxonomy.UNIT),
    ):
        for data in _list(item.meta.get(key)):
            name = " ".join(str(data.get("name", "")).split())[:100]
            if not name:
                continue
            slug = slugify(str(data.get("slug") or name), 120)
            term = db.session.scalar(
                select(Term).where(
                    Term.taxonomy == taxonomy, (Term.slug == slug) | (Term.name == name)
                )
            )
            if term is None:
                term = Term(
                    taxonomy=taxonomy,
                    name=name,
                    slug=slug,
                    description=str(data.get("description", "")),
                )
                db.session.add(term)
                db.session.flush()
            terms.append(term)
    return terms


def _email(text: str) -> str:
    try:
        return email_address(text.strip(), "email") if text.strip() else ""
    except FieldError:
        return ""


def _when(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _list(text: str | None) -> list[dict[str, Any]]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
