"""WordPress's HTML (already through ``wpautop`` and shortcodes, see
:mod:`blog.importing.content`) as Markdown for ``blog.rendering``.

markdownify does the walking; this subclass writes the Markdown that
Python-Markdown (with the post extensions) reads back as the same page:
ATX headings, lists indented by four spaces, fenced code, text escaped so
that literal ``*stars*`` or ``1.`` stay literal. What Markdown cannot say
(figures with captions, tables with spans or blocks, ``<sup>``, ``<abbr>``,
aligned images...) stays as HTML; the sanitizer drops what it does not allow.
With ``keep_html=False`` (comments, whose renderer shows HTML as typed) such
things become their text instead.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from bs4 import Tag
from bs4.element import NavigableString
from markdownify import ATX, MarkdownConverter

from blog.importing.escaping import (
    destination,
    escape_line_start,
    escape_text,
    is_block,
    is_break,
    starts_line,
    title,
)
from blog.importing.markup import (
    BLOCK_TAGS,
    INLINE_HTML,
    is_simple_table,
    serialize,
    table_rows,
)

_SPACE_RE = re.compile(r"[\t\n\r\f\v ]+")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})", re.M)
_ALIGN_RE = re.compile(r"\balign(left|right|center)\b")
_LANGUAGE_RE = re.compile(r"(?:\blanguage-|\blang-|\bbrush:\s*)([\w+#.-]{1,40})")
# Markdown's own marks, by HTML tag.
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "dfn": "*"}
# Tags with a convert_<name> method below.
_OWN = frozenset(
    "a img br hr p blockquote ul ol li pre figure figcaption table dl dt dd summary "
    "code tt samp kbd q strong b em i dfn".split()
)
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption"})


def _nested(parent_tags: set[str]) -> bool:
    """Inside a list item or quote, where raw HTML blocks are not read as such."""
    return bool(parent_tags & {"li", "blockquote", "dd", "td", "th"})


class WordPressConverter(MarkdownConverter):
    """HTML to Markdown as ``blog.rendering.render_post`` reads it."""

    def __init__(self, *, keep_html: bool = True) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            escape_asterisks=False,
            escape_underscores=False,
            autolinks=True,
        )
        self.keep_html = keep_html

    # -- walking ---------------------------------------------------------

    def get_conv_fn(self, tag_name: str) -> Any:
        """Only HTML's tags: a ``<soup>`` tag must not call ``convert_soup``."""
        name = tag_name.lower()
        if name == "[document]":
            return self._document
        if re.fullmatch(r"h[1-6]", name):
            level = int(name[1])
            return lambda el, text, parent_tags: self.convert_hN(
                level, el, text, parent_tags
            )
        if name in _OWN:
            return getattr(self, f"convert_{name}")
        if name in INLINE_HTML:
            return self._inline_html
        if name in BLOCK_TAGS and name not in _TABLE_PARTS:
            return self._block
        return None  # unknown or presentational (span, font): its content

    def process_text(
        self, el: NavigableString, parent_tags: set[str] | None = None
    ) -> str:
        """As markdownify, but all whitespace is one space (HTML's reading:
        a newline in the source is no line break) and escaped our way."""
        parent_tags = parent_tags or set()
        text = str(el)
        if "pre" not in parent_tags:
            text = _SPACE_RE.sub(" ", text)
        if "_noformat" not in parent_tags:
            text = self.escape(text, parent_tags)
        previous, following = el.previous_sibling, el.next_sibling
        if "pre" in parent_tags:
            return text
        if (
            is_block(previous)
            or is_break(previous)
            or (is_block(el.parent) and previous is None)
        ):
            text = text.lstrip(" ")
        if is_block(following) or (is_block(el.parent) and following is None):
            text = text.rstrip(" ")
        if "_noformat" not in parent_tags and starts_line(el):
            text = escape_line_start(text)
        return text

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text, pipes=self.keep_html)

    # -- blocks ----------------------------------------------------------

    def _document(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text.strip("\n")

    def _block(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if "_inline" in parent_tags:
            return f" {text} "
        return f"\n\n{text}\n\n" if text.replace("\xa0", "") else ""

    convert_p = _block

    def convert_summary(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        return self._block(el, f"**{text}**" if text else "", parent_tags)

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = _SPACE_RE.sub(" ", text.replace("  \n", " ")).strip()
        if "_inline" in parent_tags:
            return text
        if not text:
            return ""
        if text.endswith("#"):  # "## C#" would lose its "#"
            text = text[:-1] + "\\#"
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n---\n\n"

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags or "code" in parent_tags:
            return "\n"
        if "_inline" in parent_tags:
            return "<br>" if {"td", "th"} & parent_tags and self.keep_html else " "
        if _ends_block(el):
            return ""  # a break that ends a block shows nothing
        return "  \n"

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if "_inline" in parent_tags:
            return f" {text} "
        if not text:
            return ""
        quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
        return f"\n\n{quoted}\n\n"

    def convert_list(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.rstrip()
        if not text.strip():
            return ""
        if "li" in parent_tags:
            return "\n" + text + "\n"
        previous = _previous_block(el)
        # Two lists in a row would be read as one.
        separator = (
            "<!-- -->\n\n" if previous is not None and previous.name == el.name else ""
        )
        return f"\n\n{separator}{text}\n\n"

    convert_ul = convert_ol = convert_list

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            first = int(start) if start.isdigit() and len(start) < 9 else 1
            index = sum(
                1 for s in el.previous_siblings if getattr(s, "name", "") == "li"
            )
            bullet = f"{first + index}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        indented = [lines[0]] + [f"    {line}" if line else "" for line in lines[1:]]
        return bullet + "\n".join(indented).rstrip() + "\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip("\n").rstrip()
        if not text.strip():
            return ""
        if _nested(parent_tags):  # fenced code is read at the top level only
            lines = [f"    {line}" if line.strip() else "" for line in text.split("\n")]
            return "\n\n" + "\n".join(lines) + "\n\n"
        longest = max((len(m.group(1)) for m in _FENCE_RE.finditer(text)), default=2)
        fence = "`" * max(3, longest + 1)
        classes = " ".join(el.get_attribute_list("class") or [])
        code = el.find("code")
        if isinstance(code, Tag):
            classes += " " + " ".join(code.get_attribute_list("class") or [])
        found = _LANGUAGE_RE.search(classes)
        language = found.group(1) if found else ""
        return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        caption = el.find("figcaption", recursive=False)
        if caption is None or not caption.get_text(strip=True):
            return self._block(el, text, parent_tags)
        if self.keep_html and not _nested(parent_tags) and "_inline" not in parent_tags:
            return f"\n\n{serialize(el)}\n\n"
        return self._block(el, text, parent_tags)  # image, then caption paragraph

    convert_figcaption = _block

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        rows = table_rows(el)
        if is_simple_table(el, rows):
            return "\n\n" + self._pipe_table(rows, parent_tags) + "\n\n"
        if self.keep_html and not _nested(parent_tags):
            return f"\n\n{serialize(el)}\n\n"
        lines = [" | ".join(self._cell(c, parent_tags) for c in row) for row in rows]
        return "\n\n" + "\n\n".join(line for line in lines if line.strip()) + "\n\n"

    def _cell(self, cell: Tag, parent_tags: set[str]) -> str:
        # markdownify's stub omits process_tag (which walks an element)
        walk = self.process_tag  # type: ignore[attr-defined]
        text: str = walk(cell, parent_tags | {"td", "_inline"})
        return _SPACE_RE.sub(" ", text).strip()

    def _pipe_table(self, rows: list[list[Tag]], parent_tags: set[str]) -> str:
        lines = []
        for i, row in enumerate(rows):
            cells = []
            for cell in row:
                content = self._cell(cell, parent_tags)
                if i and cell.name == "th" and content:
                    content = f"**{content}**"  # a row header, in a body row
                cells.append(content)
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "|".join(" --- " for _ in row) + "|")
        return "\n".join(lines)

    def convert_dl(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._block(el, text.strip("\n"), parent_tags)

    def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = _SPACE_RE.sub(" ", text).strip()
        return f"\n\n{text}\n" if text else ""

    def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if not text:
            return ""
        if el.find_previous_sibling(["dt", "dd"]) is None:  # no term to define
            return self._block(el, text, parent_tags)
        lines = text.split("\n")
        body = "\n".join([lines[0]] + [f"    {x}" if x else "" for x in lines[1:]])
        return f":   {body}\n"

    # -- inline ----------------------------------------------------------

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "").strip()
        if "_noformat" in parent_tags or not href:
            return text
        before, text, after = _chomp(text)
        if not text:
            return before
        plain = el.get_text()
        if plain.strip() == href and not el.get("title") and el.find(True) is None:
            if re.fullmatch(r"(?:https?|mailto):[^\s<>]+", href):
                return f"{before}<{href}>{after}"
        quoted = title(str(el.get("title") or ""))
        return f"{before}[{text}]({destination(href)}{quoted}){after}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "").strip()
        if not src:
            return ""
        alt = self.escape(_SPACE_RE.sub(" ", str(el.get("alt") or "")).strip(), set())
        aligned = _ALIGN_RE.search(" ".join(el.get_attribute_list("class") or []))
        if aligned and self.keep_html and "_noformat" not in parent_tags:
            return serialize(el)  # alignment and size: HTML says them, Markdown not
        quoted = title(str(el.get("title") or ""))
        if not self.keep_html and el.find_parent("a") is not None:
            return alt or self.escape(src, set())
        if not self.keep_html:  # comments show no images: a link to it
            return f"[{alt or self.escape(src, set())}]({destination(src)}{quoted})"
        return f"![{alt}]({destination(src)}{quoted})"

    def _emphasis(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        mark = _EMPHASIS[el.name]
        # <strong>a<strong>b</strong></strong>: one mark is enough
        if any(_EMPHASIS.get(p.name) == mark for p in el.parents):
            return text
        before, text, after = _chomp(text)
        return f"{before}{mark}{text}{mark}{after}" if text else before

    convert_strong = convert_b = convert_em = convert_i = convert_dfn = _emphasis

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        # WordPress shows <code> over several lines (wpautop's <br>): a span a line
        spans = []
        for line in text.split("\n"):
            line = _SPACE_RE.sub(" ", line).strip()
            if line:
                ticks = max((len(t) for t in re.findall(r"`+", line)), default=0)
                fence = "`" * (ticks + 1)
                pad = " " if ticks or line.startswith("`") or line.endswith("`") else ""
                spans.append(f"{fence}{pad}{line}{pad}{fence}")
        return "  \n".join(spans)

    convert_tt = convert_samp = convert_code

    def convert_kbd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not self.keep_html:
            return self.convert_code(el, text, parent_tags)
        if "_noformat" in parent_tags:
            return text
        # markdownify leaves text in <kbd> unescaped (it reads it as code)
        return f"<kbd>{self.escape(_SPACE_RE.sub(' ', text), parent_tags)}</kbd>"

    def convert_q(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.keep_html and "_noformat" not in parent_tags:
            return self._inline_html(el, text, parent_tags)
        return f"“{text}”"

    def _inline_html(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """``<sup>``, ``<abbr title>``, ``<del>``...: the tag stays, its content
        is Markdown (Python-Markdown reads inline HTML's content)."""
        if not self.keep_html or "_noformat" in parent_tags or not text.strip():
            return text
        name = INLINE_HTML[el.name]
        hint = el.get("title")
        attributes = f' title="{escape(str(hint))}"' if hint and name == "abbr" else ""
        return f"<{name}{attributes}>{text}</{name}>"


def _chomp(text: str) -> tuple[str, str, str]:
    """Inline content without the spaces and line breaks around it, which go
    outside its marks ("** bold**" is no emphasis)."""

    def edge(space: str) -> str:
        return "  \n" if "\n" in space else " " if space else ""

    core = text.strip()
    if not core:
        return edge(text), "", ""
    return (
        edge(text[: len(text) - len(text.lstrip())]),
        core,
        edge(text[len(text.rstrip()) :]),
    )


def _ends_block(el: Tag) -> bool:
    """Whether nothing but a block follows ``el`` on its line."""
    node: Any = el
    for _ in range(50):
        following = next(
            (s for s in node.next_siblings if isinstance(s, Tag) or str(s).strip()),
            None,
        )
        if following is not None:
            return is_block(following)
        node = node.parent
        if node is None or node.name == "[document]" or is_block(node):
            return True
    return False


def _previous_block(el: Tag) -> Tag | None:
    for sibling in el.previous_siblings:
        if isinstance(sibling, Tag):
            return sibling
        if str(sibling).strip():
            return None
    return None
