"""Markdown to safe HTML: the only module that decides what HTML is safe.

Markdown runs first and ``sanitize()`` cleans what it produced, never the
other way round. bleach stays behind ``sanitize()`` so that it can be swapped
(for nh3, say) without touching callers; ``tests/payloads.py`` is the contract.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from pygments.token import STANDARD_TYPES

RENDERER_VERSION: int = 1
COMMENT_MAX_CHARS: int = 5000
COMMENT_MAX_BYTES: int = 20000

# Python-Markdown scans forward from every "[" and every "](" for its match,
# once per link pattern: quadratic. A unit is one character scanned (about
# 0.3 microseconds), so the worst accepted input renders in well under 0.1 s.
_BRACKET_BUDGET = 200_000
# "1. 1. 1. ..." or ">>>>" on one line nests that deep: Markdown runs out of
# stack near 600 levels and html5lib slows down quadratically with depth.
_MAX_NESTING = 20
_NESTING_RE = re.compile(r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]*){21}", re.M)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Characters a browser skips inside a URL scheme, or that hide one from a reader.
_URL_NOISE_RE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]+"
)
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")

COMMENT_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
)
POST_TAGS = COMMENT_TAGS | {
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "del", "ins", "s", "sup", "sub", "dl", "dt", "dd", "div", "span", "abbr",
    "b", "i", "kbd", "mark", "cite", "q", "small",
}  # fmt: skip
_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Bare URLs become links only with a scheme or "www." (as on GitHub), so that
# "views.py" stays text. bleach's own URL regex backtracks quadratically on
# "((((" or "www.a-www.a-"; this one never backtracks far (one start per run).
_LINKIFY_URL_RE = re.compile(
    r"(?:(?<!\()\(+)?(?<![\w.@/:-])(?:https?://|www\.)[\w.-]+(?::\d+)?"
    r"(?:[/?#][^\s<>\"'`{}|\\^]*)?",
    re.IGNORECASE,
)

_POST_EXTENSIONS = ["abbr", "def_list", "footnotes", "tables", "fenced_code",
                    "codehilite", "sane_lists", "toc"]  # fmt: skip
_POST_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # Classes only (a stylesheet colours them); guessing the language runs
    # every Pygments lexer and takes seconds on long whitespace.
    "codehilite": {"css_class": "highlight", "noclasses": False, "guess_lang": False},
    "tables": {"use_align_attribute": True},  # align="left", not style=""
}


class ContentRejected(ValueError):
    """Raised with a sentence to show next to the field; nothing is truncated."""


def _dangerous_url(value: str) -> bool:
    """True for a URL that could run script however many times it is decoded."""
    for _ in range(3):
        value = unescape(value)
    return _URL_NOISE_RE.sub("", value).lower().startswith(_BAD_SCHEMES)


def _matches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda value: compiled.fullmatch(value) is not None


_ANY: Callable[[str], bool] = lambda value: True  # noqa: E731
_NUMBER = _matches(r"\d{1,5}")
_URL: Callable[[str], bool] = lambda value: not _dangerous_url(value)  # noqa: E731
_SAFE_REL = frozenset({"nofollow", "ugc", "sponsored", "noopener", "noreferrer"})
_HEADING = {"id": _matches(r"[\w-]{1,120}")}  # toc's slugs, for #anchors
_FOOTNOTE = {"id": _matches(r"(?:fn|fnref\d*):[\w.:-]{1,80}")}

_COMMENT_ATTRIBUTES: dict[str, dict[str, Callable[[str], bool]]] = {
    "a": {"href": _URL, "title": _ANY},
    "ol": {"start": _NUMBER},
}
_POST_ATTRIBUTES: dict[str, dict[str, Callable[[str], bool]]] = {
    "a": {
        "href": _URL,
        "title": _ANY,
        "rel": lambda v: set(v.split()) <= _SAFE_REL,
        "class": {"footnote-ref", "footnote-backref"}.__contains__,
    },
    "img": {
        "src": _URL,
        "alt": _ANY,
        "title": _ANY,
        "width": _NUMBER,
        "height": _NUMBER,
    },
    "abbr": {"title": _ANY},
    "ol": {"start": _NUMBER},
    "th": {"align": {"left", "right", "center"}.__contains__},
    "td": {"align": {"left", "right", "center"}.__contains__},
    "sup": _FOOTNOTE,
    "li": _FOOTNOTE,
    "div": {"class": {"highlight", "footnote", "toc"}.__contains__},
    "span": {"class": (set(STANDARD_TYPES.values()) - {""}).__contains__},
    "code": {"class": _matches(r"language-[\w+#.-]{1,40}")},
    **{f"h{level}": _HEADING for level in range(1, 7)},
}


def _attribute_filter(
    table: dict[str, dict[str, Callable[[str], bool]]],
) -> Callable[[str, str, str], bool]:
    def allow(tag: str, name: str, value: str) -> bool:
        check = table.get(tag, {}).get(name)
        return check is not None and check(value)

    return allow


def _comment_rel(attrs: dict[Any, str], new: bool = False) -> dict[Any, str] | None:
    """Commenters' links are untrusted: nofollow ugc. Links with no href go."""
    href = attrs.get((None, "href"))
    if not href or _dangerous_url(href):
        return None
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def _post_rel(attrs: dict[Any, str], new: bool = False) -> dict[Any, str] | None:
    """Editors' links keep their rel; links leaving the site get noopener."""
    href = attrs.get((None, "href"))
    if not href or _dangerous_url(href):
        return None
    if href.strip().lower().startswith(("http:", "https:", "//")):
        rel = attrs.get((None, "rel"), "").split()
        attrs[(None, "rel")] = " ".join(rel + ["noopener"] * ("noopener" not in rel))
    return attrs


