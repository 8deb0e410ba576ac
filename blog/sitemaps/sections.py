"""Which addresses the sitemaps list, and when each last changed.

A sitemap lists only what a reader can open: posts by the one visibility
rule (:meth:`blog.models.Post.visible_at`, as :mod:`blog.posts.reading`
applies it), categories and tags that a visible post carries
(:func:`blog.posts.reading.get_term`'s rule), authors with a visible article
(:func:`blog.posts.reading.get_author`'s rule). An item's ``lastmod`` is
when it last changed: a post's ``updated_at``, or its ``published_at`` when
that is later (a scheduled post that came due); a term's or an author's is
the newest of their visible posts'.

Each section is split into parts of :data:`PER_SITEMAP` addresses, in a
stable order (posts by date then id, terms and authors by id), so that a new
post only changes the last part. Every function here runs one query,
selecting only the columns an address needs, whatever the number of posts.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, Subquery, func, select
from sqlalchemy.orm import QueryableAttribute, joinedload, load_only, raiseload

from blog.extensions import db
from blog.models import Post, PostKind, Taxonomy, Term, User, post_terms, utcnow

#: A column in a query: ``Post.kind``, or an expression.
Column = ColumnElement[Any] | QueryableAttribute[Any]

#: The most addresses one sitemap may hold (sitemaps.org's limit).
PER_SITEMAP = 50_000


class Section(enum.StrEnum):
    """A kind of address, with sitemaps of its own (``/sitemap-tags-1.xml``)."""

    HOME = "home"  # the home page and the events list
    ARTICLES = "articles"
    PAGES = "pages"
    EVENTS = "events"
    CATEGORIES = "categories"
    TAGS = "tags"
    AUTHORS = "authors"


POST_SECTIONS = {
    PostKind.ARTICLE: Section.ARTICLES,
    PostKind.PAGE: Section.PAGES,
    PostKind.EVENT: Section.EVENTS,
}
TERM_SECTIONS = {Taxonomy.CATEGORY: Section.CATEGORIES, Taxonomy.TAG: Section.TAGS}


@dataclass(frozen=True)
class SitemapUrl:
    """One ``<url>``: an absolute address and when it last changed."""

    loc: str
    lastmod: datetime | None


@dataclass(frozen=True)
class Part:
    """One sitemap of a section, as the index lists it."""

    section: Section
    number: int
    lastmod: datetime | None


@dataclass(frozen=True)
class Addresses:
    """How the site spells its addresses (absolute), given by the views."""

    post: Callable[[Post], str]
    term: Callable[[Taxonomy, str], str]
    author: Callable[[str], str]
    home: str
    events: str


def newest(*values: datetime | None) -> datetime | None:
    """The latest of ``values`` (``None`` when there is none)."""
    present = [value for value in values if value is not None]
    return max(present) if present else None


def index_parts() -> list[Part]:
    """Every sitemap with something in it, in :class:`Section` order: the
    home sitemap always, then the parts of each section that is not empty.
    Three queries."""
    now = utcnow()
    found: dict[Section, list[datetime | None]] = {}
    for key, lastmods in _post_parts(now).items():
        found[POST_SECTIONS[PostKind(key)]] = lastmods
    for key, lastmods in _term_parts(now).items():
        found[TERM_SECTIONS[Taxonomy(key)]] = lastmods
    if authors := _author_parts(now):
        found[Section.AUTHORS] = authors
    home = newest(*found.get(Section.ARTICLES, []), *found.get(Section.EVENTS, []))
    found[Section.HOME] = [home]
    return [
        Part(section, number, lastmod)
        for section in Section
        for number, lastmod in enumerate(found.get(section, []), start=1)
    ]


def section_urls(
    section: Section, number: int, addresses: Addresses
) -> list[SitemapUrl]:
    """The addresses in part ``number`` of ``section`` (empty past its
    last part). One query."""
    if number < 1:
        return []
    offset = (number - 1) * PER_SITEMAP
    if section == Section.HOME:
        return _home_urls(addresses) if number == 1 else []
    if section in (Section.CATEGORIES, Section.TAGS):
        taxonomy = next(t for t, s in TERM_SECTIONS.items() if s == section)
        rows = db.session.execute(
            _term_rows(taxonomy).offset(offset).limit(PER_SITEMAP)
        )
        return [
            SitemapUrl(addresses.term(taxonomy, slug), newest(updated, published))
            for slug, updated, published in rows
        ]
    if section == Section.AUTHORS:
        rows = db.session.execute(_author_rows().offset(offset).limit(PER_SITEMAP))
        return [
            SitemapUrl(addresses.author(slug), newest(updated, published))
            for slug, updated, published in rows
        ]
    kind = next(k for k, s in POST_SECTIONS.items() if s == section)
    posts = db.session.scalars(_post_rows(kind).offset(offset).limit(PER_SITEMAP))
    return [SitemapUrl(addresses.post(post), post.modified_at) for post in posts]


def _home_urls(addresses: Addresses) -> list[SitemapUrl]:
    """The home page (as new as the newest article) and, when there are
    events, the events list (as new as the newest event)."""
    rows = db.session.execute(
        select(Post.kind, func.max(Post.updated_at), func.max(Post.published_at))
        .where(Post.visible_at(utcnow()))
        .group_by(Post.kind)
    )
    newest_of = {kind: newest(updated, published) for kind, updated, published in rows}
    urls = [SitemapUrl(addresses.home, newest_of.get(PostKind.ARTICLE))]
    if PostKind.EVENT in newest_of:
        urls.append(SitemapUrl(addresses.events, newest_of[PostKind.EVENT]))
    return urls


def _post_rows(kind: PostKind) -> Select[Post]:
    """Visible posts of ``kind`` with only what their address needs (a
    page's parent's slug joined in); nothing else is loaded."""
    columns = (Post.id, Post.kind, Post.slug, Post.published_at, Post.updated_at)
    query = select(Post).options(load_only(*columns, Post.parent_id))
    if kind == PostKind.PAGE:
        query = query.options(
            joinedload(Post.parent).options(load_only(Post.slug), raiseload("*"))
        )
    return (
        query.options(raiseload("*"))
        .where(Post.kind == kind, Post.visible_at(utcnow()))
        .order_by(Post.published_at, Post.id)
    )


def _per_term(now: datetime, taxonomies: Iterable[Taxonomy]) -> Subquery:
    """Each term of ``taxonomies`` a visible post carries: ``id``, ``slug``,
    ``taxonomy``, and the newest of its posts' dates (``updated``,
    ``published``)."""
    return (
        select(
            Term.id,
            Term.slug,
            Term.taxonomy,
            func.max(Post.updated_at).label("updated"),
            func.max(Post.published_at).label("published"),
        )
        .join(post_terms, post_terms.c.term_id == Term.id)
        .join(Post, Post.id == post_terms.c.post_id)
        .where(Term.taxonomy.in_(list(taxonomies)), Post.visible_at(now))
        .group_by(Term.id, Term.slug, Term.taxonomy)
        .subquery()
    )


def _per_author(now: datetime) -> Subquery:
    """Each user with a visible article: ``id``, ``slug`` and the newest of
    their articles' dates (``updated``, ``published``)."""
    return (
        select(
            User.id,
            User.slug,
            func.max(Post.updated_at).label("updated"),
            func.max(Post.published_at).label("published"),
        )
        .join(Post, Post.author_id == User.id)
        .where(Post.kind == PostKind.ARTICLE, Post.visible_at(now))
        .group_by(User.id, User.slug)
        .subquery()
    )


