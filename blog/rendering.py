"""Markdown to safe HTML: the only module that decides what HTML is safe.

Markdown runs first and ``sanitize()`` cleans what it produced, never the
other way round. bleach stays behind ``sanitize()`` so that it can be swapped
(for nh3, say) without touching callers; ``tests/payloads.py`` is the contract.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import partial
from html import escape, unescape
from typing import TYPE_CHECKING, Any, cast

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from pygments.token import STANDARD_TYPES

from blog.validation import strip_invisible

if TYPE_CHECKING:
    from html5lib.filters.base import Filter
else:  # bleach vendors html5lib; its stubs describe the original
    from bleach.html5lib_shim import Filter

#: Bumped whenever stored HTML would come out differently; ``flask rerender``
#: (and ``comments rerender``) render what an older version stored again.
#: 2: link text without invisible characters, no bidi overrides, heading ids
#: and "#anchors" under ``user-content-``.
RENDERER_VERSION: int = 2
COMMENT_MAX_CHARS: int = 5000
COMMENT_MAX_BYTES: int = 20000

# Python-Markdown scans forward from every "[" and every "](" for its match,
# once per link pattern: quadratic. A unit is one character scanned (about
# half a microsecond), so the worst accepted input renders in about 0.1 s.
_BRACKET_BUDGET = 150_000
# "1. 1. 1. ..." or ">>>>" on one line nests that deep: Markdown runs out of
# stack near 600 levels and html5lib slows down quadratically with depth.
_MAX_NESTING = 20
_NESTING_RE = re.compile(
    r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]*)" + f"{{{_MAX_NESTING + 1}}}", re.M
)
# Raw HTML tags left open make Markdown and the sanitizer slow down
# quadratically ("<a " * 5000 takes seconds); closed ones cost less, but not
# nothing (20,000 tags take about a second).
_MAX_UNCLOSED_TAGS = 2000
_MAX_TAGS = 20_000
_TAG_OPEN_RE = re.compile(r"<[A-Za-z]")
_TAG_CLOSE_RE = re.compile(r"</[A-Za-z]")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_FENCED_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_BACKTICK_RE = re.compile(BACKTICK_RE)
_CODE_SPANS = BacktickInlineProcessor(BACKTICK_RE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Characters a browser skips inside a URL scheme, or that hide one from a reader.
_URL_NOISE_RE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]+"
)
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Left-to-right and right-to-left overrides show letters against their own
# direction ("\u202etxt.exe" reads "exe.txt"): no language needs them.
_OVERRIDES_RE = re.compile(r"[\u202d\u202e]")
_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
#: Ids in posts live under this prefix (as on GitHub), so that a heading
#: cannot take the id of the page's own parts ("content", "comments").
ID_PREFIX = "user-content-"

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


def _safe_url(value: str) -> bool:
    """False for a URL that could run script however many times it is decoded."""
    for _ in range(3):
        value = unescape(value)
    return not _URL_NOISE_RE.sub("", value).lower().startswith(_BAD_SCHEMES)


def _any(value: str) -> bool:
    return True


def _matches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda value: compiled.fullmatch(value) is not None


_NUMBER = _matches(r"\d{1,5}")
_Checks = dict[str, Callable[[str], bool]]
_ALIGN: _Checks = {"align": {"left", "right", "center"}.__contains__}
# toc's slugs, for #anchors (prefixed with ID_PREFIX once sanitized)
_HEADING = {"id": _matches(rf"(?:{ID_PREFIX})?[\w-]{{1,120}}")}
_FOOTNOTE = {"id": _matches(rf"(?:{ID_PREFIX})?(?:fn|fnref\d*):[\w.:-]{{1,80}}")}
_SAFE_REL = frozenset({"nofollow", "ugc", "sponsored", "noopener", "noreferrer"})

_COMMENT_ATTRIBUTES: dict[str, dict[str, Callable[[str], bool]]] = {
    "a": {"href": _safe_url, "title": _any},
    "ol": {"start": _NUMBER},
}
_POST_ATTRIBUTES: dict[str, dict[str, Callable[[str], bool]]] = {
    "a": {
        "href": _safe_url,
        "title": _any,
        "rel": lambda value: set(value.split()) <= _SAFE_REL,
        "class": {"footnote-ref", "footnote-backref"}.__contains__,
    },
    "img": dict(src=_safe_url, alt=_any, title=_any, width=_NUMBER, height=_NUMBER),
    "abbr": {"title": _any},
    "ol": {"start": _NUMBER},
    "th": _ALIGN,
    "td": _ALIGN,
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
    if not href or not _safe_url(href):
        return None
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def _post_rel(attrs: dict[Any, str], new: bool = False) -> dict[Any, str] | None:
    """Editors' links keep their rel; links leaving the site get noopener."""
    href = attrs.get((None, "href"))
    if not href or not _safe_url(href):
        return None
    if href.strip().lower().startswith(("http:", "https:", "//")):
        rel = attrs.get((None, "rel"), "").split()
        attrs[(None, "rel")] = " ".join(rel + ["noopener"] * ("noopener" not in rel))
    return attrs


def _body_text(text: str) -> str:
    """Text outside links keeps the marks and joiners scripts need; only the
    bidi overrides go."""
    return _OVERRIDES_RE.sub("", text)


def _in_attribute(value: str, clean: Callable[[str], str]) -> str:
    """``clean`` applied to an attribute value as the serializer writes it,
    where ``&#8238;`` is still an entity: entities that decode to characters
    ``clean`` removes go as well."""

    def entity(found: re.Match[str]) -> str:
        decoded = unescape(found.group())
        return "" if clean(decoded) != decoded else found.group()

    previous = None
    while value != previous:  # removing "\u202e" from "&#82\u202e38;" makes one
        previous = value
        value = clean(_ENTITY_RE.sub(entity, value))
    return value


