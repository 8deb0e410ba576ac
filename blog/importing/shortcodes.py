"""WordPress shortcodes (``[caption]``, ``[gallery]``, ``[embed]`` and the
other core and Jetpack ones) turned into the HTML they stand for, so that
none shows as raw ``[name ...]`` text once imported.

The pattern is WordPress's own (``get_shortcode_regex``) and only registered
names count, as in WordPress: ``[1]``, ``[sic]`` or ``[link](x)`` stay text.
A shortcode that carries a URL becomes a link to it; one that wraps content
becomes that content; any other disappears.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import quote


@dataclass(frozen=True)
class GalleryImage:
    """One image of a ``[gallery]``, as the importer found its attachment."""

    url: str
    alt: str = ""
    caption: str = ""  # HTML, as WordPress keeps an attachment's caption


#: The importer's lookup of attachments by WordPress id (``None``: the
#: post's own attachments, as ``[gallery]`` without ``ids`` shows).
Gallery = Callable[[list[int] | None], list[GalleryImage]]

# SyntaxHighlighter's (WordPress.com's) code shortcodes, by language.
_LANGUAGES = frozenset(
    "as3 actionscript3 bash shell sh c cpp c-sharp csharp css delphi pascal diff "
    "patch erlang go groovy haskell java javafx js jscript javascript json matlab "
    "objc perl pl php plain text powershell ps py python r ruby rails rb scala sql "
    "swift vb vbnet xml xhtml xslt html yaml".split()
)
_CODE = frozenset({"code", "sourcecode"})
#: Core and Jetpack (WordPress.com) shortcodes; a plugin's shortcode counts
#: too when it is closed (``[/name]``) or has ``key="value"`` attributes.
KNOWN = frozenset(
    "caption wp_caption gallery embed audio video playlist youtube vimeo "
    "dailymotion googlemaps soundcloud tweet twitter-timeline instagram flickr "
    "slideshare spotify gist ted wpvideo videopress archiveorg scribd bandcamp "
    "mixcloud twitchtv kickstarter facebook pinterest houzz hulu vine ustream "
    "code sourcecode contact-form contact-field archives sitemap polldaddy "
    "crowdsignal recipe latex gravatar gravatar_profile portfolio testimonials "
    "upcomingevents wufoo brightcove presentation slide googleapps googledocs "
    "getty quiz display-posts".split()
)
_NAME = r"[A-Za-z][\w-]*"
_CLOSER_RE = re.compile(rf"\[/({_NAME})\]")
_WITH_ATTRIBUTES_RE = re.compile(
    rf"\[({_NAME})(?:\s+[\w-]+\s*=\s*(?:\"[^\"\]]*\"|'[^'\]]*'))+\s*/?\]"
)
# shortcode_parse_atts(): name="v", name='v', name=v, "v", 'v', v.
_ATTRIBUTE_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
_CAPTION_RE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.I | re.S)
_URL_RE = re.compile(r"(?:https?:)?//[^\s<>\"']+", re.I)
_ID_RE = re.compile(r"[\w.:-]{1,200}")
_URL_KEYS = tuple(
    "url src href link mp3 m4a ogg wav wma mp4 m4v webm ogv wmv flv photo video "
    "audio".split()
)
#: Shortcodes that name their video, tweet... by id alone, and where it lives.
_BY_ID = {
    "youtube": "https://www.youtube.com/watch?v={}",
    "vimeo": "https://vimeo.com/{}",
    "dailymotion": "https://www.dailymotion.com/video/{}",
    "tweet": "https://twitter.com/i/status/{}",
    "ted": "https://www.ted.com/talks/view/id/{}",
    "wpvideo": "https://videopress.com/v/{}",
    "videopress": "https://videopress.com/v/{}",
    "gist": "https://gist.github.com/{}",
    "archiveorg": "https://archive.org/details/{}",
    "scribd": "https://www.scribd.com/doc/{}",
}
_MAX_DEPTH = 10  # shortcodes inside shortcodes; deeper ones are only removed


@dataclass(frozen=True)
class _Shortcode:
    name: str
    named: dict[str, str]
    positional: list[str]
    content: str | None  # None: self-closing


def _alternatives(names: Set[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _pattern(names: Set[str], enclosing: bool) -> re.Pattern[str] | None:
    """``get_shortcode_regex()``: groups 1 and 6 are the escaping brackets
    (``[[tag]]``), 2 the name, 3 the attributes, 4 "/" and 5 the content."""
    if not names:
        return None
    tags = _alternatives(names)
    body = r"([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\]" if enclosing else r"(?!)()"
    return re.compile(
        rf"\[(\[?)({tags})(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        rf"(?:(/)\]|\](?:{body})?)(\]?)"
    )


def _tags(names: Set[str], opening: bool) -> re.Pattern[str]:
    """Shortcode tags alone: closing ones, or opening ones too."""
    slash = "/?" if opening else "/"
    return re.compile(rf"\[{slash}(?:{_alternatives(names)})(?![\w-])[^\]]*\]")


def _attributes(text: str) -> tuple[dict[str, str], list[str]]:
    named: dict[str, str] = {}
    positional: list[str] = []
    for m in _ATTRIBUTE_RE.finditer(re.sub(r"[\xa0\u200b]+", " ", text)):
        for key, value in ((1, 2), (3, 4), (5, 6)):
            if m.group(key):
                named[m.group(key).lower()] = unescape(m.group(value))
                break
        else:
            loose = next(
                g for g in (m.group(7), m.group(8), m.group(9)) if g is not None
            )
            positional.append(unescape(loose).lstrip("="))
    return named, positional


def _url(value: str) -> str | None:
    value = value.strip()
    if not _URL_RE.fullmatch(value):
        return None
    return "https:" + value if value.startswith("//") else value


def _link(url: str) -> str:
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def _carried_url(code: _Shortcode) -> str | None:
    """The address a media or embed shortcode shows, if it names one."""
    candidates = [code.named.get(k, "") for k in _URL_KEYS]
    candidates += code.positional + list(code.named.values())
    if code.name == "embed" and code.content:
        candidates.insert(0, code.content)
    for candidate in candidates:
        if (url := _url(candidate)) is not None:
            return url
    template = _BY_ID.get(code.name)
    ident = (
        code.named.get("id")
        or code.named.get(code.name)
        or next(iter(code.positional), "")
    )
    if template and _ID_RE.fullmatch(ident):
        return template.format(quote(ident, safe=":"))
    spotify = code.named.get("id", "").split(":")
    if code.name == "spotify" and len(spotify) == 3 and _ID_RE.fullmatch(spotify[2]):
        return f"https://open.spotify.com/{quote(spotify[1])}/{quote(spotify[2])}"
    return None


class _Expander:
    """One post's shortcodes; :meth:`expand` calls itself for their content."""

    def __init__(self, text: str, gallery: Gallery | None) -> None:
        closed = set(_CLOSER_RE.findall(text))
        found = {m.group(1) for m in _WITH_ATTRIBUTES_RE.finditer(text)}
        # "[c]" alone is text; "[c]…[/c]" is SyntaxHighlighter's C code.
        self.names = (KNOWN | closed | found) - (_LANGUAGES - closed)
        self.patterns = [
            _pattern(self.names & closed, enclosing=True),
            _pattern(self.names - closed, enclosing=False),
        ]
        self.closers = {n for n in closed if n in self.names}
        self.gallery = gallery

    def expand(self, text: str, depth: int = 0) -> str:
        if depth >= _MAX_DEPTH:  # absurd nesting: the tags go, their content stays
            return _tags(self.names, opening=True).sub("", text)
        for pattern in self.patterns:
            if pattern is not None:
                text = pattern.sub(lambda m: self._replace(m, depth), text)
        if self.closers and depth == 0:  # closing tags left without an opener
            text = _tags(self.closers, opening=False).sub("", text)
        return text

    def _replace(self, m: re.Match[str], depth: int) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)[1:-1]  # [[tag]]: WordPress shows "[tag]" as text
        named, positional = _attributes(m.group(3))
        code = _Shortcode(m.group(2), named, positional, m.group(5))
        return m.group(1) + self._render(code, depth) + m.group(6)

    def _render(self, code: _Shortcode, depth: int) -> str:
        content = code.content or ""
        if code.name in ("caption", "wp_caption"):
            return self._caption(code, depth)
        if code.name in ("gallery", "playlist"):
            return self._gallery(code)
        if code.name in _CODE or code.name in _LANGUAGES:
            language = code.named.get("language") or code.named.get("lang") or code.name
            language = re.sub(r"[^\w+#.-]", "", language)[:40]
            css = f' class="language-{language}"' if language not in _CODE else ""
            code_text = escape(unescape(content.strip("\n")))
            return f"<pre><code{css}>{code_text}</code></pre>"
        url = _carried_url(code)
        inner = self.expand(content, depth + 1) if content.strip() != url else ""
        if url is None:
            return inner
        if inner.strip() and "<" not in inner:  # [url=x]text[/url]
            return f'<a href="{escape(url)}">{inner}</a>'
        return _link(url) + inner

    def _caption(self, code: _Shortcode, depth: int) -> str:
        """``img_caption_shortcode()``: the image and the text after it."""
        content = code.content or ""
        caption = code.named.get("caption", "")
        if not caption and (found := _CAPTION_RE.match(content.strip())):
            content, caption = found.group(1), found.group(2).strip()
        inner = self.expand(content, depth + 1)
        if not caption.strip():
            return inner
        align = code.named.get("align", "")
        css = f' class="{escape(align)}"' if re.fullmatch(r"align\w+", align) else ""
        caption = self.expand(caption, depth + 1)
        return f"<figure{css}>{inner}<figcaption>{caption}</figcaption></figure>"

    def _gallery(self, code: _Shortcode) -> str:
        """Each image as a figure (a playlist's files as links)."""
        ids_text = code.named.get("ids") or code.named.get("include") or ""
        ids = [int(i) for i in re.findall(r"\d{1,18}", ids_text)] or None
        if self.gallery is None or (code.name == "playlist" and ids is None):
            return ""
        images = self.gallery(ids)
        if code.name == "playlist":
            items = "".join(
                f'<li><a href="{escape(i.url)}">{escape(i.alt or i.url)}</a></li>'
                for i in images
            )
            return f"<ul>{items}</ul>" if items else ""
        figures = []
        for image in images:
            img = f'<img src="{escape(image.url)}" alt="{escape(image.alt)}">'
            caption = (
                f"<figcaption>{image.caption}</figcaption>" if image.caption else ""
            )
            figures.append(f"<figure>{img}{caption}</figure>")
        return "\n".join(figures)


def expand_shortcodes(text: str, gallery: Gallery | None = None) -> str:
    """Every shortcode in ``text`` replaced by its HTML (``do_shortcode``)."""
    if "[" not in text:
        return text
    return _Expander(text, gallery).expand(text)
