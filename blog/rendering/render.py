"""Markdown to HTML for comments and posts (checked first, sanitized last),
and reading that HTML back: excerpts and plain text."""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

from blog.rendering.limits import (
    CONTROL_RE,
    ContentRejected,
    check_comment_source,
    check_structure,
    normalize,
)
from blog.rendering.sanitizer import body_text, sanitize

#: Bumped whenever stored HTML would come out differently; ``flask rerender``
#: (and ``comments rerender``) render what an older version stored again.
#: 2: link text without invisible characters, no bidi overrides, heading ids
#: and "#anchors" under ``user-content-``.
#: 3: media library images (``media:ID``, ``/media/...``) with srcset, sizes,
#: width, height and lazy loading (``blog.media.markup``).
#: 4: table cells aligned by class (``align-right``), not the obsolete ``align``.
RENDERER_VERSION: int = 4

_POST_EXTENSIONS = ["abbr", "def_list", "footnotes", "tables", "fenced_code",
                    "codehilite", "sane_lists", "toc"]  # fmt: skip
_POST_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # Classes only (a stylesheet colours them); guessing the language runs
    # every Pygments lexer and takes seconds on long whitespace.
    "codehilite": {"css_class": "highlight", "noclasses": False, "guess_lang": False},
    "tables": {"use_align_attribute": True},  # align="left", made a class below
}
_ALIGNMENTS = frozenset({"left", "right", "center"})


class _CellAlignment(Treeprocessor):
    """Table cells' alignment as a class (``align-right``): HTML made the
    ``align`` attribute obsolete, and posts may not carry ``style``."""

    def run(self, root: Any) -> None:
        for cell in root.iter():
            if cell.tag in ("th", "td") and "align" in cell.attrib:
                align = cell.attrib.pop("align")
                if align in _ALIGNMENTS:
                    cell.set("class", f"align-{align}")


def _convert(md: markdown.Markdown, text: str, subject: str) -> str:
    try:
        return md.convert(CONTROL_RE.sub("", text))
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
    return sanitize(_convert(md, normalize(source), "Your comment"), "comment")


def render_post(source: str) -> str:
    """Markdown with editors' extensions, then sanitize for posts.

    Posts have no length limit, so pathological bracket runs (``"[" * 8000``)
    and deep nesting are rejected with ContentRejected rather than escaped:
    the editor sees why, and the stored text is exactly what was typed.
    """
    text = normalize(source)
    check_structure(text, "The post")
    md = markdown.Markdown(
        extensions=_POST_EXTENSIONS, extension_configs=_POST_EXTENSION_CONFIGS
    )
    md.treeprocessors.register(_CellAlignment(md), "cell_alignment", 5)
    return sanitize(_convert(md, text, "The post"), "post")


# Tags in this package's output: attribute values are always double-quoted.
_TAG_RE = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"]|"[^"]*")*>')
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
_INLINE_TAGS = frozenset({"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins",
                          "kbd", "mark", "q", "s", "small", "span", "strong",
                          "sub", "sup"})  # fmt: skip


def excerpt_html(html: str) -> str:
    """The first top-level paragraph that has text, for listings; else "".

    Expects this package's output, in which "<" only ever opens a tag.
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


_ALT_RE = re.compile(r'\salt="([^"]*)"')


def plain_text(html: str, *, alt_text: bool = False) -> str:
    """Text of this package's HTML, whitespace collapsed (for ICS, meta, search).

    ``alt_text``: an image counts as its alternative text (the words search
    finds it by). The result is text, not HTML: escape it wherever it is shown.
    """

    def spacing(tag: re.Match[str]) -> str:
        name = tag.group(2).lower()
        if name in _INLINE_TAGS:
            return ""
        if alt_text and name == "img" and (alt := _ALT_RE.search(tag.group(0))):
            return f" {alt.group(1)} "
        return " "

    return " ".join(unescape(_TAG_RE.sub(spacing, html)).split())


def render_inline_text(text: str) -> str:
    """Escape plain text (a bio, say) and keep its line breaks as <br>."""
    lines = body_text(CONTROL_RE.sub("", normalize(text))).split("\n")
    return "<br>\n".join(escape(line) for line in lines)
