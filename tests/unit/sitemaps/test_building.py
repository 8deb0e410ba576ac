"""The sitemaps' XML: sitemaps.org's namespace, addresses escaped, dates in
W3C Datetime to the second."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

from blog.sitemaps import SitemapUrl, sitemap_index, urlset, w3c_datetime
from blog.sitemaps.sections import newest

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WHEN = datetime(2026, 11, 27, 3, 20, 0, 123456, tzinfo=UTC)


def test_w3c_datetime_is_utc_to_the_second():
    assert w3c_datetime(WHEN) == "2026-11-27T03:20:00+00:00"
    paris = WHEN.astimezone(timezone(timedelta(hours=1)))
    assert w3c_datetime(paris) == "2026-11-27T03:20:00+00:00"


def test_urlset_escapes_and_namespaces():
    body = urlset(
        [
            SitemapUrl("http://example.org/tag/a&b/", WHEN),
            SitemapUrl("http://example.org/<odd>/", None),
        ]
    )
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"/tag/a&amp;b/" in body and b"/&lt;odd&gt;/" in body
    root = ET.fromstring(body)
    assert root.tag == f"{NS}urlset"
    first, second = root
    assert first.tag == f"{NS}url"
    assert first.findtext(f"{NS}loc") == "http://example.org/tag/a&b/"
    assert first.findtext(f"{NS}lastmod") == "2026-11-27T03:20:00+00:00"
    assert second.findtext(f"{NS}loc") == "http://example.org/<odd>/"
    assert second.find(f"{NS}lastmod") is None  # unknown: left out


def test_sitemap_index():
    root = ET.fromstring(sitemap_index([SitemapUrl("http://e.org/s-1.xml", WHEN)]))
    assert root.tag == f"{NS}sitemapindex"
    assert [child.tag for child in root] == [f"{NS}sitemap"]
    assert root[0].findtext(f"{NS}loc") == "http://e.org/s-1.xml"


def test_an_empty_urlset_is_still_a_document():
    root = ET.fromstring(urlset([]))
    assert root.tag == f"{NS}urlset" and len(root) == 0


def test_newest_skips_unknown_dates():
    later = WHEN + timedelta(days=1)
    assert newest(WHEN, None, later) == later
    assert newest(None, None) is None and newest() is None
