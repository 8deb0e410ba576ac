"""The export's building blocks: CDATA that survives any text, dates in
WordPress's format, categories ordered parents first, streamed writing."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from blog.exporting.formats import ZERO_DATE, iso_utc, rfc2822, wp_gmt, wp_local
from blog.exporting.source import parents_first
from blog.exporting.streams import buffered, write_chunks
from blog.exporting.xmltext import attribute, cdata, text, xml_safe
from blog.models import Taxonomy, Term


def read_back(fragment: str) -> str:
    return ET.fromstring(f"<x>{fragment}</x>").text or ""


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "]]>",
        "a]]>b]]>c",
        "]]]]>",
        "<![CDATA[ nested ]]>",
        "<script>alert(1)</script> & ampersands",
        "line\r\nbreaks\rkept\n",
        "emoji 🎉 and accents é",
        "",
    ],
)
def test_cdata_reads_back_exactly(value):
    assert read_back(cdata(value)) == value


def test_characters_xml_forbids_are_dropped():
    assert xml_safe("a\x00b\x07c\x0bd\x1fe\ufffef\uffffg\ud800h") == "abcdefgh"
    assert read_back(cdata("bell\x07")) == "bell"
    assert read_back(text("nul\x00 <&>")) == "nul <&>"
    quoted = attribute('q"uote & <tag>\x01')
    element = ET.fromstring(f"<x a={quoted}/>")
    assert element.get("a") == 'q"uote & <tag>'


def test_wordpress_dates():
    moment = datetime(2030, 3, 14, 20, 5, 9, 123456, tzinfo=UTC)
    assert wp_gmt(moment) == "2030-03-14 20:05:09"
    assert wp_local(moment, ZoneInfo("America/New_York")) == "2030-03-14 16:05:09"
    assert wp_gmt(None) == ZERO_DATE == "0000-00-00 00:00:00"
    assert rfc2822(moment) == "Thu, 14 Mar 2030 20:05:09 +0000"
    assert iso_utc(moment) == "2030-03-14T20:05:09.123456Z"
    assert iso_utc(moment.replace(microsecond=0)) == "2030-03-14T20:05:09Z"
    assert iso_utc(None) is None


def term(id: int, parent: int | None = None) -> Term:
    return Term(
        id=id,
        taxonomy=Taxonomy.CATEGORY,
        name=f"T{id}",
        slug=f"t{id}",
        parent_id=parent,
    )


def test_categories_come_after_their_parents():
    terms = [term(1, 3), term(2), term(3, 4), term(4), term(5, 99)]
    assert [t.id for t in parents_first(terms)] == [2, 4, 5, 3, 1]


def test_a_cycle_does_not_lose_terms():
    terms = [term(1, 2), term(2, 1), term(3)]
    assert sorted(t.id for t in parents_first(terms)) == [1, 2, 3]


def test_writing_is_buffered_and_complete():
    pieces = [f"<{n}>" for n in range(10_000)]
    joined = list(buffered(pieces, size=1000))
    assert "".join(joined) == "".join(pieces)
    assert 30 < len(joined) < 100
    out = io.StringIO()
    write_chunks(out, iter(pieces))
    assert out.getvalue() == "".join(pieces)
