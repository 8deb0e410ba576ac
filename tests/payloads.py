"""The payload corpus from SECURITY.md, and an oracle that judges rendered HTML.

The corpus is the contract for ``blog.rendering``: every body here must come
out of the real render path as HTML that ``assert_safe_html`` accepts. The
oracle keeps its own allowlists on purpose, so that loosening the sanitizer
fails a test instead of silently loosening the check.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from blog.rendering import COMMENT_MAX_CHARS

# Comment bodies, one per corpus line ("⏎" is a newline; "\u200b" is real).
CORPUS: list[str] = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](javascript\u200b:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    r'[a](https://example.com "t\" onmouseover=\"alert(1))',
    '![a" onerror="alert(1)](x.png)',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<div markdown="1">[x](javascript:alert(1))</div>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    'see www.example.com/"onmouseover="alert(1) and javascript:alert(1)',
    "<scr<script>ipt>alert(1)</script>",
    "`<script>alert(1)</script>`",  # shows as visible text
    "{{ 7*7 }}",  # shows literally
]

# Bodies that must be rejected with a message, never truncated or hung on.
OVERSIZE_BODIES: list[str] = [
    "[" * 8000,
    "x" * (COMMENT_MAX_CHARS + 1),  # one character over the limit
]

# Other form fields. name[0] is escaped everywhere it appears; name[1]
# (header injection) and every website entry are rejected by validation.
FIELD_PAYLOADS: dict[str, list[str]] = {
    "name": ['"><svg onload=alert(1)>', "Eve\r\nBcc: x@evil.example"],
    "website": ["javascript:alert(1)"],
    "body": OVERSIZE_BODIES,
}

# Bodies that try to make text read otherwise than it is (SECURITY.md,
# issue #8): bidi overrides and invisible characters in link text, written
# raw or as entities. ``assert_no_spoofing`` judges the output.
SPOOFING: list[str] = [
    "[\u202etxt.exe](https://a.com/)",
    "[&#8238;txt.exe](https://a.com/)",
    "[&#x202E;txt.exe](https://a.com/)",
    "[&amp;#8238;txt.exe](https://a.com/)",
    "[pay\u200bpal.com](https://a.com/)",
    "[\u2067gpj.exe\u2069](https://a.com/)",
    '[\ufeffbank\u2060](https://a.com/ "\u202etitle")',
    "https://a.com/\u202etxt.exe",
    "<a href='https://a.com/'>\u202etxt.exe</a>",
    "<a href='https://a.com/' title='&#8238;t'>&#x202e;x</a>",
    "plain \u202etext\u202c reversed and \u202dforced",
    "<img alt='\u202egpj.exe' src='/x.png'>",
]

COMMENT_ALLOWED_TAGS: frozenset[str] = frozenset(
    {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
)
POST_ALLOWED_TAGS: frozenset[str] = COMMENT_ALLOWED_TAGS | {
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "del", "ins", "s", "sup", "sub", "dl", "dt", "dd", "div", "span", "abbr",
    "b", "i", "kbd", "mark", "cite", "q", "small",
    "picture", "source",  # media library images (blog.media.markup)
}  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster",
     "background", "cite", "data", "codebase", "ping"}
)  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Control and space characters, zero-width characters and bidi controls.
_INVISIBLE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069\s]+"
)


def normalize_url(value: str) -> str:
    """What a scheme check should see: entities decoded, invisibles gone."""
    for _ in range(5):  # decode until stable: stricter than any browser
        decoded = unescape(value)
        if decoded == value:
            break
        value = decoded
    return _INVISIBLE.sub("", value).lower()


class _Oracle(HTMLParser):
    def __init__(self, allowed_tags: frozenset[str], require_ugc_rel: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.require_ugc_rel = require_ugc_rel
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = self.get_starttag_text()
        if tag not in self.allowed_tags:
            self.problems.append(f"tag <{tag}> is not allowed: {where}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"attribute {name!r} is not allowed: {where}")
            if name in URL_ATTRIBUTES and value is not None:
                urls = value.split(",") if name == "srcset" else [value]
                if any(normalize_url(url).startswith(BAD_SCHEMES) for url in urls):
                    self.problems.append(f"dangerous URL in {name!r}: {where}")
        rel = (dict(attrs).get("rel") or "").lower().split()
        if tag == "a" and self.require_ugc_rel and not {"nofollow", "ugc"} <= set(rel):
            self.problems.append(f'<a> without rel="nofollow ugc": {where}')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.allowed_tags:
            self.problems.append(f"end tag </{tag}> is not allowed")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"HTML comment left in output: <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration left in output: <!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration left in output: <![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction left in output: <?{data}>")


def assert_safe_html(
    html: str,
    *,
    allowed_tags: frozenset[str] = COMMENT_ALLOWED_TAGS,
    require_ugc_rel: bool = True,
) -> None:
    """Fail with every problem found: a disallowed tag, an on*/style attribute,
    a javascript:/vbscript:/data: URL, or (for comments) a link without rel
    "nofollow ugc"."""
    oracle = _Oracle(allowed_tags, require_ugc_rel)
    oracle.feed(html)
    oracle.close()
    assert not oracle.problems, (
        "unsafe HTML:\n  "
        + "\n  ".join(oracle.problems)
        + f"\nin output:\n{html[:2000]}"
    )


# Format characters (Unicode Cf) that a check of link text looks for, and the
# bidi overrides that no text may keep.
_FORMAT = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\U000e0001-\U000e007f]"
)
_OVERRIDE = re.compile("[\u202d\u202e]")


class _SpoofOracle(HTMLParser):
    """Reads HTML as a browser does (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += 1
        for name, value in attrs:
            found = _FORMAT if name in ("href", "src") else _OVERRIDE
            if value and found.search(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.links = max(self.links - 1, 0)

    def handle_data(self, data: str) -> None:
        found = _FORMAT if self.links else _OVERRIDE
        if found.search(data):
            where = "link text" if self.links else "text"
            self.problems.append(f"{where} {data!r}")


def assert_no_spoofing(html: str) -> None:
    """Fail on an invisible format character in link text or an address, or
    a bidi override anywhere (entities decoded, as a browser would)."""
    oracle = _SpoofOracle()
    oracle.feed(html)
    oracle.close()
    assert not oracle.problems, (
        "spoofing characters left:\n  "
        + "\n  ".join(oracle.problems)
        + f"\nin {html!r}"
    )
