"""Exports the theme unit test file does not hold: other alphabets, terms
named only on posts, a failing item among good ones, a file cut short,
pages nested deeper than here, comments without ids, hostile event data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment, Post, Taxonomy, Term
from blog.site.menu import stored_menu
from blog.site.settings import load_settings
from tests.functional.importing.helpers import run_import

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Edges</title><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://old.example</wp:base_blog_url>
<wp:author><wp:author_login>rosa</wp:author_login>
<wp:author_email>rosa@old.example</wp:author_email></wp:author>
"""


def item(
    wp_id: int,
    slug: str,
    *,
    post_type: str = "post",
    parent: int = 0,
    extra: str = "",
) -> str:
    day = f"2020-01-{wp_id % 28 + 1:02d}"
    return (
        f"<item><title>Item {wp_id}</title>"
        f"<link>https://old.example/{day.replace('-', '/')}/{slug}/</link>"
        f"<dc:creator>rosa</dc:creator><content:encoded>Body {wp_id}</content:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id>"
        f"<wp:post_date_gmt>{day} 10:00:00</wp:post_date_gmt>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:post_type>{post_type}</wp:post_type>{extra}</item>"
    )


def export(tmp_path: Path, *parts: str, end: bool = True) -> Path:
    path = tmp_path / "export.xml"
    tail = "</channel></rss>" if end else ""
    path.write_text(HEAD + "".join(parts) + tail, encoding="utf-8")
    return path


def test_terms_in_other_alphabets_stay_apart_and_item_only_terms_are_made(
    app, tmp_path
):
    categories = "".join(
        f"<wp:category><wp:term_id>{n}</wp:term_id>"
        f"<wp:category_nicename>{slug}</wp:category_nicename>"
        f"<wp:cat_name>{name}</wp:cat_name></wp:category>"
        for n, slug, name in (
            (1, "%e4%b8%ad%e6%96%87", "中文"),
            (2, "%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8", "Новости"),
        )
    )
    news = "%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8"
    terms = (
        f'<category domain="category" nicename="{news}">Новости</category>'
        '<category domain="post_tag" nicename="only-here">Only here</category>'
    )
    summary = run_import(app, export(tmp_path, categories, item(5, "a", extra=terms)))
    assert not summary.failures
    with app.app_context():
        names = set(db.session.scalars(select(Term.name)))
        assert {"中文", "Новости", "Only here"} <= names
        post = db.session.scalar(select(Post))
        assert post is not None
        assert sorted(t.name for t in post.terms) == ["Only here", "Новости"]
        slugs = list(
            db.session.scalars(
                select(Term.slug).where(Term.taxonomy == Taxonomy.CATEGORY)
            )
        )
        assert len(set(slugs)) == 2


def test_a_failing_item_leaves_no_trace_and_the_rest_goes_on(app, client, tmp_path):
    broken = item(
        6,
        "six",
        extra="<wp:postmeta><wp:meta_key>_blog_kind</wp:meta_key>"
        "<wp:meta_value>event</wp:meta_value></wp:postmeta>",  # with no dates
    )
    summary = run_import(app, export(tmp_path, broken, item(7, "seven")))
    assert "events" not in dict(summary.rows())  # its count was taken back
    assert dict(summary.rows())["posts"].failed == 1
    assert dict(summary.rows())["posts"].created == 1
    assert len(summary.failures) == 1
    assert client.get("/?p=6").status_code == 404  # not sent to post seven
    moved = client.get("/?p=7")
    assert moved.status_code == 301
    assert client.get(moved.headers["Location"]).status_code == 200


def test_a_file_cut_short_keeps_what_came_before(app, tmp_path):
    cut = export(
        tmp_path, item(1, "one"), item(2, "two"), "<item><title>thr", end=False
    )
    summary = run_import(app, cut)
    assert dict(summary.rows())["posts"].created == 2
    assert any("line" in failure for failure in summary.failures)


def test_pages_deeper_than_five_levels_move_up(app, client, tmp_path):
    pages = [
        item(
            100 + n, f"level-{n}", post_type="page", parent=100 + n - 1 if n > 1 else 0
        )
        for n in range(1, 8)
    ]
    summary = run_import(app, export(tmp_path, *pages))
    assert not summary.failures
    assert sum("pages nest 5 deep" in note for note in summary.notes) == 2
    with app.app_context():
        for title in ("Item 106", "Item 107"):
            page = db.session.scalar(select(Post).where(Post.title == title))
            assert page is not None and page.parent is not None
            assert page.parent.title == "Item 104"
    response = client.get("/level-1/level-2/level-3/level-4/level-7/")
    assert response.status_code == 200


def test_comments_without_ids_are_all_kept_once(app, tmp_path):
    comments = "".join(
        f"<wp:comment><wp:comment_author>Reader {n}</wp:comment_author>"
        f"<wp:comment_content>Same words</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved></wp:comment>"
        for n in range(3)
    )
    path = export(tmp_path, item(9, "nine", extra=comments))
    run_import(app, path)
    run_import(app, path)
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 3


def test_hostile_event_links_are_dropped(app, client, tmp_path):
    meta = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in (
            ("_blog_kind", "event"),
            ("_blog_markdown", "An event."),
            ("_blog_event_starts_at", "2031-03-13T20:00:00Z"),
            ("_blog_event_ends_at", "2031-03-13T21:00:00Z"),
            ("_blog_event_timezone", "America/New_York"),
            ("_blog_event_online_url", "javascript:alert(1)"),
            ("_blog_event_registration_url", "javascript:alert(2)"),
            ("_blog_event_people", '[{"name": "Mira", "url": "javascript:alert(3)"}]'),
            (
                "_blog_event_sponsors",
                '[{"name": "Lantern", "url": "https://l.example"}]',
            ),
        )
    )
    summary = run_import(app, export(tmp_path, item(11, "talk", extra=meta)))
    assert not summary.failures
    page = client.get("/events/talk/").get_data(as_text=True)
    assert "Mira" in page and "https://l.example" in page
    assert "javascript:" not in page


def test_a_menu_of_headings_keeps_the_links_under_them(app, client, tmp_path):
    def menu_item(wp_id: int, title: str, url: str, parent: int, order: int) -> str:
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key>"
            f"<wp:meta_value>{v}</wp:meta_value></wp:postmeta>"
            for k, v in (
                ("_menu_item_type", "custom"),
                ("_menu_item_url", url),
                ("_menu_item_menu_item_parent", parent),
            )
        )
        return (
            f"<item><title>{title}</title><wp:post_id>{wp_id}</wp:post_id>"
            f"<wp:menu_order>{order}</wp:menu_order>"
            "<wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status>"
            '<category domain="nav_menu" nicename="main">Main</category>'
            f"{meta}</item>"
        )

    path = export(
        tmp_path,
        menu_item(50, "Topics", "#", 0, 1),
        menu_item(51, "Rivers", "https://old.example/rivers/", 50, 2),
        menu_item(52, "Elsewhere", "https://example.org/", 50, 3),
    )
    summary = run_import(app, path)
    with app.app_context():
        menu = stored_menu(load_settings())
    assert menu is not None
    assert [item.label for item in menu] == ["Rivers", "Elsewhere"]
    assert menu[0].url == "/rivers/"  # the old site's own page: its redirect leads on
    assert any("Main" in note for note in summary.notes)
    assert 'href="https://example.org/"' in client.get("/").get_data(as_text=True)
