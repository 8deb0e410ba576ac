"""The JSON export: everything the site holds, in one document, for backups
read by people and for other tools (the README's "Exporting" documents it).

``{"format": "blog-export", "version": 1, "exported_at", "site", "users",
"terms", "posts", "comments", "media", "redirects", "slug_redirects"}``.
Rows keep their ids, and refer to each other by them (``author_id``,
``term_ids``, ``parent_id``...). Times are ISO 8601 in UTC (``...Z``).

It is an administrator's export: commenters' emails and IP addresses are
in it, but no password hash, two-factor secret, session, token or API key.
Written as a stream (:func:`json_chunks`), one row a line, so that neither
the writer nor a reader that reads line by line holds the whole site.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

from blog.events import repetition_data
from blog.exporting import source
from blog.exporting.formats import iso_date, iso_utc
from blog.exporting.source import BATCH_SIZE, ExportSite
from blog.exporting.streams import write_chunks
from blog.models import (
    Comment,
    Event,
    Media,
    Post,
    PostKind,
    Redirect,
    SlugRedirect,
    Term,
    User,
)

FORMAT = "blog-export"
VERSION = 1
CONTENT_TYPE = "application/json"


def _dumps(value: Any) -> str:
    # ASCII only: valid in any encoding, whatever a stored string holds.
    return json.dumps(value, ensure_ascii=True)


def json_chunks(
    site: ExportSite,
    *,
    counts: Counter[str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[str]:
    """The document, piece by piece (a row or a batch at a time).

    :param counts: filled in as it goes, one count per list.
    """
    counts = Counter() if counts is None else counts
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso_utc(site.now),
        "site": site_json(site),
    }
    yield _dumps(head)[:-1]  # left open: the lists follow
    lists: tuple[tuple[str, Iterable[dict[str, Any]]], ...] = (
        ("users", map(user_json, source.all_users())),
        ("terms", map(term_json, source.terms())),
        ("posts", _posts(site, batch_size)),
        ("comments", _rows(source.comment_batches(batch_size), comment_json)),
        ("media", _media(site, batch_size)),
        ("redirects", _rows(source.redirect_batches(batch_size), redirect_json)),
        (
            "slug_redirects",
            _rows(source.slug_redirect_batches(batch_size), slug_redirect_json),
        ),
    )
    for name, rows in lists:
        yield f', "{name}": ['
        separator = "\n"
        for row in rows:
            counts[name] += 1
            yield separator + _dumps(row)
            separator = ",\n"
        yield "\n]"
    yield "}\n"


def write_json(
    out: IO[str], site: ExportSite, *, batch_size: int = BATCH_SIZE
) -> Counter[str]:
    """Write the document to ``out`` (a text stream); returns the counts."""
    counts: Counter[str] = Counter()
    write_chunks(out, json_chunks(site, counts=counts, batch_size=batch_size))
    return counts


def _rows(batches: Iterable[list[Any]], shape: Any) -> Iterator[dict[str, Any]]:
    for batch in batches:
        yield from map(shape, batch)


def _posts(site: ExportSite, batch_size: int) -> Iterator[dict[str, Any]]:
    for batch in source.post_batches(size=batch_size):
        yield from (post_json(site, post) for post in batch)


def _media(site: ExportSite, batch_size: int) -> Iterator[dict[str, Any]]:
    for batch in source.media_batches(batch_size, variants=True):
        yield from (media_json(site, media) for media in batch)


def site_json(site: ExportSite) -> dict[str, Any]:
    """The site's address and public settings; the menu apart (it refers to
    pages and categories by their ids in ``posts`` and ``terms``)."""
    settings = site.public_settings
    menu = settings.pop("menu", None)
    return {
        "url": site.url,
        "title": site.title,
        "tagline": site.tagline,
        "timezone": site.zone.key,
        "settings": settings,
        "menu": menu,
    }


def user_json(user: User) -> dict[str, Any]:
    """An account, without its password hash, two-factor secret or sessions."""
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug,
        "role": user.role.value,
        "status": user.status,
        "bio": user.bio,
        "website": user.website,
        "created_at": iso_utc(user.created_at),
        "deactivated_at": iso_utc(user.deactivated_at),
    }


def term_json(term: Term) -> dict[str, Any]:
    return {
        "id": term.id,
        "taxonomy": term.taxonomy.value,
        "name": term.name,
        "slug": term.slug,
        "description": term.description,
        "parent_id": term.parent_id,
    }


def post_json(site: ExportSite, post: Post) -> dict[str, Any]:
    """An article, event or page; ``url`` is ``None`` for an article that
    has no date yet (a draft), which has no address."""
    undated = post.kind == PostKind.ARTICLE and post.published_at is None
    featured = (
        {
            "media_id": post.featured_image_id,
            "alt": post.featured_image_alt,
            "caption": post.featured_image_caption,
        }
        if post.featured_image_id is not None
        else None
    )
    return {
        "id": post.id,
        "kind": post.kind.value,
        "status": post.status.value,
        "title": post.title,
        "slug": post.slug,
        "url": None if undated else site.addresses.post(post),
        "author_id": post.author_id,
        "parent_id": post.parent_id,
        "menu_order": post.menu_order,
        "sticky": post.sticky,
        "comments_open": post.comments_open,
        "published_at": iso_utc(post.published_at),
        "created_at": iso_utc(post.created_at),
        "updated_at": iso_utc(post.updated_at),
        "body_source": post.body_source,
        "body_html": post.body_html,
        "excerpt_source": post.excerpt_source,
        "excerpt_html": post.excerpt_html,
        "term_ids": [term.id for term in post.terms],
        "featured_image": featured,
        "event": event_json(post.event) if post.event is not None else None,
    }


def event_json(event: Event) -> dict[str, Any]:
    return {
        "starts_at": iso_utc(event.starts_at),
        "ends_at": iso_utc(event.ends_at),
        "timezone": event.timezone,
        "all_day": event.all_day,
        "status": event.status.value,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "room": event.room,
        "online_url": event.online_url,
        "registration_url": event.registration_url,
        "cost": event.cost,
        "contact_name": event.contact_name,
        "contact_email": event.contact_email,
        "contact_phone": event.contact_phone,
        "accommodations_deadline": iso_date(event.accommodations_deadline),
        "sequence": event.sequence,
        "people": [
            {
                "role": person.role.value,
                "name": person.name,
                "affiliation": person.affiliation,
                "url": person.url,
            }
            for person in event.people
        ],
        "sponsors": [{"name": s.name, "url": s.url} for s in event.sponsors],
        "repetition": repetition_data.to_data(event),
    }


def comment_json(comment: Comment) -> dict[str, Any]:
    """A comment of any status, with its author's private details."""
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "kind": comment.kind.value,
        "status": comment.status.value,
        "user_id": comment.user_id,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        "author_ip": comment.author_ip,
        "author_user_agent": comment.author_user_agent,
        "body_source": comment.body_source,
        "body_html": comment.body_html,
        "submitted_at": iso_utc(comment.submitted_at),
        "spam_check": comment.spam_check.value,
    }


