"""What an export reads: the site (settings, time zone, addresses), its
people and terms, and its posts, comments and uploads in batches.

A site with 100,000 posts is never loaded at once: rows are read in batches
of ``batch_size`` by id (keyset, ``id > last``), each batch with what it
needs (authors, terms, event details, comments, old slugs) in a fixed
number of queries, whatever the batch holds. The caller keeps one
transaction open, so the export is one consistent view of the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import ColumnElement, func, select, union
from sqlalchemy.orm import joinedload, lazyload, selectinload

from blog.exporting.links import Addresses
from blog.extensions import db
from blog.models import (
    Comment,
    Event,
    Media,
    Post,
    Redirect,
    SlugRedirect,
    Taxonomy,
    Term,
    User,
    utcnow,
)
from blog.site import load_settings, site_zone

#: Rows read per query: big enough that queries stay few, small enough that
#: a batch of long posts with their comments fits easily in memory.
BATCH_SIZE = 200

#: Settings an export never holds (a key to another service), or that only
#: describe this server's state.
PRIVATE_SETTINGS = frozenset({"akismet_api_key", "akismet_key_invalid"})

_Row = TypeVar("_Row", Post, Media, Comment, Redirect, SlugRedirect)


@dataclass(frozen=True)
class ExportSite:
    """The site being exported, read once when the export starts."""

    title: str
    tagline: str
    zone: ZoneInfo
    #: Every setting, defaults filled in (:func:`blog.site.load_settings`).
    settings: Mapping[str, Any]
    addresses: Addresses
    #: When the export started: it decides "published" against "scheduled".
    now: datetime

    @property
    def url(self) -> str:
        """The site's address, without a slash at the end."""
        return self.addresses.site_url

    @property
    def public_settings(self) -> dict[str, Any]:
        """The settings an export may hold (:data:`PRIVATE_SETTINGS` left out)."""
        return {k: v for k, v in self.settings.items() if k not in PRIVATE_SETTINGS}


def export_site(app: Flask, site_url: str) -> ExportSite:
    """The site as it is now, its addresses on ``site_url`` (``SITE_URL``)."""
    settings = load_settings()
    zone = site_zone(settings)
    return ExportSite(
        title=str(settings.get("title") or ""),
        tagline=str(settings.get("tagline") or ""),
        zone=zone,
        settings=settings,
        addresses=Addresses(app.url_map, site_url, zone),
        now=utcnow(),
    )


def _batches(
    model: type[_Row], *criteria: ColumnElement[bool], size: int, options: Sequence[Any]
) -> Iterator[list[_Row]]:
    """Rows of ``model`` matching ``criteria`` by id, ``size`` at a time."""
    last = 0
    while True:
        query = (
            select(model)
            .where(model.id > last, *criteria)
            .order_by(model.id)
            .limit(size)
            .options(*options)
        )
        rows = list(db.session.scalars(query).unique())
        if not rows:
            return
        yield rows
        last = rows[-1].id


#: A post and what an export writes of it; everything else is left unloaded.
_POST_OPTIONS = (
    lazyload("*"),
    joinedload(Post.author),
    joinedload(Post.parent).lazyload("*"),
    selectinload(Post.terms),
    selectinload(Post.event).selectinload(Event.people),
    selectinload(Post.event).selectinload(Event.sponsors),
    selectinload(Post.event).selectinload(Event.changes),
)


def post_batches(
    *criteria: ColumnElement[bool], size: int = BATCH_SIZE
) -> Iterator[list[Post]]:
    """Posts matching ``criteria``, by id, with their author, parent, terms
    and event details (five queries a batch)."""
    return _batches(Post, *criteria, size=size, options=_POST_OPTIONS)


def media_batches(
    size: int = BATCH_SIZE, *, variants: bool = False
) -> Iterator[list[Media]]:
    """Every upload, by id; with its resized copies when ``variants`` (one
    more query a batch)."""
    options = (
        (lazyload("*"), selectinload(Media.variants)) if variants else (lazyload("*"),)
    )
    return _batches(Media, size=size, options=options)


def comment_batches(size: int = BATCH_SIZE) -> Iterator[list[Comment]]:
    """Every comment of every post, by id (one query a batch)."""
    return _batches(Comment, size=size, options=(lazyload("*"),))


def redirect_batches(size: int = BATCH_SIZE) -> Iterator[list[Redirect]]:
    return _batches(Redirect, size=size, options=())


def comments_of(post_ids: Sequence[int]) -> dict[int, list[Comment]]:
    """The comments of these posts, every status, oldest id first (one query)."""
    found: dict[int, list[Comment]] = defaultdict(list)
    if not post_ids:
        return found
    query = (
        select(Comment)
        .where(Comment.post_id.in_(post_ids))
        .order_by(Comment.post_id, Comment.id)
        .options(lazyload("*"))
    )
    for comment in db.session.scalars(query):
        found[comment.post_id].append(comment)
    return found


def old_slugs_of(post_ids: Sequence[int]) -> dict[int, list[str]]:
    """The slugs these posts had before (they answer with a 301; one query)."""
    found: dict[int, list[str]] = defaultdict(list)
    if not post_ids:
        return found
    query = (
        select(SlugRedirect.post_id, SlugRedirect.old_slug)
        .where(SlugRedirect.post_id.in_(post_ids))
        .order_by(SlugRedirect.id)
    )
    for post_id, old_slug in db.session.execute(query):
        found[post_id].append(old_slug)
    return found


def slug_redirect_batches(size: int = BATCH_SIZE) -> Iterator[list[SlugRedirect]]:
    """Every old slug a post answers to, by id."""
    return _batches(SlugRedirect, size=size, options=())


def contributors() -> list[User]:
    """The users who wrote a post, uploaded a file or commented as
    themselves (WordPress exports the authors of what it exports)."""
    ids = union(
        select(Post.author_id),
        select(Comment.user_id).where(Comment.user_id.is_not(None)),
        select(Media.uploaded_by_id).where(Media.uploaded_by_id.is_not(None)),
    ).subquery()
    query = select(User).where(User.id.in_(select(ids.c[0]))).order_by(User.id)
    return list(db.session.scalars(query))


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.id)))


def terms(*taxonomies: Taxonomy) -> list[Term]:
    """The terms of ``taxonomies`` (all when none are named), parents before
    their children, else by id."""
    query = select(Term).order_by(Term.id).options(lazyload("*"))
    if taxonomies:
        query = query.where(Term.taxonomy.in_(taxonomies))
    return parents_first(list(db.session.scalars(query)))


def parents_first(items: Sequence[Term]) -> list[Term]:
    """``items`` in their order, except that a term comes after its parent
    (WordPress's importer files a category under a parent it has already
    read, else at the top). A parent outside ``items``, or a cycle, does
    not hold a term back."""
    known = {term.id for term in items}
    placed: set[int] = set()
    ordered: list[Term] = []
    waiting = list(items)
    while waiting:
        held = []
        for term in waiting:
            if (
                term.parent_id is None
                or term.parent_id not in known
                or (term.parent_id in placed)
            ):
                ordered.append(term)
                placed.add(term.id)
            else:
                held.append(term)
        if len(held) == len(waiting):  # a cycle: let the rest through as they are
            ordered.extend(held)
            break
        waiting = held
    return ordered


def attachment_offset() -> int:
    """What attachments' ids are shifted by in a WordPress export: posts and
    uploads are numbered apart here, but share one series of ids in
    WordPress, so an upload's id there is the highest post id plus its own."""
    return int(db.session.scalar(select(func.max(Post.id))) or 0)