_PROFILES: dict[str, tuple[frozenset[str], Callable[..., bool], Callable[..., Any]]] = {
    "comment": (COMMENT_TAGS, _attribute_filter(_COMMENT_ATTRIBUTES), _comment_rel),
    "post": (POST_TAGS, _attribute_filter(_POST_ATTRIBUTES), _post_rel),
}
_local = threading.local()  # a bleach Cleaner is not thread-safe


def _cleaner(profile: str) -> bleach.Cleaner:
    cleaners: dict[str, bleach.Cleaner] = getattr(_local, "cleaners", {})
    _local.cleaners = cleaners
    if profile not in cleaners:
        tags, attributes, callback = _PROFILES[profile]
        linkify = partial(
            LinkifyFilter,
            callbacks=[callback],
            skip_tags={"pre", "code"},
            parse_email=False,
            url_re=_LINKIFY_URL_RE,
        )
        cleaners[profile] = bleach.Cleaner(
            tags=tags,
            attributes=attributes,
            protocols=_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[linkify],
        )
    return cleaners[profile]


def sanitize(html: str, profile: str = "comment") -> str:
    """The one place HTML becomes safe: allowlisted tags, attributes, URLs, rel."""
    if profile not in _PROFILES:
        raise ValueError(f"unknown sanitizer profile {profile!r}")
    return _cleaner(profile).clean(html)


def _bracket_cost(source: str) -> int:
    """Upper bound on the characters Markdown's link patterns will scan.

    Inline text never spans a blank line, so each chunk is costed alone.
    Backslash escapes hide brackets from the scanner; code spans can hide a
    "]" too, so in a chunk with a backtick every "[" is costed to its end.
    """
    cost = 0
    for chunk in _BLANK_LINE_RE.split(source):
        size, i, pessimist = len(chunk), 0, "`" in chunk
        squares: list[int] = []
        rounds: list[int] = []
        quotes: list[int] = []
        closing: dict[int, int] = {}
        while i < size:
            char = chunk[i]
            if char == "\\":
                i += 1  # skip the escaped character
            elif char == "[":
                squares.append(i)
            elif char == "]" and squares:
                start = squares.pop()
                cost += (size if pessimist else i) - start
            elif char == "(":
                rounds.append(i)
            elif char == ")" and rounds:
                closing[rounds.pop()] = i
            elif char in "'\"":
                quotes.append(i)
            i += 1
        cost += sum(size - start for start in squares)
        for found in re.finditer(r"\]\(", chunk):  # each link destination
            start = found.start() + 1
            end = size if pessimist else closing.get(start, size)
            after = bisect_right(quotes, start)
            if after < len(quotes) and quotes[after] < end:  # titles backtrack
                end = size
            cost += end - start
    return cost


