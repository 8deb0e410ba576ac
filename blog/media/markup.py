"""Library images and links in rendered bodies, after sanitizing.

Editors refer to an upload by a stable reference, ``![alt](media:123)`` or
``[the report](media:45)``, or by its address ``/media/<name>``.
:func:`link_media` runs on HTML that :mod:`blog.rendering` has already
sanitized and rewrites each such image from the database row alone: the
original as ``src``, its variants as ``srcset`` (WebP ones in a
``<picture>``'s ``<source>``), ``sizes``, ``width`` and ``height`` (so the page
does not jump), ``loading="lazy"`` on every image but the first (which is
probably in view) and ``decoding="async"``. Of what the editor typed only
the alt text and title are kept, escaped again. A reference to an upload
that does not exist (any more) leaves the image's alt text as plain text.
Links get the upload's address.

It is idempotent: rendered HTML can be linked again (``<picture>`` and
``<source>`` are made anew). When an upload changes, gets variants or is
deleted, :func:`relink_posts` renders the posts that use it again.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from html import escape, unescape

from sqlalchemy import delete, insert, or_, select, update

from blog import search
from blog.extensions import db
from blog.models import Media, MediaVariant, Post, media_uses
from blog.numbers import parse_int
from blog.rendering import (
    RENDERER_VERSION,
    ContentRejected,
    excerpt_html,
    render_post,
    sanitize,
)

#: Where uploads are served (``blog.views.media``).
MEDIA_PATH = "/media/"
#: Widest an image is shown in a post's column (68ch of 18px text is about
#: 720px): ``sizes`` tells browsers so before the stylesheet arrives.
COLUMN_WIDTH = 720

# This package reads the sanitizer's output, where every attribute value is
# double-quoted and "<" never appears but to open a tag.
_TAG = r'(?:[^>"]|"[^"]*")*'
_IMG_RE = re.compile(rf"<img\b({_TAG})>")
_A_RE = re.compile(rf"<a\b({_TAG})>")
_WRAPPER_RE = re.compile(rf"</?picture\s*>|<source\b{_TAG}>")
_ATTRIBUTE_RE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')
_HREF_RE = re.compile(r'\shref="[^"]*"')
_REFERENCE_RE = re.compile(r"media:([0-9]{1,10})", re.IGNORECASE)
_UPLOAD_NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,80}\.[a-z0-9]{2,5}")
_NUMBER_RE = re.compile(r"[0-9]{1,5}")


@dataclass(frozen=True)
class ImageSources:
    """Everything an ``<img>`` (or ``<picture>``) of an upload needs."""

    src: str
    width: int
    height: int
    #: Variants in the original's format (or a like one) and the original.
    srcset: str
    #: WebP variants, for a ``<source type="image/webp">``; "" for a WebP
    #: original (its ``srcset`` holds them).
    webp_srcset: str
    sizes: str


def image_sources(media: Media, column: int = COLUMN_WIDTH) -> ImageSources:
    """The addresses and sizes of an image and its variants (no query: the
    variants are loaded with the row)."""
    width, height = media.width or 0, media.height or 0
    src = MEDIA_PATH + media.filename
    webp = media.mimetype == "image/webp"
    same: list[tuple[int, str]] = []
    other: list[tuple[int, str]] = []
    for variant in media.variants:
        url = MEDIA_PATH + variant.filename
        if variant.mimetype == "image/webp" and not webp:
            other.append((variant.width, url))
        elif variant.width < width:
            same.append((variant.width, url))
    if same:
        same.append((width, src))
    slot = min(width, column)
    return ImageSources(
        src=src,
        width=width,
        height=height,
        srcset=_candidates(same),
        webp_srcset=_candidates(other),
        sizes=f"(max-width: {slot}px) 100vw, {slot}px",
    )


def _candidates(pairs: list[tuple[int, str]]) -> str:
    return ", ".join(f"{url} {width}w" for width, url in sorted(pairs))


def picture_html(media: Media, alt: str, *, title: str = "", lazy: bool = True) -> str:
    """An upload's image as HTML: a ``<picture>`` when WebP variants exist."""
    sources = image_sources(media)
    attributes = [("src", sources.src)]
    if sources.srcset:
        attributes += [("srcset", sources.srcset), ("sizes", sources.sizes)]
    attributes += [
        ("width", str(sources.width)),
        ("height", str(sources.height)),
        ("alt", alt),
    ]
    if title:
        attributes.append(("title", title))
    if lazy:
        attributes.append(("loading", "lazy"))
    attributes.append(("decoding", "async"))
    image = _tag("img", attributes)
    if not sources.webp_srcset:
        return image
    source = _tag(
        "source",
        [
            ("type", "image/webp"),
            ("srcset", sources.webp_srcset),
            ("sizes", sources.sizes),
        ],
    )
    return f"<picture>{source}{image}</picture>"


