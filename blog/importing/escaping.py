"""Text and addresses written so that Markdown reads them back literally:
WordPress showed ``*stars*``, ``1. `` at the start of a line or ``[sic]`` as
typed, and so must the imported post. Only what Python-Markdown (with the
post extensions: tables, footnotes, abbreviations, definition lists, toc)
would read as syntax is escaped, so that the Markdown stays readable."""

from __future__ import annotations

import re
from typing import Any

from bs4.element import NavigableString

from blog.importing.markup import BLOCK_TAGS

# Anywhere: inline syntax (emphasis, code, links, footnotes, [TOC]), raw HTML
# and entities. "_" inside a word is no emphasis in Python-Markdown.
_INLINE_RE = re.compile(r"[\\`*\[\]]|(?<!\w)_|_(?!\w)")
_TAG_START_RE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_RE = re.compile(r"&(?=#?\w+;)")
# At the start of a line: headings, quotes, lists, definitions (":"), fences
# and setext underlines. ":", "~" and "=" have no backslash escape: entities.
_LINE_START_RE = re.compile(
    r"^(\s*)(?:([#>])|([-+])(?=[\s-]|$)|(\d{1,9})\.(?=\s|$)|(:)(?=\s|$)|(~~~)|(=+\s*$))"
)
_URL_ESCAPES = [(" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"),
                ("\\", "%5C"), ('"', "%22"), ("\n", "")]  # fmt: skip


def escape_text(text: str, *, pipes: bool) -> str:
    """Inline escapes; ``pipes``: "|" too (posts have tables, comments not,
    where "\\|" would show its backslash)."""
    text = _INLINE_RE.sub(lambda m: "\\" + m.group(0), text)
    if pipes:
        text = text.replace("|", "\\|")
    return _TAG_START_RE.sub("&lt;", _ENTITY_RE.sub("&amp;", text))


def _line_start(m: re.Match[str]) -> str:
    lead, mark, bullet, number, colon, tildes, equals = m.groups()
    if mark or bullet:
        return f"{lead}\\{mark or bullet}"
    if number:
        return f"{lead}{number}\\."
    if colon:
        return f"{lead}&#58;"
    if tildes:
        return f"{lead}&#126;~~"
    return f"{lead}&#61;{equals[1:]}"


def escape_line_start(text: str) -> str:
    """Escapes for text that begins a line (see :func:`starts_line`)."""
    return _LINE_START_RE.sub(_line_start, text)


def is_block(el: Any) -> bool:
    name = getattr(el, "name", None)
    if not isinstance(name, str):
        return False
    return name in BLOCK_TAGS or re.fullmatch(r"h[1-6]", name) is not None


def is_break(el: Any) -> bool:
    return getattr(el, "name", None) == "br"


def starts_line(el: NavigableString) -> bool:
    """Whether the text begins a line of the Markdown (after a block or a
    line break), where "1." or "#" would start a list or a heading."""
    node: Any = el
    for _ in range(50):  # past that, escaping is the safe guess
        previous = node.previous_sibling
        if previous is None:
            node = node.parent
            if node is None or node.name == "[document]" or is_block(node):
                return True
            continue
        if is_block(previous) or is_break(previous):
            return True
        if isinstance(previous, NavigableString) and not str(previous).strip():
            node = previous
            continue
        return False
    return True


def destination(url: str) -> str:
    """A link or image address as Markdown reads it back whole."""
    for char, code in _URL_ESCAPES:
        url = url.replace(char, code)
    return url


def title(text: str) -> str:
    """A link's or image's title, quoted for Markdown ("" when none)."""
    text = " ".join(text.split())
    return f' "{text.replace(chr(34), "&quot;")}"' if text else ""
