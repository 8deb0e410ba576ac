"""What a results page shows, read the way a reader reads it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

_RESULT = re.compile(
    r'<article class="summary search-result">\s*<h2 class="entry-title">'
    r'<a href="([^"]+)" rel="bookmark">([^<]*)</a>'
)
_SNIPPET = re.compile(r'<p class="search-snippet">(.*?)</p>', re.S)


def titles(html: str) -> list[str]:
    """The results' titles, in order."""
    return [title for _, title in _RESULT.findall(html)]


def links(html: str) -> list[str]:
    return [link for link, _ in _RESULT.findall(html)]


def snippets(html: str) -> list[str]:
    return _SNIPPET.findall(html)


def found(client: FlaskClient, query: str) -> list[str]:
    """The titles ``/search/?q=query`` finds (first page)."""
    response = client.get("/search/", query_string={"q": query})
    assert response.status_code == 200
    return titles(response.get_data(as_text=True))
