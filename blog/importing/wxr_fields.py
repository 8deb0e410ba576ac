"""What each element of a WordPress export says, as a record: the names of
WXR's elements in any version (``wp:post_id`` whether the namespace is
``http://wordpress.org/export/1.0/`` or ``https://.../1.2/``), and an
author, category, tag, term or item element read into its record
(:mod:`blog.importing.records`). Never raises on odd values: a bad number
is 0, a bad date ``None``. The stream and its hardening are in
:mod:`blog.importing.wxr`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from xml.etree.ElementTree import Element

from blog.importing.records import (
    Author,
    Category,
    Comment,
    Item,
    ItemTerm,
    Record,
    Tag,
    Term,
)

_WP_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/?")
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/excerpt/?")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


@lru_cache(maxsize=512)
def tag_name(tag: str) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id``: any
    WXR version, http or https; other namespaces keep ElementTree's form."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    if _WP_NS.fullmatch(uri):
        return "wp:" + local
    if _EXCERPT_NS.fullmatch(uri):
        return "excerpt:" + local
    prefix = _PREFIXES.get(uri.replace("https://", "http://", 1))
    return f"{prefix}:{local}" if prefix else tag


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


def _date(gmt: str, local: str) -> datetime | None:
    """The GMT date, else the local one read as UTC, else None: WordPress
    writes ``0000-00-00 00:00:00`` for "no date" (drafts); never raises."""
    for text in (gmt, local):
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            continue
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return None


def _fields(elem: Element) -> dict[str, str]:
    """An element's simple children by name (the first when one repeats,
    as WordPress's own importer reads them)."""
    fields: dict[str, str] = {}
    for child in elem:
        fields.setdefault(tag_name(child.tag), child.text or "")
    return fields


def _meta(elem: Element) -> tuple[str, str]:
    fields = _fields(elem)
    return fields.get("wp:meta_key", "").strip(), fields.get("wp:meta_value", "")


def _author(elem: Element) -> Author:
    f = _fields(elem)
    return Author(
        login=f.get("wp:author_login", "").strip(),
        email=f.get("wp:author_email", "").strip(),
        display_name=f.get("wp:author_display_name", ""),
        first_name=f.get("wp:author_first_name", ""),
        last_name=f.get("wp:author_last_name", ""),
        wp_id=_int(f.get("wp:author_id", "")),
    )


def _category(elem: Element) -> Category:
    f = _fields(elem)
    return Category(
        slug=f.get("wp:category_nicename", "").strip(),
        name=f.get("wp:cat_name", ""),
        parent_slug=f.get("wp:category_parent", "").strip(),
        description=f.get("wp:category_description", ""),
        wp_id=_int(f.get("wp:term_id", "")),
    )


def _tag(elem: Element) -> Tag:
    f = _fields(elem)
    return Tag(
        slug=f.get("wp:tag_slug", "").strip(),
        name=f.get("wp:tag_name", ""),
        description=f.get("wp:tag_description", ""),
        wp_id=_int(f.get("wp:term_id", "")),
    )


def _term(elem: Element) -> Term:
    f = _fields(elem)
    return Term(
        taxonomy=f.get("wp:term_taxonomy", "").strip(),
        slug=f.get("wp:term_slug", "").strip(),
        name=f.get("wp:term_name", ""),
        parent_slug=f.get("wp:term_parent", "").strip(),
        description=f.get("wp:term_description", ""),
        wp_id=_int(f.get("wp:term_id", "")),
    )


def _comment(elem: Element) -> Comment:
    fields: dict[str, str] = {}
    meta: dict[str, str] = {}
    for child in elem:
        name = tag_name(child.tag)
        if name == "wp:commentmeta":
            key, value = _meta(child)
            if key:
                meta[key] = value
        else:
            fields.setdefault(name, child.text or "")
    f = fields.get
    return Comment(
        wp_id=_int(f("wp:comment_id", "")),
        content=f("wp:comment_content", ""),
        author=f("wp:comment_author", ""),
        author_email=f("wp:comment_author_email", "").strip(),
        author_url=f("wp:comment_author_url", "").strip(),
        author_ip=f("wp:comment_author_IP", "").strip(),
        date=_date(f("wp:comment_date_gmt", ""), f("wp:comment_date", "")),
        approved=f("wp:comment_approved", "1").strip() or "1",
        type=f("wp:comment_type", "").strip(),
        parent_id=_int(f("wp:comment_parent", "")),
        user_id=_int(f("wp:comment_user_id", "")),
        user_agent=f("wp:comment_agent", ""),
        meta=meta,
    )


def _item(elem: Element) -> Item:
    fields: dict[str, str] = {}
    item = Item(wp_id=0, post_type="post")
    for child in elem:
        name = tag_name(child.tag)
        if name == "category":
            slug = child.get("nicename")
            if slug is not None:  # WXR 1.0 also writes a bare <category>Name
                domain = child.get("domain", "category").strip()
                item.terms.append(
                    ItemTerm(
                        domain="post_tag" if domain == "tag" else domain,
                        slug=slug.strip(),
                        name=child.text or "",
                    )
                )
        elif name == "wp:postmeta":
            key, value = _meta(child)
            if key:
                item.meta[key] = value
        elif name == "wp:comment":
            item.comments.append(_comment(child))
        else:
            fields.setdefault(name, child.text or "")
    f = fields.get
    item.wp_id = _int(f("wp:post_id", ""))
    item.post_type = f("wp:post_type", "").strip() or "post"
    item.title = f("title", "")
    item.link = f("link", "").strip()
    item.guid = f("guid", "").strip()
    item.creator = f("dc:creator", "").strip()
    item.content = f("content:encoded", "")
    item.excerpt = f("excerpt:encoded", "")
    item.date = _date(f("wp:post_date_gmt", ""), f("wp:post_date", ""))
    item.modified = _date(f("wp:post_modified_gmt", ""), f("wp:post_modified", ""))
    item.comment_status = f("wp:comment_status", "").strip() or "open"
    item.post_name = f("wp:post_name", "").strip()
    item.status = f("wp:status", "").strip() or "publish"
    item.parent_id = _int(f("wp:post_parent", ""))
    item.menu_order = _int(f("wp:menu_order", ""))
    item.password = f("wp:post_password", "")
    item.is_sticky = f("wp:is_sticky", "").strip() == "1"
    item.attachment_url = f("wp:attachment_url", "").strip()
    return item


BUILDERS: dict[str, Callable[[Element], Record]] = {
    "wp:author": _author,
    "wp:category": _category,
    "wp:tag": _tag,
    "wp:term": _term,
    "item": _item,
}
