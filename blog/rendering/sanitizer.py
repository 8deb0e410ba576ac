"""The one place HTML becomes safe: allowlisted tags, attributes, URLs and
``rel``; no invisible characters in links, no bidi overrides; posts' ids
under :data:`ID_PREFIX`. bleach stays behind :func:`sanitize` so that it can
be swapped (for nh3, say) without touching callers."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from functools import partial
from html import unescape
from typing import TYPE_CHECKING, Any

import bleach
from bleach.linkifier import LinkifyFilter
from pygments.token import STANDARD_TYPES

from blog.validation import strip_invisible

if TYPE_CHECKING:
    from html5lib.filters.base import Filter
else:  # bleach vendors html5lib; its stubs describe the original
    from bleach.html5lib_shim import Filter

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
    "b", "i", "kbd", "mark", "cite", "q", "small", "picture", "source",
}  # fmt: skip
_PROTOCOLS = frozenset({"http", "https", "mailto"})
#: Posts may also name an upload of the media library, ``media:123``, which
#: ``blog.media.markup`` turns into its address after sanitizing.
_POST_PROTOCOLS = _PROTOCOLS | {"media"}
# Bare URLs become links only with a scheme or "www." (as on GitHub), so that
# "views.py" stays text. bleach's own URL regex backtracks quadratically on
# "((((" or "www.a-www.a-"; this one never backtracks far (one start per run).
_LINKIFY_URL_RE = re.compile(
    r"(?:(?<!\()\(+)?(?<![\w.@/:-])(?:https?://|www\.)[\w.-]+(?::\d+)?"
    r"(?:[/?#][^\s<>\"'`{}|\\^]*)?",
    re.IGNORECASE,
)


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
_ALIGN: _Checks = {"class": {"align-left", "align-right", "align-center"}.__contains__}
# toc's slugs, for #anchors (prefixed with ID_PREFIX once sanitized)
_HEADING = {"id": _matches(rf"(?:{ID_PREFIX})?[\w-]{{1,120}}")}
_FOOTNOTE = {"id": _matches(rf"(?:{ID_PREFIX})?(?:fn|fnref\d*):[\w.:-]{{1,80}}")}
_SAFE_REL = frozenset({"nofollow", "ugc", "sponsored", "noopener", "noreferrer"})
# Responsive images (``blog.media.markup``): candidates are uploads only.
_UPLOAD = r"/media/[A-Za-z0-9_-]{1,80}\.[a-z0-9]{2,5} \d{1,5}w"
_SRCSET = _matches(rf"{_UPLOAD}(?:, {_UPLOAD}){{0,20}}")
_SIZES = _matches(r"(?:\(max-width: \d{1,5}px\) 100vw, )?\d{1,5}px")
_IMAGE_TYPES = {"image/webp", "image/jpeg", "image/png", "image/gif"}

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
    "img": dict(
        src=_safe_url,
        alt=_any,
        title=_any,
        width=_NUMBER,
        height=_NUMBER,
        srcset=_SRCSET,
        sizes=_SIZES,
        loading={"lazy", "eager"}.__contains__,
        decoding={"async", "sync", "auto"}.__contains__,
    ),
    "source": dict(type=_IMAGE_TYPES.__contains__, srcset=_SRCSET, sizes=_SIZES),
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


def body_text(text: str) -> str:
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
            clean = strip_invisible if links else body_text
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
            value = _in_attribute(value, strip_invisible if url else body_text)
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


_PROFILES: dict[
    str,
    tuple[frozenset[str], Callable[..., bool], Callable[..., Any], frozenset[str]],
] = {
    "comment": (
        COMMENT_TAGS,
        _attribute_filter(_COMMENT_ATTRIBUTES),
        _comment_rel,
        _PROTOCOLS,
    ),
    "post": (
        POST_TAGS,
        _attribute_filter(_POST_ATTRIBUTES),
        _post_rel,
        _POST_PROTOCOLS,
    ),
}
_local = threading.local()  # a bleach Cleaner is not thread-safe


def _cleaner(profile: str) -> bleach.Cleaner:
    cleaners: dict[str, bleach.Cleaner] = getattr(_local, "cleaners", {})
    _local.cleaners = cleaners
    if profile not in cleaners:
        tags, attributes, callback, protocols = _PROFILES[profile]
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
            protocols=protocols,
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
