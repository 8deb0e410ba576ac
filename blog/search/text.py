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

from markupsafe import Markup, escape

from blog import rendering

#: Where the database starts and ends a match in a snippet.
START = "\ue000"
END = "\ue001"
_SENTINELS = re.compile(f"[{START}{END}]")


def without_sentinels(text: str) -> str:
    """``text`` without the two characters that mark matches."""
    return _SENTINELS.sub("", text)


def plain_text(markup: str) -> str:
    """The words of a fragment of (sanitized) HTML and its images'
    alternative text, one space between them."""
    return " ".join(
        without_sentinels(rendering.plain_text(markup, alt_text=True)).split()
    )


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
