"""blog.importing.wxr: a WordPress export read as a stream of records, with a
parser that refuses hostile XML and keeps memory flat on big files."""

from __future__ import annotations

import io
import socket
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blog.importing import wxr
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
from blog.importing.wxr import NotWordPressExport, UnsafeXML

#: The theme unit test data lives in shared/, beside the repository.
FIXTURE = (
    Path(__file__).resolve().parents[4]
    / "shared/fixtures/wordpress/themeunittestdata.wordpress.xml"
)

#: WXR 1.1 as WordPress 3.x wrote it: http namespaces.
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.1/">
<channel>
  <title>Old Blog</title>
  <link>http://old.example.org/</link>
  <description>Just another site</description>
  <language>en-GB</language>
  <wp:wxr_version>1.1</wp:wxr_version>
  <wp:base_site_url>http://old.example.org</wp:base_site_url>
  <wp:base_blog_url>http://old.example.org</wp:base_blog_url>
"""
TAIL = "</channel>\n</rss>\n"


def doc(body: str = "", head: str = HEAD, tail: str = TAIL) -> io.BytesIO:
    return io.BytesIO((head + body + tail).encode())


def records(data: bytes | io.BytesIO) -> list[Record]:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    return list(wxr.read(stream))


def items(found: list[Record]) -> list[Item]:
    return [r for r in found if isinstance(r, Item)]


def refusal(data: bytes | io.BytesIO) -> NotWordPressExport:
    with pytest.raises(NotWordPressExport) as caught:
        records(data)
    return caught.value


@pytest.fixture(scope="module")
def theme_data() -> list[Record]:
    if not FIXTURE.exists():
        pytest.skip(f"the theme unit test data is not at {FIXTURE}")
    with FIXTURE.open("rb") as stream:
        return list(wxr.read(stream))


# The theme unit test data: counts from its README.


def test_theme_data_starts_with_its_site(theme_data: list[Record]) -> None:
    site = theme_data[0]
    assert site == Site(
        title="Theme Unit Test Data",
        link="https://wpthemetestdata.wordpress.com",
        base_blog_url="https://wpthemetestdata.wordpress.com",
        description=(
            "Just another WordPress website with a purposefully really long description"
        ),
        language="en",
        wxr_version="1.2",
    )
    assert sum(isinstance(r, Site) for r in theme_data) == 1


def test_theme_data_counts(theme_data: list[Record]) -> None:
    kinds = Counter(type(r).__name__ for r in theme_data)
    assert (kinds["Author"], kinds["Category"], kinds["Tag"]) == (2, 68, 110)
    by_type = Counter((i.post_type, i.status) for i in items(theme_data))
    assert by_type[("post", "publish")] == 56
    assert by_type[("post", "future")] == 1
    assert by_type[("post", "draft")] == 1
    assert by_type[("page", "publish")] == 21
    assert by_type[("attachment", "inherit")] == 37
    assert by_type[("nav_menu_item", "publish")] == 70
    comments = [c for i in items(theme_data) for c in i.comments]
    assert Counter(c.approved for c in comments) == {"1": 30, "0": 3}
    assert Counter(c.type for c in comments)["pingback"] == 2
    assert Counter(c.type for c in comments)["trackback"] == 2


def test_theme_data_details(theme_data: list[Record]) -> None:
    authors = [r for r in theme_data if isinstance(r, Author)]
    assert authors[1] == Author(
        login="themereviewteam",
        email="themereviewteam@gmail.com",
        display_name="Theme Reviewer",
        first_name="Theme",
        last_name="Review",
    )
    categories = {r.slug: r for r in theme_data if isinstance(r, Category)}
    assert categories["foo-a-foo-parent"].name == "Foo A"
    assert categories["foo-a-foo-parent"].parent_slug == "foo-parent"
    assert categories["foo-parent"].parent_slug == ""  # <wp:category_parent/>
    assert categories["aciform"].wp_id == 2835016
    nav_menus = [r for r in theme_data if isinstance(r, Term)]
    assert {"nav_menu"} <= {t.taxonomy for t in nav_menus}

    posts = items(theme_data)
    protected = [p for p in posts if p.password]
    assert [p.password for p in protected] == ["enter"]
    sticky = [p for p in posts if p.is_sticky]
    assert [p.title for p in sticky] == ["Template: Sticky"]
    replies = [c for p in posts for c in p.comments if c.parent_id]
    assert replies and all(c.parent_id != c.wp_id for c in replies)
    attachment = next(p for p in posts if p.post_type == "attachment")
    assert attachment.attachment_url.startswith("https://")
    first = posts[0]
    assert first.date == datetime(2023, 1, 16, 7, 8, 31, tzinfo=UTC)
    assert ItemTerm("category", "block", "Block") in first.terms
    assert first.content.startswith("<!-- wp:paragraph -->")
    assert first.meta == {"_edit_last": "1"}


def test_site_comes_before_every_other_record(theme_data: list[Record]) -> None:
    assert isinstance(theme_data[0], Site)
    assert isinstance(theme_data[1], Author)
    assert not any(isinstance(r, Site) for r in theme_data[1:])


def test_reads_the_file_a_part_at_a_time(tmp_path: Path) -> None:
    """The caller shows progress from ``stream.tell()`` between records."""
    path = tmp_path / "many.xml"
    path.write_text(HEAD + make_items(2000, 500) + TAIL)
    size = path.stat().st_size
    with path.open("rb") as stream:
        tells = [stream.tell() for _ in wxr.read(stream)]
    assert len(tells) == 2001
    assert tells[0] < size / 4  # the site, before most of the file is read
    assert tells == sorted(tells) and len(set(tells)) > 5
    assert tells[-1] == size


# A WXR 1.1 file with http namespaces, no CDATA, and odd values.


def test_http_wxr_1_1_without_cdata() -> None:
    found = records(
        doc("""
  <wp:author><wp:author_id>3</wp:author_id><wp:author_login>ann</wp:author_login>
    <wp:author_email>ann@example.org</wp:author_email>
    <wp:author_display_name>Ann &amp; Co</wp:author_display_name>
  </wp:author>
  <wp:category><wp:term_id>7</wp:term_id>
    <wp:category_nicename>news</wp:category_nicename>
    <wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name>
    <wp:category_description>All the news</wp:category_description>
  </wp:category>
  <wp:tag><wp:term_id>x</wp:term_id><wp:tag_slug>tips</wp:tag_slug>
    <wp:tag_name>Tips</wp:tag_name></wp:tag>
  <wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy>
    <wp:term_slug>main</wp:term_slug><wp:term_parent/><wp:term_name>Main</wp:term_name>
  </wp:term>
  <item>
    <title>Hello &lt;b&gt;world&lt;/b&gt;</title>
    <link>http://old.example.org/2011/03/hello/</link>
    <guid isPermaLink="false">http://old.example.org/?p=12</guid>
    <dc:creator>ann</dc:creator>
    <content:encoded>&lt;p&gt;Body&lt;/p&gt;</content:encoded>
    <excerpt:encoded>Short</excerpt:encoded>
    <wp:post_id>12</wp:post_id>
    <wp:post_date>2011-03-04 05:06:07</wp:post_date>
    <wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
    <wp:comment_status>closed</wp:comment_status>
    <wp:post_name>hello</wp:post_name>
    <wp:status>private</wp:status>
    <wp:post_parent>nope</wp:post_parent>
    <wp:menu_order></wp:menu_order>
    <wp:post_type>post</wp:post_type>
    <wp:is_sticky>1</wp:is_sticky>
    <category><![CDATA[News]]></category>
    <category domain="category" nicename="news"><![CDATA[News]]></category>
    <category domain="tag" nicename="tips">Tips</category>
    <wp:postmeta><wp:meta_key>colour</wp:meta_key><wp:meta_value>red</wp:meta_value>
    </wp:postmeta>
    <wp:postmeta><wp:meta_key>colour</wp:meta_key><wp:meta_value>blue</wp:meta_value>
    </wp:postmeta>
    <wp:comment>
      <wp:comment_id>5</wp:comment_id>
      <wp:comment_author>Bob</wp:comment_author>
      <wp:comment_author_email>bob@example.org</wp:comment_author_email>
      <wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
      <wp:comment_date>2011-03-05 01:02:03</wp:comment_date>
      <wp:comment_date_gmt>2011-03-05 00:02:03</wp:comment_date_gmt>
      <wp:comment_content>First!</wp:comment_content>
      <wp:comment_approved>spam</wp:comment_approved>
      <wp:comment_parent>4</wp:comment_parent>
      <wp:comment_user_id>3</wp:comment_user_id>
      <wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key>
        <wp:meta_value>true</wp:meta_value></wp:commentmeta>
    </wp:comment>
  </item>