def _tag(name: str, attributes: list[tuple[str, str]]) -> str:
    written = " ".join(
        f'{key}="{escape(value, quote=True)}"' for key, value in attributes
    )
    return f"<{name} {written}>"


@dataclass
class Linked:
    """Rendered fragments with their uploads linked, and the uploads used."""

    body: str
    excerpt: str
    media: list[Media] = field(default_factory=list)


class _Found:
    """The uploads some HTML refers to, found in two or three queries."""

    def __init__(self, fragments: Iterable[str]) -> None:
        ids: set[int] = set()
        names: set[str] = set()
        for html in fragments:
            for tag in (*_IMG_RE.finditer(html), *_A_RE.finditer(html)):
                attributes = _attributes(tag.group(1))
                url = attributes.get("src") or attributes.get("href") or ""
                if (number := _reference(url)) is not None:
                    ids.add(number)
                elif name := _upload_name(url):
                    names.add(name)
        self.by_id: dict[int, Media] = {}
        self.by_name: dict[str, Media] = {}
        self.used: dict[int, Media] = {}
        if not ids and not names:
            return
        media_query = select(Media).where(
            or_(Media.id.in_(ids), Media.filename.in_(names))
        )
        for media in db.session.scalars(media_query):
            self.by_id[media.id] = media
            self.by_name[media.filename] = media
        variant_names = names - set(self.by_name)
        if variant_names:  # an address copied from a variant
            query = (
                select(MediaVariant.filename, Media)
                .join(Media, Media.id == MediaVariant.media_id)
                .where(MediaVariant.filename.in_(variant_names))
            )
            for name, media in db.session.execute(query):
                self.by_name[name] = media

    def find(self, url: str) -> Media | None:
        """The upload ``url`` refers to (``None`` if none); records it as used."""
        media = None
        if (number := _reference(url)) is not None:
            media = self.by_id.get(number)
        elif name := _upload_name(url):
            media = self.by_name.get(name)
        if media is not None:
            self.used[media.id] = media
        return media


def _attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): unescape(match.group(2) or "")
        for match in _ATTRIBUTE_RE.finditer(text)
    }


def _reference(url: str) -> int | None:
    """The id in ``media:ID`` (``None``: not one, or no id can be that large)."""
    found = _REFERENCE_RE.fullmatch(url)
    return parse_int(found.group(1)) if found else None


def _upload_name(url: str) -> str | None:
    if not url.startswith(MEDIA_PATH):
        return None
    name = url[len(MEDIA_PATH) :]
    return name if _UPLOAD_NAME_RE.fullmatch(name) else None


def is_reference(url: str) -> bool:
    """Whether ``url`` names an upload as the sanitizer lets it through."""
    return url[:6].lower() == "media:"


def link_media(body: str, excerpt: str = "") -> Linked:
    """Link the uploads that sanitized ``body`` and ``excerpt`` refer to.

    The body's first image loads at once; all others lazily (an excerpt is
    shown in listings, below other posts).
    """
    if "<img" not in body + excerpt and "media" not in body + excerpt:
        return Linked(body, excerpt)
    fragments = [_WRAPPER_RE.sub("", html) for html in (body, excerpt)]
    found = _Found(fragments)
    # Sanitized once more: whatever this module wrote, nothing the allowlist
    # refuses can reach a page (an unknown upload's link loses its <a>, too).
    body, excerpt = (
        sanitize(_link(html, found, eager_first=eager), "post")
        for html, eager in zip(fragments, (True, False), strict=True)
    )
    return Linked(body, excerpt, sorted(found.used.values(), key=lambda m: m.id))


