"""``flask --app blog export wordpress|json`` and Tools → Export: a whole
site (articles of every status, pages with a parent, an event with its
details and featured image, nested categories, comment threads of every
status and kind) written as WXR 1.2 and as JSON, read back and checked."""

from __future__ import annotations

import html
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from blog.events import PersonInput, SponsorInput
from blog.exporting import export_site, write_json, write_wxr
from blog.exporting.cli import export
from blog.extensions import db
from blog.media import ImageInput
from blog.models import (
    CommentKind,
    CommentStatus,
    EventOccurrenceChange,
    OccurrenceChange,
    Post,
    PostStatus,
    Redirect,
    Repeat,
    Role,
    SlugRedirect,
    Term,
    User,
)
from blog.site.settings import save_settings
from tests.conftest import PASSWORD
from tests.fixtures_events import png_bytes

WP = "http://wordpress.org/export/1.2/"
NS = {
    "wp": WP,
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
TRICKY = "Keep ]]> and <b>this</b> & that"


@dataclass
class Site:
    admin: User
    writer: User
    article: Post
    scheduled: Post
    draft: Post
    pending: Post
    trashed: Post
    about: Post
    team: Post
    event: Post
    comments: dict[str, int]


@pytest.fixture
def site(app, make_user, make_post, make_page, make_event, make_comment) -> Site:
    admin = make_user(Role.ADMIN, username="ada", display_name="Ada Admin")
    writer = make_user(Role.AUTHOR, username="walt", display_name="Walt Writer")
    article = make_post(
        f"Title: {TRICKY}",
        body=f"A body that says {TRICKY}.\n\n> A quote.",
        excerpt=f"Excerpt: {TRICKY}",
        author=admin,
        categories="Local",
        tags="Rain, Sun",
        sticky=True,
        days_ago=2,
    )
    make_post("Parent post", author=admin, categories="News")
    scheduled = make_post("Coming soon", author=admin, days_ago=-5)
    draft = make_post("Unfinished", author=writer, publish=False)
    pending = make_post("Waiting", author=writer, publish=False)
    trashed = make_post("Old news", author=admin)
    about = make_page("About", author=admin)
    team = make_page("Team", author=admin, parent=about, menu_order=3)
    event = make_event(
        "Panel on rivers",
        author=admin,
        start="2031-03-13 16:00",
        end="2031-03-13 17:30",
        timezone="America/New_York",
        venue_name="Lakeside Hall",
        venue_address="12 Harbor Road",
        room="Room 341",
        cost="Free",
        contact_name="Priya N",
        contact_email="priya@example.org",
        audiences=("Students",),
        units=("Institute, East",),
        people=[
            PersonInput("Mira C", "Harbor University"),
            PersonInput("Sam O", "Riverton College", role="moderator"),
        ],
        sponsors=[SponsorInput("The Lantern Project", "https://lantern.example")],
        image=ImageInput(
            upload=io.BytesIO(png_bytes()),
            filename="hall.png",
            alt="The hall in winter",
            caption="Lakeside Hall",
        ),
    )
    first = make_comment(article, "First! *Markdown* here.", email="one@example.net")
    comments = {
        "first": first.id,
        "reply": make_comment(
            article, "A reply.", parent_id=first.id, user_id=admin.id, name="Ada"
        ).id,
        "pending": make_comment(article, "Hold me.", CommentStatus.PENDING).id,
        "spam": make_comment(article, "Buy now.", CommentStatus.SPAM).id,
        "trash": make_comment(article, "Binned.", CommentStatus.TRASH).id,
        "pingback": make_comment(
            article,
            "[...] linked here [...]",
            kind=CommentKind.PINGBACK,
            author_url="https://other.example/post/",
        ).id,
    }
    with app.app_context():
        news = db.session.scalar(select(Term).where(Term.slug == "news"))
        local = db.session.scalar(select(Term).where(Term.slug == "local"))
        assert news is not None and local is not None
        local.parent_id = news.id
        local.description = "Around town"
        db.session.get(Post, pending.id).status = PostStatus.PENDING  # type: ignore[union-attr]
        db.session.get(Post, trashed.id).status = PostStatus.TRASH  # type: ignore[union-attr]
        db.session.add(
            SlugRedirect(kind="article", old_slug="first-name", post_id=article.id)
        )
        db.session.add(Redirect(source="/old-path/", target="/about/", origin="manual"))
        save_settings({"timezone": "Europe/Paris", "akismet_api_key": "abcdef123456"})
        # The event is a weekly series (six Thursdays), one of them skipped.
        details = db.session.get(Post, event.id).event  # type: ignore[union-attr]
        assert details is not None
        details.repeat = Repeat.WEEKLY
        details.repeat_weekdays = "TH"
        details.repeat_count = 6
        details.changes = [
            EventOccurrenceChange(
                occurrence_date=date(2031, 3, 20), change=OccurrenceChange.SKIPPED
            )
        ]
        db.session.commit()
    return Site(
        admin,
        writer,
        article,
        scheduled,
        draft,
        pending,
        trashed,
        about,
        team,
        event,
        comments,
    )


def wxr_of(app: Any, **kwargs: Any) -> str:
    out = io.StringIO()
    with app.app_context():
        write_wxr(out, export_site(app, "http://localhost"), **kwargs)
    return out.getvalue()


def json_of(app: Any, **kwargs: Any) -> dict[str, Any]:
    out = io.StringIO()
    with app.app_context():
        write_json(out, export_site(app, "http://localhost"), **kwargs)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def items_by_id(channel: ET.Element) -> dict[int, ET.Element]:
    return {
        int(item.findtext("wp:post_id", namespaces=NS) or 0): item
        for item in channel.findall("item")
    }


def meta(item: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in item.findall("wp:postmeta", NS):
        key = entry.findtext("wp:meta_key", namespaces=NS) or ""
        found.setdefault(key, []).append(
            entry.findtext("wp:meta_value", namespaces=NS) or ""
        )
    return found


def wp(element: ET.Element, name: str) -> str:
    return element.findtext(f"wp:{name}", namespaces=NS) or ""


def password_hash(app: Any) -> str:
    with app.app_context():
        value = db.session.scalar(select(User.password_hash).limit(1))
    assert value
    return value


# -- WXR ---------------------------------------------------------------------


def test_wxr_channel_authors_and_terms(app, site):
    text = wxr_of(app)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert f'xmlns:wp="{WP}"' in text
    root = ET.fromstring(text)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "My Blog"
    assert channel.findtext("link") == "http://localhost"
    assert channel.findtext("language") == "en"
    assert wp(channel, "wxr_version") == "1.2"
    assert (
        wp(channel, "base_site_url")
        == wp(channel, "base_blog_url")
        == "http://localhost"
    )

    authors = {wp(a, "author_login"): a for a in channel.findall("wp:author", NS)}
    assert set(authors) == {"ada", "walt"}
    assert wp(authors["ada"], "author_id") == str(site.admin.id)
    assert wp(authors["ada"], "author_email") == "ada@example.org"
    assert wp(authors["ada"], "author_display_name") == "Ada Admin"
    assert wp(authors["ada"], "author_first_name") == ""

    categories = [
        (wp(c, "category_nicename"), wp(c, "category_parent"), wp(c, "cat_name"))
        for c in channel.findall("wp:category", NS)
    ]
    # A child after its parent, with the parent's slug; descriptions kept.
    assert categories.index(("news", "", "News")) < categories.index(
        ("local", "news", "Local")
    )
    local = next(
        c
        for c in channel.findall("wp:category", NS)
        if wp(c, "category_nicename") == "local"
    )
    assert wp(local, "category_description") == "Around town"
    assert int(wp(local, "term_id")) > 0
    tags = {wp(t, "tag_slug"): wp(t, "tag_name") for t in channel.findall("wp:tag", NS)}
    assert tags == {"rain": "Rain", "sun": "Sun"}
    # Event vocabularies are not WordPress taxonomies: they go in meta.
    assert "Students" not in {
        wp(c, "cat_name") for c in channel.findall("wp:category", NS)
    }
    assert password_hash(app) not in text
    assert "$argon2" not in text
    assert "abcdef123456" not in text


def test_wxr_statuses_dates_and_parents(app, client, site):
    channel = ET.fromstring(wxr_of(app)).find("channel")
    assert channel is not None
    items = items_by_id(channel)
    status = {post_id: wp(item, "status") for post_id, item in items.items()}
    assert status[site.article.id] == "publish"
    assert status[site.scheduled.id] == "future"
    assert status[site.draft.id] == "draft"
    assert status[site.pending.id] == "pending"
    assert status[site.trashed.id] == "trash"
    assert meta(items[site.trashed.id])["_wp_trash_meta_status"] == ["draft"]

    article = items[site.article.id]
    assert wp(article, "post_type") == "post"
    assert wp(article, "post_name") == site.article.slug
    assert wp(article, "is_sticky") == "1"
    assert wp(items[site.scheduled.id], "is_sticky") == "0"
    assert wp(article, "comment_status") == "open"
    assert article.findtext("dc:creator", namespaces=NS) == "ada"
    assert items[site.draft.id].findtext("dc:creator", namespaces=NS) == "walt"
    guid = article.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert guid.text == f"http://localhost/?p={site.article.id}"
    # Dates: the site's clock (Paris) and UTC.
    published = site.article.published_at
    assert published is not None
    paris = published.astimezone(ZoneInfo("Europe/Paris"))
    assert wp(article, "post_date_gmt") == published.astimezone(UTC).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert wp(article, "post_date") == paris.strftime("%Y-%m-%d %H:%M:%S")
    assert wp(article, "post_modified_gmt")
    # A draft nobody dated has WordPress's zero date in UTC.
    assert wp(items[site.draft.id], "post_date_gmt") == "0000-00-00 00:00:00"
    assert wp(items[site.draft.id], "post_date") != "0000-00-00 00:00:00"

    # The link is the article's public address, and it answers.
    link = article.findtext("link") or ""
    assert link.startswith("http://localhost/")
    assert client.get(urlsplit(link).path).status_code == 200

    about, team = items[site.about.id], items[site.team.id]
    assert wp(about, "post_type") == wp(team, "post_type") == "page"
    assert wp(about, "post_parent") == "0"
    assert wp(team, "post_parent") == str(site.about.id)
    assert wp(team, "menu_order") == "3"
    assert team.findtext("link") == "http://localhost/about/team/"
    assert about.findtext("guid") == f"http://localhost/?page_id={site.about.id}"
    order = list(items)
    assert order.index(site.about.id) < order.index(site.team.id)


def test_wxr_content_terms_and_meta(app, site):
    text = wxr_of(app)
    channel = ET.fromstring(text).find("channel")
    assert channel is not None
    article = items_by_id(channel)[site.article.id]
    # "]]>" in a title, an excerpt and the Markdown survives the CDATA.
    # WordPress reads titles as HTML: the literal "<b>" arrives escaped.
    assert article.findtext("title") == html.escape(f"Title: {TRICKY}", quote=False)
    assert article.findtext("excerpt:encoded", namespaces=NS) == f"Excerpt: {TRICKY}"
    assert "]]]]><![CDATA[>" in text
    content = article.findtext("content:encoded", namespaces=NS) or ""
    assert "<blockquote>" in content and "<p>A body that says" in content
    assert meta(article)["_blog_markdown"] == [
        f"A body that says {TRICKY}.\n\n> A quote."
    ]
    assert meta(article)["_blog_kind"] == ["article"]
    assert meta(article)["_wp_old_slug"] == ["first-name"]
    terms = {
        (c.get("domain"), c.get("nicename"), c.text)
        for c in article.findall("category")
    }
    assert terms == {
        ("category", "local", "Local"),
        ("post_tag", "rain", "Rain"),
        ("post_tag", "sun", "Sun"),
    }


def test_wxr_event_and_featured_image(app, site):
    channel = ET.fromstring(wxr_of(app)).find("channel")
    assert channel is not None
    items = items_by_id(channel)
    event = items[site.event.id]
    assert wp(event, "post_type") == "post"
    assert event.findtext("link") == f"http://localhost/events/{site.event.slug}/"
    details = {key: values[0] for key, values in meta(event).items()}
    assert details["_blog_kind"] == "event"
    # 16:00 in New York in March 2031 (daylight time) is 20:00 UTC.
    assert details["_blog_event_starts_at"] == "2031-03-13T20:00:00Z"
    assert details["_blog_event_ends_at"] == "2031-03-13T21:30:00Z"
    assert details["_blog_event_timezone"] == "America/New_York"
    assert details["_blog_event_all_day"] == "0"
    assert details["_blog_event_status"] == "scheduled"
    assert details["_blog_event_venue_name"] == "Lakeside Hall"
    assert details["_blog_event_venue_address"] == "12 Harbor Road"
    assert details["_blog_event_room"] == "Room 341"
    assert details["_blog_event_cost"] == "Free"
    assert details["_blog_event_contact_email"] == "priya@example.org"
    assert details["_blog_event_online_url"] == ""
    assert json.loads(details["_blog_event_people"]) == [
        {
            "role": "speaker",
            "name": "Mira C",
            "affiliation": "Harbor University",
            "url": "",
        },
        {
            "role": "moderator",
            "name": "Sam O",
            "affiliation": "Riverton College",
            "url": "",
        },
    ]
    assert json.loads(details["_blog_event_sponsors"]) == [
        {"name": "The Lantern Project", "url": "https://lantern.example"}
    ]
    assert [a["name"] for a in json.loads(details["_blog_event_audiences"])] == [
        "Students"
    ]
    assert [u["name"] for u in json.loads(details["_blog_event_units"])] == [
        "Institute, East"
    ]
    repetition = json.loads(details["_blog_event_repetition"])
    assert (repetition["repeat"], repetition["weekdays"], repetition["count"]) == (
        "weekly",
        "TH",
        6,
    )
    assert repetition["changes"] == [
        {"date": "2031-03-20", "change": "skipped", "starts_at": None, "ends_at": None}
    ]

    # The featured image is an attachment item, found by _thumbnail_id.
    thumbnail = int(details["_thumbnail_id"])
    attachment = items[thumbnail]
    assert wp(attachment, "post_type") == "attachment"
    assert wp(attachment, "status") == "inherit"
    with app.app_context():
        filename = db.session.get(Post, site.event.id).featured_image.filename  # type: ignore[union-attr]
    assert wp(attachment, "attachment_url") == f"http://localhost/media/{filename}"
    attached = meta(attachment)
    assert attached["_wp_attached_file"] == [filename]
    assert attached["_wp_attachment_image_alt"] == ["The hall in winter"]
    assert attachment.findtext("excerpt:encoded", namespaces=NS) == "Lakeside Hall"
    # Attachment ids never collide with post ids; the library's id is kept.
    post_ids = {i for i, item in items.items() if wp(item, "post_type") != "attachment"}
    assert thumbnail not in post_ids
    assert attached["_blog_media_id"] == [str(thumbnail - max(post_ids))]
    # Attachments come first, so a reader knows them before any post uses them.
    assert list(items).index(thumbnail) < list(items).index(site.event.id)


def test_wxr_comments_with_statuses_threads_and_kinds(app, site):
    text = wxr_of(app)
    channel = ET.fromstring(text).find("channel")
    assert channel is not None
    article = items_by_id(channel)[site.article.id]
    comments = {int(wp(c, "comment_id")): c for c in article.findall("wp:comment", NS)}
    ids = site.comments
    assert set(comments) == set(ids.values())
    approved = {name: wp(comments[i], "comment_approved") for name, i in ids.items()}
    assert approved == {
        "first": "1",
        "reply": "1",
        "pending": "0",
        "spam": "spam",
        "trash": "trash",
        "pingback": "1",
    }
    reply, first = comments[ids["reply"]], comments[ids["first"]]
    assert wp(reply, "comment_parent") == str(ids["first"])
    assert wp(first, "comment_parent") == "0"
    assert wp(reply, "comment_user_id") == str(site.admin.id)
    assert wp(first, "comment_user_id") == "0"
    assert wp(first, "comment_type") == ""
    assert wp(comments[ids["pingback"]], "comment_type") == "pingback"
    assert (
        wp(comments[ids["pingback"]], "comment_author_url")
        == "https://other.example/post/"
    )
    assert wp(first, "comment_author_email") == "one@example.net"
    assert wp(first, "comment_author_IP").startswith("192.0.2.")
    assert wp(first, "comment_date_gmt") and wp(first, "comment_date")
    # WordPress shows the HTML; the Markdown rides along as comment meta.
    assert "<em>Markdown</em>" in wp(first, "comment_content")
    markdown = first.find("wp:commentmeta", NS)
    assert markdown is not None
    assert wp(markdown, "meta_key") == "_blog_markdown"
    assert wp(markdown, "meta_value") == "First! *Markdown* here."
    # The commenter's account is listed among the authors.
    logins = {wp(a, "author_login") for a in channel.findall("wp:author", NS)}
    assert "ada" in logins


def test_wxr_strips_characters_xml_forbids(app, make_post):
    post = make_post("Clean title")
    with app.app_context():
        stored = db.session.get(Post, post.id)
        assert stored is not None
        # PostgreSQL's text holds no NUL: there, a vertical tab stands in.
        nul = "\x0b" if db.engine.dialect.name == "postgresql" else "\x00"
        stored.title = "Bell\x07 and form\x0cfeed \ufffe"
        stored.body_html = f"<p>nul{nul} inside ]]> here\r\nnext</p>"
        db.session.commit()
    channel = ET.fromstring(wxr_of(app)).find("channel")
    assert channel is not None
    item = items_by_id(channel)[post.id]
    assert item.findtext("title") == "Bell and formfeed "
    assert item.findtext("content:encoded", namespaces=NS) == (
        "<p>nul inside ]]> here\r\nnext</p>"
    )


def test_wxr_queries_do_not_grow_with_content(
    app, site, make_post, make_comment, count_queries
):
    """Each batch costs the same few queries, whatever it holds."""
    with count_queries() as small:
        wxr_of(app)
    for n in range(6):
        post = make_post(f"More {n}", categories=f"Topic {n}", tags="Extra")
        make_comment(post)
        make_comment(post, "Another", CommentStatus.PENDING)
    with count_queries() as big:
        wxr_of(app)
    assert big.count == small.count
    # Smaller batches: more queries, the same document.
    with count_queries() as batched:
        assert wxr_of(app, batch_size=2).count("<item>") == wxr_of(app).count("<item>")
    assert batched.count > big.count


# -- JSON --------------------------------------------------------------------


def test_json_holds_everything(app, site):
    document = json_of(app, batch_size=3)
    assert document["format"] == "blog-export"
    assert document["version"] == 1
    assert document["exported_at"].endswith("Z")
    assert document["site"]["url"] == "http://localhost"
    assert document["site"]["timezone"] == "Europe/Paris"
    assert document["site"]["settings"]["title"] == "My Blog"
    assert "akismet_api_key" not in document["site"]["settings"]
    assert "menu" in document["site"]

    users = {u["username"]: u for u in document["users"]}
    assert set(users) == {"ada", "walt"}
    assert users["walt"]["role"] == "author"
    for user in document["users"]:
        assert not {"password_hash", "totp_secret", "totp_last_step"} & set(user)

    terms = {(t["taxonomy"], t["slug"]): t for t in document["terms"]}
    assert (
        terms[("category", "local")]["parent_id"] == terms[("category", "news")]["id"]
    )
    assert ("audience", "students") in terms

    posts = {p["id"]: p for p in document["posts"]}
    assert len(posts) == 9
    article = posts[site.article.id]
    assert article["kind"] == "article" and article["status"] == "published"
    assert article["sticky"] is True
    assert article["body_source"] == f"A body that says {TRICKY}.\n\n> A quote."
    assert "<blockquote>" in article["body_html"]
    assert article["url"].startswith("http://localhost/")
    assert {terms[("category", "local")]["id"], terms[("tag", "rain")]["id"]} <= set(
        article["term_ids"]
    )
    assert posts[site.pending.id]["status"] == "pending"
    assert posts[site.trashed.id]["status"] == "trash"
    assert posts[site.draft.id]["url"] is None
    assert posts[site.team.id]["parent_id"] == site.about.id
    assert posts[site.team.id]["menu_order"] == 3
    event = posts[site.event.id]
    assert event["kind"] == "event"
    assert event["event"]["starts_at"] == "2031-03-13T20:00:00Z"
    assert event["event"]["timezone"] == "America/New_York"
    assert [p["name"] for p in event["event"]["people"]] == ["Mira C", "Sam O"]
    assert event["event"]["sponsors"][0]["url"] == "https://lantern.example"
    assert terms[("audience", "students")]["id"] in event["term_ids"]

    media = {m["id"]: m for m in document["media"]}
    featured = event["featured_image"]
    assert featured["alt"] == "The hall in winter"
    assert featured["caption"] == "Lakeside Hall"
    image = media[featured["media_id"]]
    assert image["url"] == f"http://localhost/media/{image['filename']}"
    assert image["mimetype"].startswith("image/")
    assert image["width"] and image["height"]
    assert image["alt_text"] == "The hall in winter"
    assert all(
        v["url"].startswith("http://localhost/media/") for v in image["variants"]
    )

    comments = {c["id"]: c for c in document["comments"]}
    assert {c["status"] for c in comments.values()} == {
        "approved",
        "pending",
        "spam",
        "trash",
    }
    assert comments[site.comments["reply"]]["parent_id"] == site.comments["first"]
    assert comments[site.comments["pingback"]]["kind"] == "pingback"
    assert comments[site.comments["first"]]["author_email"] == "one@example.net"
    assert comments[site.comments["first"]]["author_ip"].startswith("192.0.2.")
    assert "token" not in comments[site.comments["first"]]

    assert document["redirects"][0]["source"] == "/old-path/"
    assert document["slug_redirects"] == [
        {"post_id": site.article.id, "kind": "article", "old_slug": "first-name"}
    ]


def test_json_holds_no_secret(app, site):
    out = io.StringIO()
    with app.app_context():
        write_json(out, export_site(app, "http://localhost"))
    text = out.getvalue()
    assert password_hash(app) not in text
    assert "$argon2" not in text
    assert "abcdef123456" not in text


# -- command line ------------------------------------------------------------


def test_cli_writes_wordpress_export_to_a_private_file(app, runner, site, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "site.xml"
    result = runner.invoke(export, ["wordpress", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Written to {target}" in result.output
    assert "6 posts" in result.output and "1 events" in result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    channel = ET.parse(target).getroot().find("channel")
    assert channel is not None
    assert len(items_by_id(channel)) == 10  # 9 posts, pages and events; 1 image
    assert [p.name for p in folder.iterdir()] == ["site.xml"]  # no leftovers


def test_cli_writes_to_standard_output(app, runner, site):
    result = runner.invoke(export, ["wordpress"])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout_bytes)
    assert root.tag == "rss"
    assert "Exported:" in result.stderr

    result = runner.invoke(export, ["json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout_bytes)
    assert len(document["posts"]) == 9


def test_cli_writes_json_to_a_file(app, runner, site, tmp_path):
    target = tmp_path / "site.json"
    result = runner.invoke(export, ["json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "9 posts" in result.output
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "blog-export"


def test_cli_refuses_a_missing_folder(app, runner, tmp_path):
    result = runner.invoke(export, ["json", "-o", str(tmp_path / "nope" / "x.json")])
    assert result.exit_code != 0
    assert not (tmp_path / "nope").exists()


# -- dashboard ---------------------------------------------------------------


def test_export_page_is_for_admins(client, auth, make_user):
    editor = make_user(Role.EDITOR)
    auth.login(editor)
    assert client.get("/dashboard/tools/export/").status_code == 403
    assert client.post("/dashboard/tools/export/wordpress").status_code == 403
    assert client.post("/dashboard/tools/export/json").status_code == 403
    auth.logout()
    auth.login(make_user(Role.ADMIN))
    page = client.get("/dashboard/tools/export/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1" in text and "Export" in text
    assert "Download WordPress export" in text and "Download JSON export" in text
    assert 'name="csrf_token"' in text


def test_dashboard_downloads(client, auth, site):
    auth.login(site.admin)
    response = client.post("/dashboard/tools/export/wordpress")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert ".wordpress." in disposition and disposition.endswith('.xml"')
    assert response.mimetype == "application/xml"
    assert "no-store" in response.headers["Cache-Control"]
    channel = ET.fromstring(response.data).find("channel")
    assert channel is not None
    assert site.article.id in items_by_id(channel)

    response = client.post("/dashboard/tools/export/json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith('.json"')
    assert response.mimetype == "application/json"
    assert len(json.loads(response.data)["posts"]) == 9


def test_dashboard_download_uses_the_request_host_without_site_url(app, client, site):
    app.config["SITE_URL"] = ""
    host = "https://blog.example"
    login = {"login": site.admin.username, "password": PASSWORD}
    assert client.post("/login", data=login, base_url=host).status_code == 302
    response = client.post("/dashboard/tools/export/wordpress", base_url=host)
    channel = ET.fromstring(response.data).find("channel")
    assert channel is not None
    assert wp(channel, "base_site_url") == "https://blog.example"
    assert (
        'filename="blog.example.wordpress.' in response.headers["Content-Disposition"]
    )


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_downloads_need_the_pages_csrf_token(client, make_user):
    make_user(Role.ADMIN, "grace")
    login_page = client.get("/login").data
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    assert token is not None
    client.post(
        "/login",
        data={"login": "grace", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    page = client.get("/dashboard/tools/export/").data
    forms = re.findall(rb'name="csrf_token" value="([^"]+)"', page)
    assert len(forms) >= 2
    assert client.post("/dashboard/tools/export/json").status_code == 400
    response = client.post(
        "/dashboard/tools/export/json", data={"csrf_token": forms[-1].decode()}
    )
    assert response.status_code == 200
    assert json.loads(response.data)["format"] == "blog-export"
