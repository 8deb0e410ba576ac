"""A WordPress post's body (HTML with block comments, shortcodes and
``wpautop`` line breaks) as Markdown that editors can keep editing and that
``blog.rendering.render_post`` turns into the page WordPress showed.

The steps follow WordPress's own ``the_content`` filters: blocks (their
comments go, their HTML stays), ``[embed]`` and bare URLs on their own line
(links), ``wpautop`` for classic posts, the other shortcodes
(:mod:`.shortcodes`), then HTML to Markdown (:mod:`.markup` cleans the tree,
:mod:`.converter` writes the Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape

from blog.importing.autop import replace_in_html_tags, wpautop
from blog.importing.converter import WordPressConverter
from blog.importing.markup import prepare
from blog.importing.shortcodes import Gallery, GalleryImage, expand_shortcodes
from blog.rendering import ContentRejected
from blog.rendering.limits import check_structure

__all__ = ["GalleryImage", "to_markdown"]

# The block parser's tokenizer (WP_Block_Parser::next_token). The attributes
# never cross a "-->": each character is looked at a bounded number of times,
# whatever a commenter wrote (nested alternatives here once took minutes).
_BLOCK_COMMENT_RE = re.compile(
    r"<!--\s+/?wp:(?:[a-z][a-z0-9_-]*/)?[a-z][a-z0-9_-]*\s+"
    r"(?:\{(?:(?!-->).)*?\}\s+)?/?-->",
    re.DOTALL,
)
# <!--more-->, <!--nextpage-->: one page here, the parts one after another.
_PAGE_BREAK_RE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)
# WP_Embed::autoembed(): a URL alone on its line, or alone in a paragraph.
_URL_LINE_RE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.I | re.M)
_URL_PARAGRAPH_RE = re.compile(
    r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.I
)
_LINE_MARK = "<!-- wp-line-break -->"
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _autoembed(text: str) -> str:
    """Bare URLs on their own line as links, where WordPress embeds them
    (a video, a tweet) or links them (any other address)."""

    def link(m: re.Match[str]) -> str:
        url = unescape(m.group(2))
        return f'{m.group(1)}<a href="{escape(url)}">{escape(url)}</a>{m.group(3)}'

    if not re.search(r"(?:^|\s|>)https?://", text, re.I):
        return text
    text = replace_in_html_tags(text, "\n", _LINE_MARK)
    text = _URL_PARAGRAPH_RE.sub(link, _URL_LINE_RE.sub(link, text))
    return text.replace(_LINE_MARK, "\n")


def _html(source: str, gallery: Gallery | None) -> str:
    """The HTML WordPress would show, before its theme and plugins."""
    text = _CONTROL_RE.sub("", source.replace("\r\n", "\n").replace("\r", "\n"))
    has_blocks = "<!-- wp:" in text
    text = _BLOCK_COMMENT_RE.sub("", text)
    text = _PAGE_BREAK_RE.sub("\n\n", text)
    text = _autoembed(expand_shortcodes(text, gallery))
    return text if has_blocks else wpautop(text)


def _markdown(
    html: str, rewrite_url: Callable[[str], str | None] | None, keep_html: bool
) -> str:
    soup = prepare(html, rewrite_url)
    markdown = WordPressConverter(keep_html=keep_html).convert_soup(soup)
    return _tidy(markdown)


def _tidy(markdown: str) -> str:
    """No trailing spaces but hard line breaks, no runs of blank lines;
    fenced code exactly as it was."""
    lines: list[str] = []
    fence = ""
    for line in markdown.strip("\n").split("\n"):
        if fence:
            fence = "" if line.strip() == fence else fence
            lines.append(line)
            continue
        if found := _FENCE_RE.match(line):
            fence = found.group(1)
        elif not line.endswith("  ") or not line.strip():
            line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip() + "\n"


def to_markdown(
    html: str,
    *,
    gallery: Callable[[list[int] | None], list[GalleryImage]] | None = None,
    rewrite_url: Callable[[str], str | None] | None = None,
    keep_html: bool = True,
) -> str:
    """WordPress's ``post_content`` as Markdown for ``render_post``.

    ``gallery(ids)`` finds a ``[gallery]``'s images (``ids=None``: the post's
    own attachments); without it galleries disappear. ``rewrite_url(url)``
    gives an image's or link's new address (``None``: keep it). With
    ``keep_html=False`` (comments) nothing stays HTML: what Markdown cannot
    say becomes its text.
    """
    if not html.strip():
        return ""
    markdown = _markdown(_html(html, gallery), rewrite_url, keep_html)
    try:
        check_structure(markdown, "The post")
    except ContentRejected:  # thousands of tags: the text, without the HTML
        markdown = _markdown(_html(html, gallery), rewrite_url, keep_html=False)
    return markdown if markdown.strip() else ""
