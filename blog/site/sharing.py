"""What a page says about itself when it is shared or indexed: its
canonical address, description, OpenGraph and Twitter card values.

Pure functions of what the view already holds (a post with its author,
terms and featured image loaded eagerly, the site settings, addresses built
at the edge): no query, no request. ``templates/public/_sharing_meta.html``
shows a :class:`PageMeta`; Jinja escapes every value there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from blog import dates
from blog.media.markup import MEDIA_PATH
from blog.models import Media, Post, PostKind
from blog.rendering import plain_text

#: Longest description, in characters (what search results show).
DESCRIPTION_LIMIT = 160
#: The width sharing cards show best (Facebook, X, LinkedIn): the smallest
#: copy at least this wide is shared, else the widest there is.
SHARE_WIDTH = 1200


@dataclass(frozen=True)
class SharedImage:
    """The image a shared link shows, with an absolute address."""

    url: str
    width: int | None
    height: int | None
    alt: str
    mimetype: str


@dataclass(frozen=True)
class PageMeta:
    """Everything ``_sharing_meta.html`` writes into a page's ``<head>``."""

    title: str
    description: str
    #: Absolute; "" for a page that has none (an error, a form's answer).
    canonical: str
    site_name: str
    og_type: str = "website"
    image: SharedImage | None = None
    #: ``article:*``: ISO 8601 to the second; the author's page; the first
    #: category's name; every tag's name.
    published_time: str = ""
    modified_time: str = ""
    author_url: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()

    @property
    def twitter_card(self) -> str:
        """A large card when there is a picture to show, else the small one."""
        return "summary_large_image" if self.image else "summary"


def cut_at_word(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` whole if it fits, else cut at the last space within ``limit``
    characters (a single long word is cut where it must) and ended with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-–—") + "…"


def describe(post: Post, fallback: str = "") -> str:
    """The post's excerpt as plain text, else the start of its body, else
    ``fallback`` (the site's tagline); cut at a word."""
    for html in (post.excerpt_html, post.body_html):
        text = plain_text(html or "")
        if text:
            return cut_at_word(text)
    return cut_at_word(fallback)


def shared_image(media: Media, alt: str, site_url: str) -> SharedImage | None:
    """The copy of ``media`` to share: the smallest at least
    :data:`SHARE_WIDTH` wide, else the widest (WebP copies only for a WebP
    original: some sites that read OpenGraph still refuse WebP)."""
    if not media.is_image:
        return None
    webp = media.mimetype == "image/webp"
    copies = [
        (v.width, v.height, v.filename, v.mimetype)
        for v in media.variants
        if webp or v.mimetype != "image/webp"
    ]
    copies.append((media.width or 0, media.height or 0, media.filename, media.mimetype))
    wide = sorted(c for c in copies if c[0] >= SHARE_WIDTH)
    width, height, filename, mimetype = wide[0] if wide else max(copies)
    return SharedImage(
        url=site_url.rstrip("/") + MEDIA_PATH + filename,
        width=width or None,
        height=height or None,
        alt=alt or media.alt_text,
        mimetype=mimetype,
    )


def for_post(
    post: Post,
    url: str,
    settings: Mapping[str, Any],
    *,
    site_url: str,
    author_url: str = "",
) -> PageMeta:
    """An article's, event's or page's card. Only articles are ``article``
    in OpenGraph, with their dates, author, section and tags.

    :param url: the post's canonical address, absolute.
    :param author_url: the author's archive, absolute (articles).
    """
    image = None
    if post.featured_image is not None:
        image = shared_image(post.featured_image, post.featured_image_alt, site_url)
    common: dict[str, Any] = {
        "title": post.title,
        "description": describe(post, str(settings.get("tagline") or "")),
        "canonical": url,
        "site_name": str(settings.get("title") or ""),
        "image": image,
    }
    if post.kind != PostKind.ARTICLE:
        return PageMeta(**common)
    section = post.primary_category
    return PageMeta(
        **common,
        og_type="article",
        published_time=dates.iso(post.published_at),
        modified_time=dates.iso(post.modified_at),
        author_url=author_url,
        section=section.name if section else "",
        tags=tuple(tag.name for tag in post.tags),
    )


def for_listing(
    title: str, url: str, settings: Mapping[str, Any], *, description: str = ""
) -> PageMeta:
    """An archive's card: its heading, its term's description or the
    tagline, and its address (see :func:`blog.views.sharing.canonical`)."""
    tagline = str(settings.get("tagline") or "")
    return PageMeta(
        title=title,
        description=cut_at_word(description or tagline),
        canonical=url,
        site_name=str(settings.get("title") or ""),
    )


def for_site(url: str, settings: Mapping[str, Any], *, title: str = "") -> PageMeta:
    """The site's own card, for the home page and any page that has no
    better one; ``url`` "" leaves the canonical address out."""
    site_title = str(settings.get("title") or "")
    return for_listing(title or site_title, url, settings)