def _term_rows(taxonomy: Taxonomy) -> Select[str, datetime, datetime | None]:
    """``(slug, updated, published)`` of each term a visible post carries."""
    terms = _per_term(utcnow(), [taxonomy])
    return select(terms.c.slug, terms.c.updated, terms.c.published).order_by(terms.c.id)


def _author_rows() -> Select[str, datetime, datetime | None]:
    """``(slug, updated, published)`` of each user with a visible article."""
    authors = _per_author(utcnow())
    return select(authors.c.slug, authors.c.updated, authors.c.published).order_by(
        authors.c.id
    )


def _post_parts(now: datetime) -> dict[str, list[datetime | None]]:
    """Each kind's parts' newest dates, numbered in :func:`_post_rows`' order."""
    rows = (
        select(
            Post.kind.label("key"),
            _part_number(Post.kind, (Post.published_at, Post.id)),
            Post.updated_at.label("updated"),
            Post.published_at.label("published"),
        )
        .where(Post.visible_at(now))
        .subquery()
    )
    return _parts(rows)


def _term_parts(now: datetime) -> dict[str, list[datetime | None]]:
    """Categories' and tags' parts, numbered in :func:`_term_rows`' order."""
    per_term = _per_term(now, TERM_SECTIONS)
    return _parts(_numbered(per_term, per_term.c.taxonomy))


def _author_parts(now: datetime) -> list[datetime | None]:
    """Authors' parts' newest dates, numbered in :func:`_author_rows`' order."""
    return _parts(_numbered(_per_author(now), None)).get("", [])


def _part_number(
    partition: Column | None, order: Sequence[Column]
) -> ColumnElement[int]:
    """Which part a row falls in (from 0), :data:`PER_SITEMAP` rows a part."""
    position = func.row_number().over(partition_by=partition, order_by=list(order))
    # Integer division on both databases (SQLAlchemy would write FLOOR(),
    # which SQLite has only when built with its math functions).
    before = (position - 1).self_group()
    return before.op("/", return_type=Integer)(PER_SITEMAP).label("part")


def _numbered(rows: Subquery, partition: Column | None) -> Subquery:
    """``rows`` (``id``, ``updated``, ``published``) with their part number,
    and their ``partition`` as ``key`` when there is one."""
    keys = [partition.label("key")] if partition is not None else []
    return select(
        *keys,
        _part_number(partition, (rows.c.id,)),
        rows.c.updated,
        rows.c.published,
    ).subquery()


def _parts(numbered: Subquery) -> dict[str, list[datetime | None]]:
    """The newest date of each part, by ``key`` (``""`` when ``numbered``
    has none), parts in order. One query."""
    groups = [c for c in (numbered.c.get("key"), numbered.c.part) if c is not None]
    query = (
        select(*groups, func.max(numbered.c.updated), func.max(numbered.c.published))
        .group_by(*groups)
        .order_by(*groups)
    )
    parts: dict[str, list[datetime | None]] = {}
    for *group, updated, published in db.session.execute(query):
        key = str(group[0]) if len(group) == 2 else ""
        parts.setdefault(key, []).append(newest(updated, published))
    return parts
