"""Read a WordPress export (WXR 1.0, 1.1, 1.2) as a stream of records.

The file is fed to a hardened expat parser a chunk at a time, and every
finished ``item`` (or author, category, tag, term) is turned into a record,
then dropped from the tree: memory stays flat for a 100 MB export, and the
caller can read ``stream.tell()`` between records to show progress.

Hardening: no document type at all (so no entities, no entity bombs, no
external DTD or entity, hence no file or network access), nesting bounded
at :data:`MAX_DEPTH`, and reads that grow while expat is inside one huge
token, so that expat 2.5 (no "reparse deferral") never rescans it
quadratically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from blog.importing.records import (
    Author,
    Category,
    Comment,
    Item,
    ItemTerm,
    Record,
    Site,
    Tag,
    Term,
)

#: Deeper than this is an attack: a real export nests 6 deep at most
#: (rss/channel/item/wp:comment/wp:commentmeta/wp:meta_key).
MAX_DEPTH = 100

#: The first read; reads double (up to :data:`_MAX_CHUNK`) while a read
#: finishes no element, i.e. while expat is inside one long token.
_CHUNK = 64 * 1024
_MAX_CHUNK = 16 * 1024 * 1024

_WP_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/?")
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/excerpt/?")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
_RECORDS = frozenset({"wp:author", "wp:category", "wp:tag", "wp:term", "item"})
#: expat's codes for a document that stops before its end.
_TRUNCATED = frozenset({3, 5, 6, 20})  # no element, unclosed token/char/CDATA


class NotWordPressExport(ValueError):
    """The file is not a WordPress export; ``str()`` says why, for people."""

    prefix = "This file is not a WordPress export (WXR): "

    def __init__(self, reason: str) -> None:
        super().__init__(self.prefix + reason)
        self.reason = reason


class UnsafeXML(NotWordPressExport):
    """The file uses XML features WordPress never writes and attacks use
    (a DTD, entities, external references, absurd nesting): refused unread."""


@lru_cache(maxsize=512)
def _name(tag: str) -> str:
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


def _shown(tag: str) -> str:
    """A tag as a person would recognise it: ``<feed> (namespace URI)``."""
    uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return f"<{local}> (namespace {uri})" if uri else f"<{local}>"


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
        fields.setdefault(_name(child.tag), child.text or "")
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
        name = _name(child.tag)
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
        name = _name(child.tag)
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


_BUILDERS: dict[str, Callable[[Element], Record]] = {
    "wp:author": _author,
    "wp:category": _category,
    "wp:tag": _tag,
    "wp:term": _term,
    "item": _item,
}


def _site(header: dict[str, str]) -> Site:
    """The channel's header as a Site; refuses a header that is not WXR's
    (an RSS feed has the same shape but no ``wp:wxr_version``)."""
    if "wp:wxr_version" not in header:
        raise NotWordPressExport(
            "its channel has no wp:wxr_version, so it is an RSS feed or some "
            "other XML, not an export (in WordPress, use Tools → Export)."
        )
    link = header.get("link", "").strip().rstrip("/")
    return Site(
        title=header.get("title", ""),
        link=link,
        base_blog_url=header.get("wp:base_blog_url", "").strip().rstrip("/") or link,
        description=header.get("description", ""),
        language=header.get("language", "").strip(),
        wxr_version=header["wp:wxr_version"].strip(),
    )


class _Target:
    """expat's target: builds the elements, queues start/end events, and
    refuses absurd nesting before building it."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self.events: list[tuple[bool, Element]] = []
        self._depth = 0

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise UnsafeXML(
                f"refused: elements nest more than {MAX_DEPTH} deep, which "
                "WordPress never writes and which is used to exhaust servers."
            )
        elem = self._builder.start(tag, attrib)
        self.events.append((True, elem))
        return elem

    def end(self, tag: str) -> Element:
        self._depth -= 1
        elem = self._builder.end(tag)
        self.events.append((False, elem))
        return elem

    def data(self, data: str) -> None:
        self._builder.data(data)

    def close(self) -> Element:
        return self._builder.close()


