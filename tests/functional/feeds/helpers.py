"""Reading feeds as a feed reader does (feedparser), and checking the XML
against the rules the W3C feed validator applies."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
from lxml import etree

SITE = "http://localhost"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def parse(client: Any, path: str, **kwargs: Any) -> Any:
    """GET ``path`` and parse it; the answer must be a well-formed feed."""
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    parsed["response"] = response
    return parsed


def check_rss(data: bytes, self_url: str) -> etree._Element:
    """RSS 2.0 as validators want it: a self link, a guid and an RFC 822
    pubDate on every item, no ``<author>`` (an email) anywhere."""
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert (channel.findtext(name) or "").strip(), name
    parsedate_to_datetime(channel.findtext("lastBuildDate"))
    selfs = channel.findall(f"{{{ATOM_NS}}}link[@rel='self']")
    assert [link.get("href") for link in selfs] == [self_url]
    assert selfs[0].get("type") == "application/rss+xml"
    for item in channel.findall("item"):
        guid = item.find("guid")
        assert guid is not None and guid.text and guid.get("isPermaLink") == "false"
        moment = parsedate_to_datetime(item.findtext("pubDate"))
        assert moment.tzinfo is not None
        assert item.findtext("link", "").startswith(SITE + "/")
        assert item.findtext(f"{{{DC_NS}}}creator")
        assert item.find("author") is None
    return root


def check_atom(data: bytes, self_url: str) -> etree._Element:
    """Atom 1.0: ids, updated times and authors' names everywhere."""
    root = etree.fromstring(data)
    assert root.tag == f"{{{ATOM_NS}}}feed"

    def one(element: etree._Element, name: str) -> str:
        found = element.findall(f"{{{ATOM_NS}}}{name}")
        assert len(found) == 1, name
        return found[0].text or ""

    assert one(root, "id") and one(root, "title") and one(root, "updated")
    links = root.findall(f"{{{ATOM_NS}}}link[@rel='self']")
    assert [link.get("href") for link in links] == [self_url]
    for entry in root.findall(f"{{{ATOM_NS}}}entry"):
        assert one(entry, "id") and one(entry, "updated") and one(entry, "published")
        names = entry.findall(f"{{{ATOM_NS}}}author/{{{ATOM_NS}}}name")
        assert names and all(name.text for name in names)
        assert entry.find(f"{{{ATOM_NS}}}author/{{{ATOM_NS}}}email") is None
        alternates = [
            link
            for link in entry.findall(f"{{{ATOM_NS}}}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert [link.get("href", "")[: len(SITE) + 1] for link in alternates] == [
            SITE + "/"
        ]
    return root
