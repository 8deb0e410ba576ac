"""Values from the request's address: URL parts and query arguments.

``<int:...>`` in every route uses :class:`BoundedIntConverter`, so an id
or year too large for the database is a 404 like any other missing page;
``<name>`` uses :class:`TextConverter`, so a slug holding a NUL byte (which
PostgreSQL refuses to compare) or other control character is a 404 too;
``<page_slug:name>`` is the same without dots (static pages).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

from blog.numbers import MAX_ID, parse_int
from blog.pages.paths import routed_words
from blog.validation import clean_text

#: No slug, username or file name of ours is longer.
TEXT_PART_MAX = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's ``int`` converter, ASCII digits only and at most :data:`MAX_ID`."""

    regex = r"[0-9]+"

    def __init__(
        self,
        map: Map,  # noqa: A002 - Werkzeug's parameter name
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = None,  # noqa: A002
        signed: bool = False,
    ) -> None:
        bound = MAX_ID if max is None else max
        super().__init__(map, fixed_digits, min, bound, signed)

    def to_python(self, value: str) -> Any:
        if len(value) > len(str(MAX_ID)):  # before int(): no 5,000-digit parse
            raise ValidationError()
        return super().to_python(value)


class TextConverter(UnicodeConverter):
    """Werkzeug's default converter, refusing control characters and
    overlong parts."""

    def to_python(self, value: str) -> Any:
        if len(value) > TEXT_PART_MAX or _CONTROL.search(value):
            raise ValidationError()
        return super().to_python(value)


class PageSlugConverter(TextConverter):
    """A static page's part of an address (``<page_slug:slug>``): no dot,
    so file-like addresses (``/robots.txt``, ``/favicon.ico``,
    ``/xmlrpc.php``) are never taken for pages; never a word the site
    already routes, so ``GET /logout`` stays a 405 instead of a redirect to
    ``/logout/``; and never all digits (no page slug is), so WordPress's
    dated addresses (``/2008/09/03/slug/``) are never taken for pages
    nested four deep and reach the old-address redirects. The page routes
    are registered last, when every other route is in ``map``."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        super().__init__(map, *args, **kwargs)
        routed = "|".join(re.escape(word) for word in sorted(routed_words(map)))
        refused = f"{routed}|[0-9]+" if routed else "[0-9]+"
        # Werkzeug's __init__ sets its own regex; ``$`` ends the one part.
        self.regex = rf"(?!(?:{refused})$)[^/.]+"


def int_arg(name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A whole number from the query string, or ``None`` when absent or
    malformed (a bad value is treated as no value, never as an error)."""
    return parse_int(request.args.get(name), minimum=minimum, maximum=maximum)


def text_arg(name: str, *, max_length: int = 200) -> str:
    """A word or phrase from the query string (a filter's slug, a search):
    one line, no control characters (PostgreSQL refuses to compare a NUL),
    at most ``max_length`` characters; ``""`` when absent."""
    text = " ".join(clean_text(request.args.get(name, "")).split())
    return text[:max_length]


def page_number(name: str = "page") -> int:
    """The page the query string asks for: 1 when absent; a page that cannot
    exist (``?page=0``, ``?page=²``, twenty digits) is a 404."""
    raw = request.args.get(name, "")
    if not raw:
        return 1
    return parse_int(raw) or abort(404)


def register(app: Flask) -> None:
    """Make ``<int:...>`` bounded and ``<name>`` clean; call before the
    blueprints are registered."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    app.url_map.converters["page_slug"] = PageSlugConverter
