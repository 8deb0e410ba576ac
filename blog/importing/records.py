"""What a WordPress export (WXR) holds, as plain data: the reader
(:mod:`blog.importing.wxr`) yields these in the file's order, the importer
(:mod:`blog.importing.importer`) turns them into rows.

Strings are as WordPress wrote them (HTML in ``content``, unescaped once by
the XML parser); numbers are ints (0 for "none"); dates are aware UTC
``datetime`` values, or ``None`` where WordPress wrote
``0000-00-00 00:00:00`` or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Site:
    """The channel's header: which site was exported. Yielded once, before
    the first author, term or item."""

    title: str
    #: ``<link>``: the site's address (``https://example.org``), no slash at the end.
    link: str
    #: ``wp:base_blog_url``, else ``link``: the key that tells imports of
    #: two different sites apart.
    base_blog_url: str
    description: str = ""
    language: str = ""
    wxr_version: str = ""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    #: ``wp:author_id`` (WordPress.com exports leave it out).
    wp_id: int = 0


@dataclass
class Category:
    slug: str
    name: str
    #: The parent category's slug ("" at the top).
    parent_slug: str = ""
    description: str = ""
    wp_id: int = 0


@dataclass
class Tag:
    slug: str
    name: str
    description: str = ""
    wp_id: int = 0


@dataclass
class Term:
    """A ``wp:term`` of any other taxonomy (``nav_menu``, ``post_format``...)."""

    taxonomy: str
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""
    wp_id: int = 0


@dataclass
class ItemTerm:
    """An item's ``<category domain="..." nicename="...">Name</category>``."""

    #: ``category``, ``post_tag``, ``nav_menu``, ``post_format``...
    domain: str
    slug: str
    name: str


@dataclass
class Comment:
    wp_id: int
    content: str
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    #: ``wp:comment_date_gmt``, else ``wp:comment_date`` read as UTC.
    date: datetime | None = None
    #: ``"1"``, ``"0"``, ``"spam"``, ``"trash"`` (WordPress's words).
    approved: str = "1"
    #: ``""`` or ``"comment"`` for a comment, ``"pingback"``, ``"trackback"``.
    type: str = ""
    parent_id: int = 0
    #: The registered user who wrote it (a WordPress user id; 0 for a reader).
    user_id: int = 0
    user_agent: str = ""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    """A post, page, attachment, menu item or any other post type."""

    wp_id: int
    post_type: str
    title: str = ""
    #: ``<link>``: its address on the old site.
    link: str = ""
    guid: str = ""
    #: ``dc:creator``: the author's login.
    creator: str = ""
    #: ``content:encoded`` (HTML, block comments and shortcodes included).
    content: str = ""
    #: ``excerpt:encoded``.
    excerpt: str = ""
    #: ``wp:post_date_gmt``, else ``wp:post_date`` read as UTC.
    date: datetime | None = None
    #: ``wp:post_modified_gmt``, else ``wp:post_modified`` read as UTC.
    modified: datetime | None = None
    comment_status: str = "open"
    #: ``wp:post_name``: the slug (``old-news__trashed`` in the trash).
    post_name: str = ""
    #: ``publish``, ``future``, ``draft``, ``pending``, ``private``,
    #: ``trash``, ``inherit`` (attachments)...
    status: str = "publish"
    parent_id: int = 0
    menu_order: int = 0
    password: str = ""
    is_sticky: bool = False
    #: ``wp:attachment_url`` (attachments only).
    attachment_url: str = ""
    terms: list[ItemTerm] = field(default_factory=list)
    #: ``wp:postmeta`` by key (the last value when a key repeats).
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


#: One thing the reader yields.
Record = Site | Author | Category | Tag | Term | Item
