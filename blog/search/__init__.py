"""Full-text search over posts: readers' results at ``/search/?q=`` (and
``/?s=``), ranked, with marked snippets; the dashboard's post search.

- ``query``: what a reader typed, as terms no database can misread;
- ``text``: the plain text posts are found by, and escaped snippets;
- ``indexing``: ``search_documents`` kept on every flush, and rebuilt;
- ``schema``: the database's own index (SQLite FTS5, PostgreSQL
  ``tsvector`` with GIN), made beside the table;
- ``finding``: ranked results, snippets, the dashboard's filter;
- ``cli``: ``flask --app blog search reindex``.
"""

from blog.search.finding import READER_KINDS, found, matching, snippets
from blog.search.indexing import rebuild, register, reindex
from blog.search.query import SearchQuery, parse

__all__ = [
    "READER_KINDS",
    "SearchQuery",
    "found",
    "matching",
    "parse",
    "rebuild",
    "register",
    "reindex",
    "snippets",
]
