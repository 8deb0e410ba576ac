"""Text in and out of the index: the plain text a post is found by, and
snippets shown with the matched words in ``<mark>``.

The database marks matches in a snippet with two private-use characters
(:data:`START`, :data:`END`), which never occur in indexed text (they are
removed on the way in); the snippet is escaped as a whole, then only those
two characters become markup. So nothing a writer typed, and nothing a
reader searched for, reaches the page unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from markupsafe import Markup, escape

#: Where the database starts and ends a match in a snippet.
START = "\ue000"
END = "\ue001"
_SENTINELS = re.compile(f"[{START}{END}]")
_SPACE = re.compile(r"\s+")

#: Elements whose end separates words (``<p>a</p><p>b</p>`` is "a b").
_BREAKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
#: Elements whose content is not text a reader reads.
_SKIPPED = frozenset({"script", "style", "template"})


def without_sentinels(text: str) -> str:
    """``text`` without the two characters that mark matches."""
    return _SENTINELS.sub("", text)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BREAKS:
            self.parts.append(" ")
        if tag == "img":  # an image's words are its alternative text
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(markup: str) -> str:
    """The words of a fragment of (sanitized) HTML, one space between them."""
    if "<" not in markup and "&" not in markup:
        return _SPACE.sub(" ", without_sentinels(markup)).strip()
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return _SPACE.sub(" ", without_sentinels("".join(parser.parts))).strip()


def document_text(body_html: str, excerpt_html: str, names: Iterable[str]) -> str:
    """What a post is found by besides its title: the body, a written
    excerpt (``""`` when the excerpt is made from the body, so its words do
    not count twice) and the names of its categories and tags, and an
    event's venue, people and co-sponsors."""
    parts = [plain_text(body_html), plain_text(excerpt_html)]
    parts += [plain_text(name) for name in names]
    return "\n".join(part for part in parts if part)


def highlight(snippet: str) -> Markup:
    """A snippet from the database, escaped, with its marked matches in
    ``<mark>`` (always balanced, whatever the sentinels say)."""
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{END}])", snippet):
        if piece == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == END:
            if inside:
                out.append("</mark>")
                inside = False
        elif piece:
            out.append(str(escape(piece)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))
