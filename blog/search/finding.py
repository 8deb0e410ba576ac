"""Queries over the index: readers' results ranked best first, their
snippets, and the dashboard's filter.

Readers find only what they may read now (:meth:`blog.models.Post.visible_at`,
checked when the search runs, so a scheduled post is found from its date
on with no write) of the kinds they read. Ranking weighs a match in the
title well above one in the text: SQLite's ``bm25`` with column weights,
PostgreSQL's ``ts_rank_cd`` over the A (title) and B (text) weights.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    column,
    false,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.orm import lazyload, selectinload

from blog.extensions import db
from blog.models import Event, Post, PostKind, utcnow
from blog.search import schema
from blog.search.query import SearchQuery
from blog.search.text import END, START, highlight

#: What readers' searches find: everything they read.
READER_KINDS = (PostKind.ARTICLE, PostKind.PAGE, PostKind.EVENT)
#: ``bm25`` weights of the FTS5 columns (title, text).
FTS_WEIGHTS = (10.0, 1.0)
#: ``ts_rank_cd`` weights of D, C, B (text) and A (title).
PG_WEIGHTS = "'{0.05, 0.1, 0.2, 1.0}'::float4[]"
#: Tokens (SQLite) in a snippet.
SNIPPET_TOKENS = 28
#: ``ts_headline`` options: the words around the best match.
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={END}, MaxWords=28, MinWords=12"

_fts = table(
    schema.FTS_TABLE,
    column("rowid", Integer),
    column(schema.FTS_TABLE),  # FTS5's hidden column, named after its table
)
_documents = table(
    "search_documents",
    column("post_id", Integer),
    column("text", Text),
    column(schema.VECTOR_COLUMN, TSVECTOR),
)
_CONFIG: ColumnElement[str] = literal_column(f"'{schema.PG_CONFIG}'::regconfig")


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _fts_match(text: str) -> ColumnElement[bool]:
    return _fts.c[schema.FTS_TABLE].match(text)


def _vector_match(tsquery: ColumnElement[str]) -> ColumnElement[bool]:
    return _documents.c[schema.VECTOR_COLUMN].bool_op("@@")(tsquery)


def _websearch(query: SearchQuery) -> ColumnElement[str]:
    return func.websearch_to_tsquery(_CONFIG, query.websearch(), type_=TSQUERY)


def found(query: SearchQuery, now: datetime | None = None) -> Select[Post]:
    """The posts readers may see at ``now`` matching ``query``, best first
    (then newest first), for :func:`blog.paging.paginate`. An empty query
    finds nothing."""
    posts = (
        select(Post)
        .where(Post.visible_at(now or utcnow()), Post.kind.in_(READER_KINDS))
        .options(  # an event's dates, in one query; its people are not shown
            selectinload(Post.event).options(
                lazyload(Event.people),
                lazyload(Event.sponsors),
                lazyload(Event.changes),
            )
        )
    )
    if not query:
        return posts.where(false())
    newest = (Post.published_at.desc(), Post.id.desc())
    if _on_sqlite():
        rank = func.bm25(_fts.c[schema.FTS_TABLE], *FTS_WEIGHTS)
        return (
            posts.join(_fts, _fts.c.rowid == Post.id)
            .where(_fts_match(query.fts5()))
            .order_by(rank, *newest)
        )
    tsquery = _websearch(query)
    rank = func.ts_rank_cd(
        literal_column(PG_WEIGHTS), _documents.c[schema.VECTOR_COLUMN], tsquery
    )
    return (
        posts.join(_documents, _documents.c.post_id == Post.id)
        .where(_vector_match(tsquery))
        .order_by(rank.desc(), *newest)
    )


def snippets(query: SearchQuery, post_ids: Iterable[int]) -> dict[int, Markup]:
    """A few words of each post's text around the matches, marked (one
    query); a post whose text is empty gets none."""
    ids = list(post_ids)
    if not query or not ids:
        return {}
    if _on_sqlite():
        statement = select(
            _fts.c.rowid,
            func.snippet(_fts.c[schema.FTS_TABLE], 1, START, END, "…", SNIPPET_TOKENS),
        ).where(_fts_match(query.fts5()), _fts.c.rowid.in_(ids))
    else:
        statement = select(
            _documents.c.post_id,
            func.ts_headline(
                _CONFIG, _documents.c.text, _websearch(query), HEADLINE_OPTIONS
            ),
        ).where(_documents.c.post_id.in_(ids))
    return {
        post_id: highlight(text)
        for post_id, text in db.session.execute(statement)
        if text
    }


def matching(query: SearchQuery) -> ColumnElement[bool]:
    """The posts (any kind, any status) whose document matches ``query``,
    its last word as a prefix (``carr`` finds "Carrots"), as a condition
    on :class:`~blog.models.Post`: the dashboard's search box."""
    if not query:
        return false()
    if _on_sqlite():
        ids = select(_fts.c.rowid).where(_fts_match(query.fts5(prefix_last=True)))
        return Post.id.in_(ids)
    prefix = query.tsquery_prefix()
    if prefix is None:
        tsquery = _websearch(query)
    else:
        tsquery = func.to_tsquery(_CONFIG, prefix, type_=TSQUERY)
        if query.without_last():
            tsquery = _websearch(query.without_last()).op("&&", return_type=TSQUERY)(
                tsquery
            )
    ids = select(_documents.c.post_id).where(_vector_match(tsquery))
    return Post.id.in_(ids)