class _TextFilter(Filter):
    """Inside the sanitizer, after linkify: invisible characters out of link
    text and addresses (:func:`blog.validation.strip_invisible`), bidi
    overrides out of all other text; in posts, ids and "#anchors" under
    :data:`ID_PREFIX`. Each step keeps :func:`sanitize` idempotent."""

    def __init__(self, source: Any, *, prefix_ids: bool) -> None:
        super().__init__(source)
        self.prefix_ids = prefix_ids

    def __iter__(self) -> Iterator[dict[str, Any]]:
        links = 0  # open <a> elements
        for token in super().__iter__():
            kind = token["type"]
            clean = strip_invisible if links else _body_text
            if kind in ("StartTag", "EmptyTag"):
                self._attributes(token["data"])
                if token["name"] == "a" and kind == "StartTag":
                    links += 1
            elif kind == "EndTag" and token["name"] == "a":
                links = max(links - 1, 0)
            elif kind in ("Characters", "SpaceCharacters"):
                token["data"] = clean(token["data"])
            elif kind == "Entity":
                decoded = unescape(f"&{token['name']};")
                if clean(decoded) != decoded:
                    continue
            yield token

    def _attributes(self, attributes: dict[tuple[str | None, str], str]) -> None:
        for key, value in attributes.items():
            name = key[1]
            url = name in ("href", "src")
            value = _in_attribute(value, strip_invisible if url else _body_text)
            if self.prefix_ids and name == "id" and not value.startswith(ID_PREFIX):
                value = ID_PREFIX + value
            if (
                self.prefix_ids
                and name == "href"
                and value.startswith("#")
                and len(value) > 1
                and not value.startswith("#" + ID_PREFIX)
            ):
                value = "#" + ID_PREFIX + value[1:]
            attributes[key] = value


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
            filters=[linkify, partial(_TextFilter, prefix_ids=profile == "post")],
        )
    return cleaners[profile]


def sanitize(html: str, profile: str = "comment") -> str:
    """The one place HTML becomes safe: allowlisted tags, attributes, URLs, rel;
    no invisible characters in links, no bidi overrides; posts' ids prefixed."""
    if profile not in _PROFILES:
        raise ValueError(f"unknown sanitizer profile {profile!r}")
    return _cleaner(profile).clean(html)


def _mask_code(chunk: str) -> tuple[str, int]:
    """Blank out code spans where Markdown finds them (they hide brackets), and
    count what that search scans: an unmatched run of backticks scans to the end.
    """
    spans: list[tuple[int, int]] = []
    index = cost = 0
    while (
        cost <= _BRACKET_BUDGET
        and (found := _BACKTICK_RE.search(chunk, index)) is not None
    ):
        begin = found.end() if found.group(1) else found.start()
        # types-Markdown says "tuple[int, int] | None"; the code gives (start, None).
        start, end = cast(
            "tuple[int, int | None]", _CODE_SPANS.find_code_spans(begin, chunk)
        )
        cost += (len(chunk) if end is None else end) - begin
        index = max(start, begin + 1) if end is None else end + start - begin
        if end is not None:
            spans.append((begin, index))
    pieces, last = [], 0
    for begin, end in spans:
        pieces += [chunk[last:begin], " " * (end - begin)]
        last = end
    return "".join(pieces) + chunk[last:], cost


def _bracket_cost(source: str) -> int:
    """Upper bound on the characters Markdown's link patterns will scan.

    Fenced code is never scanned, inline text never spans a blank line, and
    code spans and backslash escapes hide brackets, all as in Markdown.
    """
    cost = 0
    for chunk in _BLANK_LINE_RE.split(_FENCED_RE.sub("\n\n", source)):
        chunk, scanned = _mask_code(chunk)
        cost += scanned
        size, i = len(chunk), 0
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
                cost += i - squares.pop()
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
            end = closing.get(start, size)
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
    outside_code = _FENCED_RE.sub("", text)
    opened = len(_TAG_OPEN_RE.findall(outside_code))
    closed = len(_TAG_CLOSE_RE.findall(outside_code))
    if opened - closed > _MAX_UNCLOSED_TAGS:
        raise ContentRejected(
            f"{subject} has more than {_MAX_UNCLOSED_TAGS:,} HTML tags that are "
            "never closed; please close or remove some."
        )
    if opened + closed > _MAX_TAGS:
        raise ContentRejected(
            f"{subject} has more than {_MAX_TAGS:,} HTML tags; please split it "
            "or write more of it in Markdown."
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


# Tags in this module's output: attribute values are always double-quoted.
_TAG_RE = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"]|"[^"]*")*>')
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
_INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins",
                          "kbd", "mark", "q", "s", "small", "span", "strong",
                          "sub", "sup"})  # fmt: skip


def excerpt_html(html: str) -> str:
    """The first top-level paragraph that has text, for listings; else "".

    Expects this module's output, in which "<" only ever opens a tag.
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
            if plain_text(paragraph := html[start : tag.end()]):
                return paragraph
            start = -1
    return ""


def plain_text(html: str) -> str:
    """Text of this module's HTML, whitespace collapsed (for ICS, meta, search).

    The result is text, not HTML: escape it wherever it is shown.
    """
    spaced = _TAG_RE.sub(
        lambda tag: "" if tag.group(2).lower() in _INLINE_TAGS else " ", html
    )
    return " ".join(unescape(spaced).split())


def render_inline_text(text: str) -> str:
    """Escape plain text (a bio, say) and keep its line breaks as <br>."""
    lines = _body_text(_CONTROL_RE.sub("", _normalize(text))).split("\n")
    return "<br>\n".join(escape(line) for line in lines)