def media_json(site: ExportSite, media: Media) -> dict[str, Any]:
    return {
        "id": media.id,
        "filename": media.filename,
        "url": site.addresses.media(media.filename),
        "mimetype": media.mimetype,
        "width": media.width,
        "height": media.height,
        "byte_size": media.byte_size,
        "original_name": media.original_name,
        "title": media.title,
        "alt_text": media.alt_text,
        "caption": media.caption,
        "uploaded_by_id": media.uploaded_by_id,
        "created_at": iso_utc(media.created_at),
        "variants": [
            {
                "filename": variant.filename,
                "url": site.addresses.media(variant.filename),
                "width": variant.width,
                "height": variant.height,
                "mimetype": variant.mimetype,
                "byte_size": variant.byte_size,
            }
            for variant in media.variants
        ],
    }


def redirect_json(redirect: Redirect) -> dict[str, Any]:
    return {
        "id": redirect.id,
        "source": redirect.source,
        "target": redirect.target,
        "post_id": redirect.post_id,
        "origin": redirect.origin,
        "created_at": iso_utc(redirect.created_at),
    }


def slug_redirect_json(redirect: SlugRedirect) -> dict[str, Any]:
    """An old slug of a post, which answers with a 301 to its address."""
    return {
        "post_id": redirect.post_id,
        "kind": redirect.kind.value,
        "old_slug": redirect.old_slug,
    }