class _Reader:
    """Turns start/end events into records, keeping only the open path."""

    def __init__(self) -> None:
        self.stack: list[Element] = []
        self.header: dict[str, str] = {}
        self.site_sent = False
        self.channel_seen = False
        #: Whether the top element has begun (then an error at the end of
        #: the file means the file was cut short).
        self.started = False

    def handle(self, events: list[tuple[bool, Element]]) -> Iterator[Record]:
        for is_start, elem in events:
            if is_start:
                yield from self._start(elem)
            else:
                yield from self._end(elem)

    def _start(self, elem: Element) -> Iterator[Record]:
        self.started = True
        self.stack.append(elem)
        depth, name = len(self.stack), _name(elem.tag)
        if depth == 1 and name != "rss":
            raise NotWordPressExport(
                f"its top element is {_shown(elem.tag)}, not <rss>."
            )
        if depth == 2 and name == "channel":
            self.channel_seen = True
        if depth == 3 and name in _RECORDS and self._in_channel():
            yield from self._send_site()

    def _end(self, elem: Element) -> Iterator[Record]:
        depth = len(self.stack)
        self.stack.pop()
        name = _name(elem.tag)
        if depth == 3:
            if self._in_channel():
                if name in _RECORDS:
                    yield _BUILDERS[name](elem)
                elif not self.site_sent:
                    self.header.setdefault(name, elem.text or "")
            self.stack[-1].remove(elem)  # memory stays flat
            elem.clear()
        elif depth == 2:
            if name == "channel":
                yield from self._send_site()
            self.stack[-1].remove(elem)
            elem.clear()
        elif depth == 1 and not self.channel_seen:
            raise NotWordPressExport("its <rss> element holds no <channel>.")

    def _in_channel(self) -> bool:
        return len(self.stack) >= 2 and _name(self.stack[1].tag) == "channel"

    def _send_site(self) -> Iterator[Record]:
        if not self.site_sent:
            site = _site(self.header)
            self.site_sent = True
            yield site


def _unsafe(error: DefusedXmlException) -> UnsafeXML:
    if isinstance(error, DTDForbidden):
        if error.sysid or error.pubid:
            return UnsafeXML(
                "refused: the file asks for an external DTD "
                f"({error.sysid or error.pubid}); WordPress never writes one."
            )
        return UnsafeXML(
            "refused: the file declares a document type (<!DOCTYPE>), where "
            "entities and external references hide; WordPress never writes one."
        )
    if isinstance(error, ExternalReferenceForbidden):
        return UnsafeXML(
            f"refused: the file refers to an external file or address "
            f"({error.sysid}); nothing was fetched."
        )
    if isinstance(error, EntitiesForbidden):
        return UnsafeXML(
            "refused: the file declares entities (<!ENTITY>), which WordPress "
            "never writes and which can expand without end."
        )
    return UnsafeXML(f"refused: {error}")


def _unreadable(error: ParseError, started: bool, nbytes: int) -> NotWordPressExport:
    line, column = error.position
    if not started:
        if nbytes == 0:
            return NotWordPressExport("the file is empty.")
        if error.code == 3:
            return NotWordPressExport("it holds no XML element.")
    elif error.code in _TRUNCATED:
        return NotWordPressExport(
            f"the file stops before its end (line {line}, column {column}); it "
            "was probably cut short while copying or uploading. What came "
            "before was read: export again, or run the import again on the "
            "whole file."
        )
    reason = str(error).partition(":")[0]
    return NotWordPressExport(
        f"it could not be read as XML: line {line}, column {column} ({reason})."
    )


def read(stream: BinaryIO) -> Iterator[Record]:
    """Yield the export's records in the file's order: :class:`Site` once,
    before anything else, then authors, terms and items as they come.

    :raises NotWordPressExport: not XML, not WXR, or cut short (after the
        records that were complete); :class:`UnsafeXML` for hostile XML.
    """
    target = _Target()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    reader = _Reader()
    size, nbytes = _CHUNK, 0
    while True:
        data = stream.read(size)
        nbytes += len(data)
        failure: ParseError | None = None
        try:
            if data:
                parser.feed(data)
            else:
                parser.close()
        except ParseError as error:
            failure = error
        except DefusedXmlException as error:
            raise _unsafe(error) from None
        except LookupError as error:  # <?xml encoding="..."?> Python lacks
            raise NotWordPressExport(
                f"it is written in a character encoding this site cannot read "
                f"({error})."
            ) from None
        size = _CHUNK if target.events else min(size * 2, _MAX_CHUNK)
        events, target.events = target.events, []
        yield from reader.handle(events)
        if failure is not None:
            raise _unreadable(failure, reader.started, nbytes) from None
        if not data:
            return