def _check_structure(text: str, subject: str) -> None:
    """Reject input that would make Markdown slow or overflow its stack."""
    if _NESTING_RE.search(text):
        raise ContentRejected(
            f"{subject} nests lists or quotes more than {_MAX_NESTING} levels "
            "deep; please flatten it."
        )
    if _bracket_cost(text) > _BRACKET_BUDGET:
        raise ContentRejected(
            f"{subject} has too many unmatched brackets, such as “[” without “]”; "
            "please close or remove some."
        )


def _normalize(source: str) -> str:
    """One newline per line break, whatever the browser sent."""
    return source.replace("\r\n", "\n").replace("\r", "\n")


def check_comment_source(source: str) -> None:
    """Reject a comment body before rendering, with a reason the commenter can act on.

    Lengths count characters as typed (CRLF counts as one newline). Never
    truncates. Also refuses inputs that are pathological for Markdown.
    """
    text = _normalize(source)
    if not _CONTROL_RE.sub("", text).strip():
        raise ContentRejected("Please write a comment before posting.")
    if len(text) > COMMENT_MAX_CHARS:
        raise ContentRejected(
            f"Your comment is {len(text):,} characters; "
            f"the limit is {COMMENT_MAX_CHARS:,}."
        )
    if _SURROGATE_RE.search(text):
        raise ContentRejected("Your comment contains an invalid character.")
    size = len(text.encode("utf-8"))
    if size > COMMENT_MAX_BYTES:
        raise ContentRejected(
            f"Your comment takes {size:,} bytes; the limit is {COMMENT_MAX_BYTES:,} "
            "(characters such as emoji take up to four bytes each)."
        )
    _check_structure(text, "Your comment")


def _convert(md: markdown.Markdown, text: str, subject: str) -> str:
    try:
        return md.convert(_CONTROL_RE.sub("", text))
    except RecursionError:  # a nesting shape _NESTING_RE did not foresee
        raise ContentRejected(
            f"{subject} is nested too deeply to display; please flatten it."
        ) from None


def render_comment(source: str) -> str:
    """Check, then Markdown without raw HTML, then sanitize for comments.

    Raw HTML is shown as typed text rather than parsed: commenters write
    Markdown, and ``<b>`` in a comment should read as ``<b>``. Images stay
    links (remote images track readers).
    """
    check_comment_source(source)
    md = markdown.Markdown(extensions=["fenced_code", "sane_lists", "nl2br"])
    md.preprocessors.deregister("html_block")
    for pattern in ("html", "image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(pattern)  # ![alt](src) stays a plain link
    return sanitize(_convert(md, _normalize(source), "Your comment"), "comment")


def render_post(source: str) -> str:
    """Markdown with editors' extensions, then sanitize for posts.

    Posts have no length limit, so pathological bracket runs (``"[" * 8000``)
    and deep nesting are rejected with ContentRejected rather than escaped:
    the editor sees why, and the stored text is exactly what was typed.
    """
    text = _normalize(source)
    _check_structure(text, "The post")
    md = markdown.Markdown(
        extensions=_POST_EXTENSIONS, extension_configs=_POST_EXTENSION_CONFIGS
    )
    return sanitize(_convert(md, text, "The post"), "post")


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "col", "area", "source"})


def excerpt_html(html: str) -> str:
    """The first top-level paragraph that has text, for listings; else "".

    Expects this module's output, where every "<" outside a tag is escaped.
    """
    depth, start = 0, -1
    for tag in _TAG_RE.finditer(html):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID_TAGS:
            continue
        if not closing:
            if depth == 0 and name == "p":
                start = tag.start()
            depth += 1
            continue
        depth = max(depth - 1, 0)
        if depth == 0 and name == "p" and start >= 0:
            paragraph = html[start : tag.end()]
            if plain_text(paragraph):
                return paragraph
            start = -1
    return ""


_INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins",
                          "kbd", "mark", "q", "s", "small", "span", "strong",
                          "sub", "sup"})  # fmt: skip


class _TextCollector(HTMLParser):
    """Text nodes, with a space wherever a block element starts or ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style", "template")
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden = max(self.hidden - 1, 0)
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """Text of rendered HTML, whitespace collapsed. Not HTML: escape it to show it."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())


def render_inline_text(text: str) -> str:
    """Escape plain text (a bio, say) and keep its line breaks as <br>."""
    lines = _CONTROL_RE.sub("", _normalize(text)).split("\n")
    return "<br>\n".join(escape(line) for line in lines)
