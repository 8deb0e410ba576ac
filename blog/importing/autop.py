"""WordPress's ``wpautop``, ported: classic posts are stored without ``<p>``
or ``<br>``, and WordPress adds them when it shows the post (a blank line is
a paragraph, a single newline a line break, never inside ``<pre>`` or around
block elements). The regular expressions follow ``wp-includes/formatting.php``
one for one, so that a post reads as it did on the old site."""

from __future__ import annotations

import re
from collections.abc import Callable

_A = re.ASCII  # PHP's "\s" (no /u flag) is ASCII whitespace only
# Block elements: no paragraph opens or closes around them.
_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol"
    r"|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend"
    r"|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details"
    r"|menu|summary)"
)
# wp_html_split(): tags, comments and CDATA sections, each one piece.
_HTML_SPLIT_RE = re.compile(
    r"(<(?:!--.*?(?:-->|$)|!\[CDATA\[.*?(?:\]\]>|$)|[^>]*>?))", re.DOTALL
)
_NEWLINE_MARK = " <!-- wpnl --> "
_KEEP_NEWLINE = "<WPPreserveNewline />"

_DOUBLE_BR_RE = re.compile(r"<br\s*/?>\s*<br\s*/?>", _A)
_BLOCK_OPEN_RE = re.compile(rf"(<{_BLOCKS}[\s/>])", _A)
_BLOCK_CLOSE_RE = re.compile(rf"(</{_BLOCKS}>)", _A)
_HR_RE = re.compile(r"(<hr\s*?/?>)", _A)
_PARAGRAPHS_RE = re.compile(r"\n\s*\n", _A)
_EMPTY_P_RE = re.compile(r"<p>\s*</p>", _A)
_UNCLOSED_P_RE = re.compile(r"<p>([^<]+)</(div|address|form)>", _A)
_WRAPPED_BLOCK_RE = re.compile(rf"<p>\s*(</?{_BLOCKS}[^>]*>)\s*</p>", _A)
_WRAPPED_LI_RE = re.compile(r"<p>(<li.+?)</p>", _A)
_P_BLOCKQUOTE_RE = re.compile(r"<p><blockquote([^>]*)>", _A | re.IGNORECASE)
_P_BEFORE_BLOCK_RE = re.compile(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", _A)
_P_AFTER_BLOCK_RE = re.compile(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", _A)
_PRESERVE_RE = re.compile(r"<(script|style|svg|math).*?</\1>", _A | re.DOTALL)
_NEWLINE_RE = re.compile(r"(?<!<br />)\s*\n", _A)
_BR_AFTER_BLOCK_RE = re.compile(rf"(</?{_BLOCKS}[^>]*>)\s*<br />", _A)
_BR_BEFORE_BLOCK_RE = re.compile(
    r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", _A
)
_LAST_NEWLINE_RE = re.compile(r"\n</p>$", _A)


def _fixes(*pairs: tuple[str, str]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, _A), replacement) for pattern, replacement in pairs]


# Line breaks collapsed around elements that must not get <p> or <br>.
_COLLAPSE: list[tuple[Callable[[str], bool], list[tuple[re.Pattern[str], str]]]] = [
    (
        lambda text: "<option" in text,
        _fixes((r"\s*<option", "<option"), (r"</option>\s*", "</option>")),
    ),
    (
        lambda text: "</object>" in text,
        _fixes(
            (r"(<object[^>]*>)\s*", r"\1"),
            (r"\s*</object>", "</object>"),
            (r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1"),
        ),
    ),
    (
        lambda text: "<source" in text or "<track" in text,
        _fixes(
            (r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1"),
            (r"\s*([<\[]/(?:audio|video)[>\]])", r"\1"),
            (r"\s*(<(?:source|track)[^>]*>)\s*", r"\1"),
        ),
    ),
    (
        lambda text: "<figcaption" in text,
        _fixes(
            (r"\s*(<figcaption[^>]*>)", r"\1"), (r"</figcaption>\s*", "</figcaption>")
        ),
    ),
]
_MANY_NEWLINES_RE = re.compile(r"\n\n+")


def replace_in_html_tags(text: str, old: str, new: str) -> str:
    """``old`` replaced by ``new`` inside tags and comments only
    (``wp_replace_in_html_tags``): text between tags is left as it is."""
    parts = _HTML_SPLIT_RE.split(text)
    for i in range(1, len(parts), 2):  # odd pieces are the tags
        parts[i] = parts[i].replace(old, new)
    return "".join(parts)


def _hide_pre(text: str) -> tuple[str, dict[str, str]]:
    """``<pre>`` elements out of the way, as placeholders (WordPress splits
    on ``</pre>`` the same way, malformed HTML included)."""
    if "<pre" not in text:
        return text, {}
    *parts, last = text.split("</pre>")
    hidden: dict[str, str] = {}
    out = []
    for part in parts:
        start = part.find("<pre")
        if start < 0:
            out.append(part)
            continue
        name = f"<pre wp-pre-tag-{len(hidden)}></pre>"
        hidden[name] = part[start:] + "</pre>"
        out.append(part[:start] + name)
    return "".join(out) + last, hidden


def wpautop(text: str) -> str:
    """Paragraphs from blank lines and ``<br />`` from single newlines, as
    WordPress shows a classic post."""
    if not text.strip():
        return ""
    text, hidden = _hide_pre(text + "\n")
    text = _DOUBLE_BR_RE.sub("\n\n", text)
    text = _BLOCK_OPEN_RE.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE_RE.sub(r"\1\n\n", text)
    text = _HR_RE.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = replace_in_html_tags(text, "\n", _NEWLINE_MARK)
    for trigger, fixes in _COLLAPSE:
        if trigger(text):
            for pattern, replacement in fixes:
                text = pattern.sub(replacement, text)
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    paragraphs = [p for p in _PARAGRAPHS_RE.split(text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = _EMPTY_P_RE.sub("", text)
    text = _UNCLOSED_P_RE.sub(r"<p>\1</p></\2>", text)
    text = _WRAPPED_BLOCK_RE.sub(r"\1", text)
    text = _WRAPPED_LI_RE.sub(r"\1", text)
    text = _P_BLOCKQUOTE_RE.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK_RE.sub(r"\1", text)
    text = _P_AFTER_BLOCK_RE.sub(r"\1", text)
    text = _PRESERVE_RE.sub(lambda m: m.group(0).replace("\n", _KEEP_NEWLINE), text)
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = _NEWLINE_RE.sub("<br />\n", text)
    text = text.replace(_KEEP_NEWLINE, "\n")
    text = _BR_AFTER_BLOCK_RE.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK_RE.sub(r"\1", text)
    text = _LAST_NEWLINE_RE.sub("</p>", text)
    for name, pre in hidden.items():
        text = text.replace(name, pre)
    return text.replace(_NEWLINE_MARK, "\n").replace(_NEWLINE_MARK.strip(), "\n")
