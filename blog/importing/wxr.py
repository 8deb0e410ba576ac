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

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from blog.importing.records import Record, Site
from blog.importing.wxr_fields import BUILDERS, tag_name

#: Deeper than this is an attack: a real export nests 6 deep at most
#: (rss/channel/item/wp:comment/wp:commentmeta/wp:meta_key).
MAX_DEPTH = 100

#: The first read; reads double (up to :data:`_MAX_CHUNK`) while a read
#: finishes no element, i.e. while expat is inside one long token.
_CHUNK = 64 * 1024
_MAX_CHUNK = 16 * 1024 * 1024

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


def _shown(tag: str) -> str:
    """A tag as a person would recognise it: ``<feed> (namespace URI)``."""
    uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return f"<{local}> (namespace {uri})" if uri else f"<{local}>"


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
        depth, name = len(self.stack), tag_name(elem.tag)
        if depth == 1 and name != "rss":
            raise NotWordPressExport(
                f"its top element is {_shown(elem.tag)}, not <rss>."
            )
        if depth == 2 and name == "channel":
            self.channel_seen = True
        if depth == 3 and name in BUILDERS and self._in_channel():
            yield from self._send_site()

    def _end(self, elem: Element) -> Iterator[Record]:
        depth = len(self.stack)
        self.stack.pop()
        name = tag_name(elem.tag)
        if depth == 3:
            if self._in_channel():
                if name in BUILDERS:
                    yield BUILDERS[name](elem)
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
        return len(self.stack) >= 2 and tag_name(self.stack[1].tag) == "channel"

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