""")
    )
    assert found[0] == Site(
        title="Old Blog",
        link="http://old.example.org",
        base_blog_url="http://old.example.org",
        description="Just another site",
        language="en-GB",
        wxr_version="1.1",
    )
    assert found[1] == Author(
        login="ann", email="ann@example.org", display_name="Ann & Co", wp_id=3
    )
    assert found[2] == Category("news", "News", "", "All the news", 7)
    assert found[3] == Tag("tips", "Tips")
    assert found[4] == Term("nav_menu", "main", "Main", wp_id=9)
    item = found[5]
    assert isinstance(item, Item)
    assert (item.title, item.content, item.excerpt) == (
        "Hello <b>world</b>",
        "<p>Body</p>",
        "Short",
    )
    assert item.date == datetime(2011, 3, 4, 5, 6, 7, tzinfo=UTC)  # 0000 GMT
    assert item.modified is None
    assert (item.wp_id, item.parent_id, item.menu_order) == (12, 0, 0)
    assert (item.status, item.comment_status, item.is_sticky) == (
        "private",
        "closed",
        True,
    )
    assert item.guid == "http://old.example.org/?p=12"
    assert item.terms == [
        ItemTerm("category", "news", "News"),
        ItemTerm("post_tag", "tips", "Tips"),
    ]
    assert item.meta == {"colour": "blue"}  # the last value wins
    assert item.comments == [
        Comment(
            wp_id=5,
            content="First!",
            author="Bob",
            author_email="bob@example.org",
            author_ip="192.0.2.1",
            date=datetime(2011, 3, 5, 0, 2, 3, tzinfo=UTC),
            approved="spam",
            parent_id=4,
            user_id=3,
            meta={"akismet_result": "true"},
        )
    ]


@pytest.mark.parametrize(
    ("gmt", "local", "expected"),
    [
        ("2020-02-03 04:05:06", "2020-02-03 06:05:06", datetime(2020, 2, 3, 4, 5, 6)),
        ("0000-00-00 00:00:00", "2020-02-03 06:05:06", datetime(2020, 2, 3, 6, 5, 6)),
        ("", "2020-02-03 06:05:06", datetime(2020, 2, 3, 6, 5, 6)),
        ("0000-00-00 00:00:00", "0000-00-00 00:00:00", None),
        ("yesterday", "2020-13-45 99:00:00", None),
        (None, None, None),
    ],
)
def test_dates(gmt: str | None, local: str | None, expected: datetime | None) -> None:
    fields = "".join(
        f"<wp:{name}>{value}</wp:{name}>"
        for name, value in [
            ("post_date_gmt", gmt),
            ("post_date", local),
            ("post_modified_gmt", gmt),
            ("post_modified", local),
        ]
        if value is not None
    )
    (item,) = items(records(doc(f"<item>{fields}</item>")))
    want = expected.replace(tzinfo=UTC) if expected else None
    assert (item.date, item.modified) == (want, want)


def test_an_item_with_nothing_gets_defaults() -> None:
    (item,) = items(records(doc("<item/>")))
    assert item == Item(wp_id=0, post_type="post")


def test_an_export_with_no_records_is_just_its_site() -> None:
    found = records(doc())
    assert [type(r) for r in found] == [Site]


def test_base_blog_url_falls_back_to_the_link() -> None:
    head = HEAD.replace(
        "<wp:base_blog_url>http://old.example.org</wp:base_blog_url>", ""
    )
    site = records(doc(head=head))[0]
    assert isinstance(site, Site) and site.base_blog_url == "http://old.example.org"


@pytest.mark.parametrize(
    ("namespace", "wxr"),
    [
        ("http://wordpress.org/export/1.0/", True),
        ("http://wordpress.org/export/1.1/", True),
        ("https://wordpress.org/export/1.2/", True),
        ("https://wordpress.org/export/1.2", True),
        ("http://example.org/export/1.2/", False),
    ],
)
def test_the_wordpress_namespace_of_any_version(namespace: str, wxr: bool) -> None:
    excerpt = namespace.rstrip("/") + "/excerpt/"
    data = (
        f'<rss xmlns:wp="{namespace}" xmlns:excerpt="{excerpt}"><channel>'
        "<wp:wxr_version>1.0</wp:wxr_version><item><wp:post_id>4</wp:post_id>"
        "<excerpt:encoded>Short</excerpt:encoded></item></channel></rss>"
    ).encode()
    if wxr:
        item = records(data)[1]
        assert isinstance(item, Item) and (item.wp_id, item.excerpt) == (4, "Short")
    else:
        assert "no wp:wxr_version" in str(refusal(data))


# Files that are not WordPress exports.


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "the file is empty"),
        (b"Title,Body\nHello,World\n", "could not be read as XML: line 1, column 0"),
        (b"<?xml version='1.0'?>\n<!-- nothing -->\n", "holds no XML element"),
        (b"<html><body>hi</body></html>", "its top element is <html>, not <rss>"),
        (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
            "its top element is <feed> (namespace http://www.w3.org/2005/Atom), not",
        ),
        (
            b'<?xml version="1.0" encoding="klingon"?><rss/>',
            "character encoding this site cannot read (unknown encoding: klingon)",
        ),
        (b'<rss version="2.0"></rss>', "holds no <channel>"),
        (
            b'<rss version="2.0"><channel><title>A feed</title>'
            b"<item><title>Post</title></item></channel></rss>",
            "no wp:wxr_version, so it is an RSS feed",
        ),
        (b"<rss><channel></item></channel></rss>", "line 1, column 16 (mismatched"),
        (b"<rss><channel>&xxe;</channel></rss>", "(undefined entity"),
    ],
)
def test_not_a_wordpress_export(data: bytes, says: str) -> None:
    error = refusal(data)
    assert not isinstance(error, UnsafeXML)
    assert str(error).startswith("This file is not a WordPress export (WXR): ")
    assert says in str(error)


def test_a_feed_yields_nothing_before_it_is_refused() -> None:
    stream = doc(
        "<item/>", head=HEAD.replace("<wp:wxr_version>1.1</wp:wxr_version>", "")
    )
    reader = wxr.read(stream)
    with pytest.raises(NotWordPressExport, match="RSS feed"):
        next(reader)


def test_a_cut_file_yields_what_was_complete_then_says_where(
    theme_data: list[Record],
) -> None:
    data = FIXTURE.read_bytes()
    found: list[Record] = []
    with pytest.raises(NotWordPressExport) as caught:
        for record in wxr.read(io.BytesIO(data[: len(data) // 2])):
            found.append(record)
    assert "stops before its end (line " in str(caught.value)
    assert 100 < len(found) < len(theme_data)
    assert found == theme_data[: len(found)]  # whole records, none half-read


def test_an_error_half_way_yields_what_came_before() -> None:
    body = make_items(3, 10) + "<item><title>Bad</titel></item>"
    found: list[Record] = []
    with pytest.raises(NotWordPressExport, match="could not be read as XML"):
        for record in wxr.read(doc(body)):
            found.append(record)
    assert [i.wp_id for i in items(found)] == [1, 2, 3]


# Hostile files.

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def test_entity_expansion_is_refused() -> None:
    head = BILLION_LAUGHS + HEAD.partition("\n")[2]
    started = time.monotonic()
    error = refusal(doc("<item><title>&lol9;</title></item>", head=head))
    assert isinstance(error, UnsafeXML)
    assert "refused: the file declares a document type" in str(error)
    assert time.monotonic() - started < 1


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    head = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        + HEAD.partition("\n")[2]
    )
    found: list[Record] = []
    with pytest.raises(UnsafeXML, match="refused"):
        for record in wxr.read(doc("<item><title>&xxe;</title></item>", head=head)):
            found.append(record)
    assert found == []


def test_external_dtds_are_not_fetched() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/evil.dtd"
        head = (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE rss SYSTEM "{url}">\n' + HEAD.partition("\n")[2]
        )
        error = refusal(doc("<item/>", head=head))
        assert isinstance(error, UnsafeXML)
        assert f"external DTD ({url})" in str(error)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


def test_a_plain_doctype_is_refused_too() -> None:
    head = '<?xml version="1.0"?>\n<!DOCTYPE rss>\n' + HEAD.partition("\n")[2]
    assert isinstance(refusal(doc(head=head)), UnsafeXML)


def test_deep_nesting_is_refused() -> None:
    deep = "<div>" * 10_000 + "x" + "</div>" * 10_000
    body = f"<item><title>ok</title></item><item><content:encoded>{deep}"
    found: list[Record] = []
    with pytest.raises(UnsafeXML, match="nest more than 100 deep"):
        for record in wxr.read(doc(body + "</content:encoded></item>")):
            found.append(record)
    assert [i.title for i in items(found)] in ([], ["ok"])  # never the deep one


def test_nesting_up_to_the_limit_is_read() -> None:
    # rss, channel, item, content:encoded: 4 levels, then 96 more.
    deep = "<b>" * 96 + "x" + "</b>" * 96
    (item,) = items(
        records(doc(f"<item><content:encoded>{deep}</content:encoded></item>"))
    )
    assert item.content == ""  # markup that is not CDATA is not a body
    with pytest.raises(UnsafeXML):
        records(doc(f"<item><content:encoded><b>{deep}</b></content:encoded></item>"))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<!--", "-->"),  # one expat token: rescanned on every read in expat 2.5
        ('<x a="', '"/>'),
        ("<content:encoded><![CDATA[", "]]></content:encoded>"),
        ("<content:encoded>", "</content:encoded>"),
    ],
)
def test_a_huge_single_node_is_read_in_linear_time(before: str, after: str) -> None:
    size = 32 * 1024 * 1024
    data = (HEAD + "<item>" + before).encode() + b"x" * size
    data += (after + "<wp:post_id>8</wp:post_id></item>" + TAIL).encode()
    started = time.monotonic()
    (item,) = items(records(data))
    assert time.monotonic() - started < 5  # reading 16 KB at a time took 30 s
    assert item.wp_id == 8
    assert len(item.content) in (0, size)


# Memory stays flat however many items the file holds.


def make_items(count: int, words: int) -> str:
    body = "Lorem ipsum dolor sit amet. " * (words // 5)
    return "".join(
        f"<item><title>Post {i}</title><wp:post_id>{i}</wp:post_id>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        '<category domain="category" nicename="news">News</category>'
        "<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value>"
        "</wp:postmeta><wp:comment><wp:comment_id>1</wp:comment_id>"
        "<wp:comment_content>Nice</wp:comment_content></wp:comment></item>\n"
        for i in range(1, count + 1)
    )


def write_export(path: Path, thousands: int) -> Path:
    with path.open("w") as out:
        out.write(HEAD)
        for _ in range(thousands):
            out.write(make_items(1000, 500))
        out.write(TAIL)
    return path


def peak_memory(path: Path, keep: bool = False) -> tuple[int, int]:
    """(whole items read, peak bytes traced while reading them)."""
    kept: list[Record] = []
    count = 0
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            for record in wxr.read(stream):
                count += isinstance(record, Item) and len(record.content) > 2000
                if keep:
                    kept.append(record)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_on_a_30_mb_export(tmp_path: Path) -> None:
    big = write_export(tmp_path / "big.xml", 10)
    assert big.stat().st_size > 30_000_000
    count, streamed = peak_memory(big)
    assert count == 10_000  # every item, whole
    assert streamed < 2_000_000
    # Ten times the items, not more memory (even empty leftovers would show):
    small = write_export(tmp_path / "small.xml", 1)
    assert streamed < 1.5 * peak_memory(small)[1]
    # The measure sees the file's text when something holds on to it:
    assert peak_memory(big, keep=True)[1] > 25_000_000
