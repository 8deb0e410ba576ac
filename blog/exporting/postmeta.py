"""What a WordPress export says beyond WordPress's own fields, as post and
comment meta. WordPress's importer copies meta it does not know, and hides
keys starting with ``_`` from the Custom Fields box; this engine's importer
reads them back, so that a round trip loses nothing.

On every post, page and event (``content:encoded`` holds the rendered HTML,
which WordPress shows as it is):

- ``_blog_kind``: ``article``, ``page`` or ``event`` (events are WordPress
  posts, ``post_type`` ``post``);
- ``_blog_markdown``: the body's Markdown source, exactly as typed;
- ``_thumbnail_id``: the featured image's attachment id (WordPress's own
  key), with ``_blog_featured_image_alt`` and ``_blog_featured_image_caption``
  when the post gives its own;
- ``_wp_old_slug``: one per slug the post had before (WordPress's own key:
  it redirects them);
- in the trash, ``_wp_trash_meta_status`` (``draft``: what Restore gives)
  and ``_wp_trash_meta_time`` (a Unix time).

On every event, each key always present (empty when not set):

- ``_blog_event_starts_at``, ``_blog_event_ends_at``: ISO 8601 in UTC
  (``2030-03-14T20:00:00Z``); for an all-day event the end is exclusive
  (midnight after the last day, in the event's zone);
- ``_blog_event_timezone``: the IANA zone it takes place in;
- ``_blog_event_all_day``: ``1`` or ``0``;
- ``_blog_event_status``: ``scheduled``, ``cancelled``, ``postponed``,
  ``moved_online``;
- ``_blog_event_venue_name``, ``_blog_event_venue_address``,
  ``_blog_event_room``, ``_blog_event_online_url``,
  ``_blog_event_registration_url``, ``_blog_event_cost``,
  ``_blog_event_contact_name``, ``_blog_event_contact_email``,
  ``_blog_event_contact_phone``: text as entered;
- ``_blog_event_accommodations_deadline``: ``YYYY-MM-DD`` or empty;
- ``_blog_event_people``: JSON, a list of ``{"role": "speaker"|"moderator"|
  "host", "name", "affiliation", "url"}`` in the page's order;
- ``_blog_event_sponsors``: JSON, a list of ``{"name", "url"}``;
- ``_blog_event_audiences``, ``_blog_event_units``: JSON, lists of
  ``{"name", "slug", "description"}`` ("Open to" and the organising units:
  taxonomies WordPress does not have, so not written as its terms);
- ``_blog_event_repetition``: JSON, ``null`` for a one-off event, else
  ``{"repeat", "interval", "weekdays", "monthly_by", "until", "count",
  "changes": [{"date", "change", "starts_at", "ends_at"}]}``
  (:mod:`blog.events.repetition_data`).

On every attachment: ``_wp_attached_file`` (the file's name),
``_wp_attachment_image_alt`` (its alt text), and ``_blog_media_id`` (its id
in this site's library, which bodies' ``media:ID`` references use; the
attachment's own id is shifted, see
:func:`blog.exporting.source.attachment_offset`).

On every comment (``wp:commentmeta``): ``_blog_markdown``, the comment's
Markdown source (``wp:comment_content`` holds its rendered HTML).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from blog.events import repetition_data
from blog.exporting.formats import iso_date, iso_utc
from blog.models import Comment, Event, Media, Post, PostStatus, Taxonomy, Term

#: ``(key, value)`` pairs, in the order written (a key may repeat).
Meta = list[tuple[str, str]]


def post_meta(
    post: Post, *, old_slugs: Sequence[str], thumbnail_id: int | None
) -> Meta:
    """The meta of a post, page or event (see the module's list)."""
    meta: Meta = [
        ("_blog_kind", post.kind.value),
        ("_blog_markdown", post.body_source),
    ]
    if thumbnail_id is not None:
        meta.append(("_thumbnail_id", str(thumbnail_id)))
        if post.featured_image_alt:
            meta.append(("_blog_featured_image_alt", post.featured_image_alt))
        if post.featured_image_caption:
            meta.append(("_blog_featured_image_caption", post.featured_image_caption))
    meta.extend(("_wp_old_slug", slug) for slug in old_slugs)
    if post.status == PostStatus.TRASH:
        meta.append(("_wp_trash_meta_status", "draft"))
        meta.append(("_wp_trash_meta_time", str(int(post.updated_at.timestamp()))))
    if post.event is not None:
        meta.extend(event_meta(post.event, post.terms))
    return meta


def event_meta(event: Event, terms: Sequence[Term]) -> Meta:
    """An event's date, place, people and contacts (see the module's list)."""
    people = [
        {
            "role": person.role.value,
            "name": person.name,
            "affiliation": person.affiliation,
            "url": person.url,
        }
        for person in event.people
    ]
    sponsors = [{"name": s.name, "url": s.url} for s in event.sponsors]
    return [
        ("_blog_event_starts_at", iso_utc(event.starts_at) or ""),
        ("_blog_event_ends_at", iso_utc(event.ends_at) or ""),
        ("_blog_event_timezone", event.timezone),
        ("_blog_event_all_day", "1" if event.all_day else "0"),
        ("_blog_event_status", event.status.value),
        ("_blog_event_venue_name", event.venue_name),
        ("_blog_event_venue_address", event.venue_address),
        ("_blog_event_room", event.room),
        ("_blog_event_online_url", event.online_url),
        ("_blog_event_registration_url", event.registration_url),
        ("_blog_event_cost", event.cost),
        ("_blog_event_contact_name", event.contact_name),
        ("_blog_event_contact_email", event.contact_email),
        ("_blog_event_contact_phone", event.contact_phone),
        (
            "_blog_event_accommodations_deadline",
            iso_date(event.accommodations_deadline) or "",
        ),
        ("_blog_event_people", _json(people)),
        ("_blog_event_sponsors", _json(sponsors)),
        ("_blog_event_audiences", _json(_terms_of(terms, Taxonomy.AUDIENCE))),
        ("_blog_event_units", _json(_terms_of(terms, Taxonomy.UNIT))),
        ("_blog_event_repetition", _json(repetition_data.to_data(event))),
    ]


def attachment_meta(media: Media) -> Meta:
    meta: Meta = [("_wp_attached_file", media.filename)]
    if media.alt_text:
        meta.append(("_wp_attachment_image_alt", media.alt_text))
    meta.append(("_blog_media_id", str(media.id)))
    return meta


def comment_meta(comment: Comment) -> Meta:
    return [("_blog_markdown", comment.body_source)]


def _terms_of(terms: Sequence[Term], taxonomy: Taxonomy) -> list[dict[str, str]]:
    return [
        {"name": t.name, "slug": t.slug, "description": t.description}
        for t in terms
        if t.taxonomy == taxonomy
    ]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