def _link(html: str, found: _Found, *, eager_first: bool) -> str:
    count = 0

    def image(tag: re.Match[str]) -> str:
        nonlocal count
        attributes = _attributes(tag.group(1))
        src = attributes.get("src", "")
        alt, title = attributes.get("alt", ""), attributes.get("title", "")
        lazy = count > 0 or not eager_first
        media = found.find(src) if src else None
        if media is not None and media.is_image:
            count += 1
            return picture_html(media, alt or media.alt_text, title=title, lazy=lazy)
        if is_reference(src) or _upload_name(src) is not None:
            return escape(alt, quote=False)  # an upload that is not there
        count += 1
        kept: list[tuple[str, str]] = [
            (name, attributes[name])
            for name in ("src", "alt", "title", "width", "height")
            if name in attributes
            and (
                name not in ("width", "height")
                or _NUMBER_RE.fullmatch(attributes[name])
            )
        ]
        if lazy:
            kept.append(("loading", "lazy"))
        return _tag("img", [*kept, ("decoding", "async")])

    def link(tag: re.Match[str]) -> str:
        href = _attributes(tag.group(1)).get("href", "")
        media = found.find(href) if href else None
        if media is not None:
            address = escape(MEDIA_PATH + media.filename, quote=True)
            return (
                "<a" + _HREF_RE.sub(f' href="{address}"', tag.group(1), count=1) + ">"
            )
        if is_reference(href):  # an upload that is not there: no link
            return "<a" + _HREF_RE.sub("", tag.group(1), count=1) + ">"
        return tag.group(0)

    return _IMG_RE.sub(image, _A_RE.sub(link, html))


def posts_using(media_ids: Collection[int]) -> list[int]:
    """The posts whose body or excerpt shows or links to these uploads."""
    if not media_ids:
        return []
    query = (
        select(media_uses.c.post_id)
        .where(media_uses.c.media_id.in_(media_ids))
        .distinct()
        .order_by(media_uses.c.post_id)
    )
    return list(db.session.scalars(query))


def relink_posts(post_ids: Collection[int]) -> int:
    """Render these posts again (after an upload they use changed, got
    variants or was deleted) without touching their versions: their text
    has not changed, so an editor who has one open is not told of a
    conflict. A post whose Markdown today's renderer refuses has its stored
    HTML linked again instead. The caller commits.

    :returns: how many posts were rendered again.
    """
    if not post_ids:
        return 0
    rows = db.session.execute(
        select(
            Post.id,
            Post.body_source,
            Post.excerpt_source,
            Post.body_html,
            Post.excerpt_html,
            Post.rendered_version,
        ).where(Post.id.in_(post_ids))
    ).all()
    for post_id, body_source, excerpt_source, body, excerpt, version in rows:
        try:
            body = render_post(body_source)
            excerpt = render_post(excerpt_source) if excerpt_source else ""
            version = RENDERER_VERSION
        except ContentRejected:
            excerpt = excerpt if excerpt_source else ""
        linked = link_media(body, excerpt)
        db.session.execute(
            update(Post)
            .where(Post.id == post_id)
            .values(
                body_html=linked.body,
                excerpt_html=linked.excerpt
                if excerpt_source
                else excerpt_html(linked.body),
                rendered_version=version,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.execute(delete(media_uses).where(media_uses.c.post_id == post_id))
        if linked.media:
            db.session.execute(
                insert(media_uses),
                [{"post_id": post_id, "media_id": media.id} for media in linked.media],
            )
    # Bulk updates pass the session's events by: the index follows here (an
    # image's new alt text is searchable text).
    search.reindex(db.session.connection(), [row.id for row in rows])
    return len(rows)


_MARKDOWN_SPECIAL_RE = re.compile(r"([\\\[\]])")


def markdown_reference(media: Media) -> str:
    """The Markdown that shows an image (with its alt text) or links to an
    attachment, for editors to paste into a body."""
    if media.is_image:
        alt = _MARKDOWN_SPECIAL_RE.sub(r"\\\1", media.alt_text)
        return f"![{alt}](media:{media.id})"
    label = _MARKDOWN_SPECIAL_RE.sub(r"\\\1", media.label)
    return f"[{label}](media:{media.id})"


def thumbnail_url(media: Media) -> str:
    """The address of an image's smallest copy (WebP if there is one)."""
    smallest = sorted(
        media.variants, key=lambda v: (v.width, v.mimetype != "image/webp")
    )
    return MEDIA_PATH + (smallest[0].filename if smallest else media.filename)
