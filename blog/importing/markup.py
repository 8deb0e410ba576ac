"""The parsed HTML of a WordPress post made ready for Markdown: what cannot
be imported goes (scripts, frames, forms), media become links, WordPress's
own caption and gallery markup becomes figures, addresses are rewritten,
and absurd nesting is flattened so that neither the converter nor
Python-Markdown runs out of stack. :func:`serialize` writes the HTML that
stays HTML in the Markdown (a figure with its caption, a complex table);
:func:`is_simple_table` tells the tables a Markdown pipe table can say."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction

#: Tags that hold blocks; anything not named here or in :data:`INLINE_HTML`
#: (``span``, ``font``, an unknown tag) gives way to its content.
BLOCK_TAGS = frozenset(
    "p div section article header footer aside main nav center hgroup fieldset "
    "details summary address blockquote ul ol li dl dt dd pre figure figcaption "
    "table thead tbody tfoot tr td th caption hr legend".split()
)
#: Inline tags Markdown has no syntax for, kept as HTML (and the tag written).
INLINE_HTML = {
    "sup": "sup", "sub": "sub", "ins": "ins", "del": "del", "s": "s",
    "strike": "s", "abbr": "abbr", "acronym": "abbr", "cite": "cite",
    "mark": "mark", "small": "small", "u": "u", "big": "big", "var": "var",
    "kbd": "kbd", "q": "q",
}  # fmt: skip
# Never imported, content and all: they run code, ask for input or draw.
_REMOVED = frozenset(
    "script style object embed noscript template form input button select "
    "textarea option svg math canvas map area head title meta link base frame "
    "frameset applet param source track dialog".split()
)
_MAX_DEPTH = 40  # elements inside elements
_MAX_SOURCE_DEPTH = 100  # the same, counted in the source before parsing
_LXML_MAX = 5_000_000  # characters
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_MAX_LISTS = 6  # lists inside lists
_MAX_QUOTES = 5  # quotes inside quotes
_BACKGROUND_RE = re.compile(r"background-image\s*:\s*url\(\s*['\"]?([^'\")]+)", re.I)
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
_TEXT_ALIGN_RE = re.compile(r"text-align\s*:\s*(left|right|center)", re.I)
_ALIGN_CLASS_RE = re.compile(r"\balign(?:left|right|center|none)\b")
# What serialize() keeps: the sanitizer's tags (and a few it may allow one day).
_KEPT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title", "width", "height"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
    "ol": ("start",),
    "abbr": ("title",),
}
_RAW_TAGS = frozenset(
    "p br a em strong code pre blockquote ul ol li h1 h2 h3 h4 h5 h6 hr img "
    "figure figcaption table caption thead tbody tfoot tr th td dl dt dd b i "
    "kbd mark cite q small picture".split()
) | frozenset(INLINE_HTML.values())
_VOID = frozenset({"br", "hr", "img"})
# HTML's void elements, and the open elements a start tag closes (a sketch
# of the parser's rules, enough to count depth as it will).
_EMPTY = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_CLOSED_BY = {
    "li": ("li",), "p": ("p",), "dt": ("dt", "dd"), "dd": ("dt", "dd"),
    "tr": ("tr", "td", "th"), "td": ("td", "th"), "th": ("td", "th"),
    "option": ("option",),
}  # fmt: skip
_LINE_AFTER_OPEN = frozenset("figure table thead tbody tfoot ul ol dl".split())
_LINE_AFTER_CLOSE = frozenset(
    "figure table thead tbody tfoot tr ul ol dl li dt dd p figcaption caption "
    "blockquote pre h1 h2 h3 h4 h5 h6".split()
)


def _new(soup: BeautifulSoup, name: str, **attributes: str) -> Tag:
    return soup.new_tag(name, attrs=attributes)


def _link(soup: BeautifulSoup, url: str) -> Tag:
    link = _new(soup, "a", href=url)
    link.string = url
    return link


def _media_url(el: Tag) -> str:
    src = el.get("src")
    if not src:
        source = el.find("source", src=True)
        src = source.get("src") if isinstance(source, Tag) else None
    url = str(src or "").strip()
    return url if re.match(r"(?:https?:)?//", url, re.I) else ""


def _classes(el: Tag) -> list[str]:
    return [str(c) for c in el.get_attribute_list("class") if c]


def _shallow(html: str) -> str:
    """Tags nested past :data:`_MAX_SOURCE_DEPTH` dropped from the source, so
    that the parser (slow on deep trees) never sees absurd nesting."""
    if html.count("<") < _MAX_SOURCE_DEPTH:
        return html
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    depth = last = 0  # depth: the tags kept in the stack
    for tag in _TAG_RE.finditer(html):
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        keep = True
        if name in _EMPTY or tag.group(0).endswith("/>"):
            pass
        elif not closing:
            if stack and stack[-1][0] in _CLOSED_BY.get(name, ()):  # <li>a<li>b
                depth -= stack.pop()[1]
            keep = depth < _MAX_SOURCE_DEPTH
            depth += keep
            stack.append((name, keep))
        else:
            for i in range(len(stack) - 1, max(len(stack) - 50, 0) - 1, -1):
                if stack[i][0] == name:
                    keep = stack[i][1]
                    depth -= sum(kept for _, kept in stack[i:])
                    del stack[i:]
                    break
        if not keep:
            out.append(html[last : tag.start()])
            last = tag.end()
    out.append(html[last:])
    return "".join(out)


def _flatten(soup: BeautifulSoup) -> None:
    """Elements deeper than :data:`_MAX_DEPTH` give way to their content
    (walked without recursion: the input may be 10,000 levels deep)."""
    depth: dict[int, int] = {id(soup): 0}
    deep = []
    for el in soup.descendants:
        if isinstance(el, Tag):
            depth[id(el)] = level = depth.get(id(el.parent), 0) + 1
            if level > _MAX_DEPTH:
                deep.append(el)
    for el in deep:
        el.unwrap()
    for el in soup.find_all(["ul", "ol", "blockquote"]):
        kinds = ("ul", "ol") if el.name in ("ul", "ol") else ("blockquote",)
        limit = _MAX_LISTS if el.name in ("ul", "ol") else _MAX_QUOTES
        if len(el.find_parents(kinds)) >= limit:
            if el.name != "blockquote":  # its items, one a line
                for item in el.find_all("li", recursive=False):
                    item.append(_new(soup, "br"))
                    item.unwrap()
            el.unwrap()


def _figures(soup: BeautifulSoup) -> None:
    """WordPress's rendered captions and galleries (``div.wp-caption``,
    ``dl.gallery-item``, the gallery block) as plain figures."""
    for el in soup.find_all(["div", "dl"]):
        classes = _classes(el)
        if not {"wp-caption", "gallery-item"} & set(classes):
            continue
        el.name = "figure"
        el.attrs = {
            "class": " ".join(c for c in classes if _ALIGN_CLASS_RE.fullmatch(c))
        }
        for part in el.find_all(["dt", "dd", "p"], recursive=False):
            if {"wp-caption-text", "wp-caption-dd", "gallery-caption"} & set(
                _classes(part)
            ):
                part.name = "figcaption"
            else:
                part.unwrap()
    for figure in soup.find_all("figure"):
        if figure.find("figure") is None:
            continue
        # a gallery: its images one by one, then its caption as a paragraph
        for item in figure.find_all("li"):
            if item.find("figure") is not None:
                item.unwrap()
        for listing in figure.find_all(["ul", "ol"]):
            if not listing.find("li"):
                listing.unwrap()
        for caption in figure.find_all("figcaption", recursive=False):
            caption.name = "p"
        figure.unwrap()


def prepare(
    html: str, rewrite_url: Callable[[str], str | None] | None
) -> BeautifulSoup:
    """Parse ``html`` and make it ready for :class:`WordPressConverter`."""
    # lxml reads HTML as browsers do (<li>a<li>b is two items); libxml2
    # truncates text nodes past 10 MB, where Python's parser takes over.
    parser = "lxml" if len(html) < _LXML_MAX else "html.parser"
    soup = BeautifulSoup(_shallow(html), parser)
    for node in soup.find_all(
        string=lambda s: isinstance(s, (Comment, Doctype, ProcessingInstruction))
    ):
        node.extract()
    _flatten(soup)
    for el in soup.find_all(True):
        if el.decomposed:
            continue
        if el.name in _REMOVED:
            el.decompose()
        elif el.name in ("iframe", "audio", "video"):
            url = _media_url(el)
            el.replace_with(_link(soup, url) if url else "")
        elif el.name == "picture":
            el.unwrap()
        elif (found := _BACKGROUND_RE.search(str(el.get("style") or ""))) and any(
            "cover" in c for c in _classes(el)
        ):
            el.insert(0, _new(soup, "img", src=found.group(1).strip(), alt=""))
    _figures(soup)
    for el in soup.find_all(["a", "img"]):
        key = "href" if el.name == "a" else "src"
        url = str(el.get(key) or "").strip()
        scheme = _SCHEME_RE.match(url)
        if not url or (scheme and scheme.group(1).lower() not in _LINK_SCHEMES):
            if el.name == "a":
                el.unwrap()
            else:
                el.decompose()
            continue
        new = rewrite_url(url) if rewrite_url is not None else None
        if new is not None and el.name == "a" and el.string == url:
            el.string = new  # a link that showed its address shows the new one
        el[key] = new if new is not None else url
    for cell in soup.find_all(["td", "th"]):
        align = cell.get("align") or ""
        if not align and (found := _TEXT_ALIGN_RE.search(str(cell.get("style") or ""))):
            align = found.group(1)
        if str(align).lower() in ("left", "right", "center"):
            cell["data-align"] = str(align).lower()
    return soup


def _attributes(el: Tag, tag: str) -> str:
    out = []
    for name in _KEPT_ATTRIBUTES.get(tag, ()):
        value = el.get(name)
        if value is None or (value == "" and name != "alt"):
            continue
        value = " ".join(value) if isinstance(value, list) else str(value)
        if (
            name in ("width", "height", "colspan", "rowspan", "start")
            and not value.isdigit()
        ):
            continue
        out.append(f' {name}="{escape(value)}"')
    if el.name in ("figure", "img"):
        aligned = [c for c in _classes(el) if _ALIGN_CLASS_RE.fullmatch(c)]
        if aligned:
            out.append(f' class="{escape(aligned[0])}"')
    if el.name in ("td", "th") and el.get("data-align"):
        out.append(f' class="align-{escape(str(el["data-align"]))}"')
    return "".join(out)


def serialize(el: Tag) -> str:
    """Clean HTML for a raw block: only the tags and attributes a post may
    keep, text escaped, whitespace collapsed but in ``<pre>``."""
    parts: list[str] = []
    _write(el, parts, in_pre=False)
    return "".join(parts).strip()


def _newline(parts: list[str]) -> None:
    if parts and not parts[-1].endswith("\n"):
        parts.append("\n")


def _write(node: Tag | NavigableString, parts: list[str], in_pre: bool) -> None:
    if isinstance(node, NavigableString):
        text = str(node) if in_pre else re.sub(r"\s+", " ", str(node))
        parent = node.parent.name if node.parent is not None else ""
        if not text.strip() and parent in _LINE_AFTER_OPEN | {"tr"}:
            return  # whitespace between rows or items means nothing
        if in_pre or text.strip() or (parts and not parts[-1].endswith("\n")):
            parts.append(escape(text, quote=False))
        return
    name = "abbr" if node.name == "acronym" else INLINE_HTML.get(node.name, node.name)
    if name == "br" and in_pre:
        parts.append("\n")
        return
    keep = name in _RAW_TAGS
    if keep:
        parts.append(f"<{name}{_attributes(node, name)}>")
        if name in _VOID:
            return
        if name in _LINE_AFTER_OPEN:
            _newline(parts)
    for child in node.children:
        if isinstance(child, (Tag, NavigableString)):
            _write(child, parts, in_pre or name == "pre")
    if keep:
        if parts and name in _LINE_AFTER_OPEN and parts[-1].isspace():
            parts[-1] = "\n"
        parts.append(f"</{name}>")
        if name in _LINE_AFTER_CLOSE:
            _newline(parts)


def table_rows(table: Tag) -> list[list[Tag]]:
    """The table's own rows (not a nested table's), head first."""
    rows = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is table:
            rows.append([c for c in row.find_all(["td", "th"], recursive=False)])
    return [row for row in rows if row]


_CELL_BLOCKS = ["p", "ul", "ol", "pre", "blockquote", "div", "dl", "figure", "table",
                "hr", "h1", "h2", "h3", "h4", "h5", "h6", "address"]  # fmt: skip


def is_simple_table(table: Tag, rows: list[list[Tag]]) -> bool:
    """A pipe table says it: a header row of ``<th>``, the same number of
    cells in every row, no spans, captions or blocks in cells."""
    if not rows or table.find("caption") or any(c.name != "th" for c in rows[0]):
        return False
    width = len(rows[0])
    for row in rows:
        if len(row) != width:
            return False
        for cell in row:
            if (
                str(cell.get("colspan") or "1") != "1"
                or str(cell.get("rowspan") or "1") != "1"
            ):
                return False
            if cell.find(_CELL_BLOCKS):
                return False
    return True
