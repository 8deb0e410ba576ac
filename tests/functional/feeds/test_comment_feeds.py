"""Comment feeds: the newest approved comments site-wide (/comments/feed/)
and on one article (/YYYY/MM/slug/feed/), each "Comment on TITLE by NAME",
linked to the comment itself; never a commenter's email or IP, never a
comment readers do not see."""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import CommentStatus, Post, Role, User
from blog.posts import publishing
from tests.fixtures_comments import url_of
from tests.functional.feeds.helpers import SITE, check_atom, check_rss, parse


@pytest.fixture
def app_config():
    return {"COMMENTS_PER_PAGE": 2, "COMMENT_THREAD_DEPTH": 3}


def test_site_wide_comments_feed(client, make_post, make_comment):
    post = make_post("Bees in the city")
    comment = make_comment(
        post,
        "Lovely *hives*.",
        name="Ruth Reader",
        email="ruth.secret@example.net",
        author_ip="198.51.100.23",
    )
    rss = parse(client, "/comments/feed/")
    check_rss(rss.response.data, f"{SITE}/comments/feed/")
    atom = parse(client, "/comments/feed/atom/")
    check_atom(atom.response.data, f"{SITE}/comments/feed/atom/")
    for feed in (rss, atom):
        assert feed.feed.title == "Comments for My Blog"
        [entry] = feed.entries
        assert entry.title == "Comment on Bees in the city by Ruth Reader"
        assert entry.link == f"{SITE}{url_of(post)}#comment-{comment.id}"
        assert entry.id == f"{SITE}/?p={post.id}#comment-{comment.id}"
        assert entry.author == "Ruth Reader"
        assert "<em>hives</em>" in entry.content[0].value
        assert entry.published_parsed
        data = feed.response.data
        assert b"ruth.secret" not in data and b"example.net" not in data
        assert b"198.51.100.23" not in data


def test_the_email_of_a_comment_posted_through_the_form_stays_out(
    client, make_post, post_comment, approving
):
    post = make_post("Open thread")
    response = post_comment(
        post, "Posted through the form.", name="Formal", email="formal@example.com"
    )
    assert response.status_code == 303
    for path in ("/comments/feed/", url_of(post) + "feed/", "/comments/feed/atom/"):
        feed = parse(client, path)
        assert [e.author for e in feed.entries] == ["Formal"], path
        assert b"formal@example.com" not in feed.response.data, path
        assert b"@" not in feed.response.data, path


def test_comments_readers_do_not_see_stay_out(
    app, client, make_user, make_post, make_comment
):
    post = make_post("Visible post")
    draft = make_post("Draft post", publish=False)
    scheduled = make_post("Later post", days_ago=-2)
    trashed = make_post("Trashed post")
    make_comment(post, "Approved words.")
    make_comment(post, "Held words.", status=CommentStatus.PENDING)
    make_comment(post, "Spam words.", status=CommentStatus.SPAM)
    make_comment(post, "Trashed words.", status=CommentStatus.TRASH)
    make_comment(draft, "On a draft.")
    make_comment(scheduled, "On a scheduled post.")
    make_comment(trashed, "On a trashed post.")
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        publishing.trash_post(admin, db.session.get(Post, trashed.id))
        db.session.commit()
    for path in ("/comments/feed/", "/comments/feed/atom/", url_of(post) + "feed/"):
        feed = parse(client, path)
        assert [e.content[0].value for e in feed.entries] == [
            "<p>Approved words.</p>"
        ], path


def test_an_article_feed_has_only_its_comments_newest_first(
    client, make_post, make_comment
):
    post = make_post("Mine")
    other = make_post("Other")
    make_comment(post, "First.", minutes_ago=30)
    make_comment(post, "Second.", minutes_ago=20)
    make_comment(other, "Elsewhere.", minutes_ago=10)
    feed = parse(client, url_of(post) + "feed/")
    check_rss(feed.response.data, SITE + url_of(post) + "feed/")
    assert feed.feed.title == "Comments on: Mine"
    assert feed.feed.link == SITE + url_of(post)
    assert [e.content[0].value for e in feed.entries] == [
        "<p>Second.</p>",
        "<p>First.</p>",
    ]
    atom = parse(client, url_of(post) + "feed/atom/")
    check_atom(atom.response.data, SITE + url_of(post) + "feed/atom/")
    assert len(atom.entries) == 2
    site_wide = parse(client, "/comments/feed/")
    assert [e.title for e in site_wide.entries] == [
        "Comment on Other by " + site_wide.entries[0].author,
        "Comment on Mine by " + site_wide.entries[1].author,
        "Comment on Mine by " + site_wide.entries[2].author,
    ]


def test_a_comment_on_a_later_page_links_to_that_page(client, make_post, make_comment):
    """Two top-level comments a page: the third's link carries cpage=2, and
    a reply is on the page of the comment it answers."""
    post = make_post("Busy")
    first = make_comment(post, "One.", minutes_ago=50)
    make_comment(post, "Two.", minutes_ago=40)
    third = make_comment(post, "Three.", minutes_ago=30)
    reply = make_comment(post, "Reply to one.", minutes_ago=20, parent_id=first.id)
    links = {
        e.content[0].value: e.link for e in parse(client, "/comments/feed/").entries
    }
    base = SITE + url_of(post)
    assert links["<p>Three.</p>"] == f"{base}?cpage=2#comment-{third.id}"
    assert links["<p>One.</p>"] == f"{base}#comment-{first.id}"
    assert links["<p>Reply to one.</p>"] == f"{base}#comment-{reply.id}"
    # The page the link names shows the comment.
    page = client.get(f"{url_of(post)}?cpage=2").get_data(as_text=True)
    assert f'id="comment-{third.id}"' in page


def test_the_article_feed_follows_the_article(app, client, make_post, make_comment):
    post = make_post("Old title")
    make_comment(post, "Still here.")
    with app.app_context():
        actor = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        publishing.save_post(
            actor,
            publishing.PostInput(title="New title", body="x", slug="new-title"),
            action=publishing.SaveAction.UPDATE,
            post=db.session.get(Post, post.id),
        )
        db.session.commit()
        moved = db.session.get(Post, post.id)
        new_url = url_of(moved)
    old = client.get(url_of(post) + "feed/")
    assert old.status_code == 301 and old.headers["Location"] == new_url + "feed/"
    old_atom = client.get(url_of(post) + "feed/atom/")
    assert old_atom.headers["Location"] == new_url + "feed/atom/"
    wrong_date = client.get("/1999/01/new-title/feed/")
    assert wrong_date.status_code == 301
    assert wrong_date.headers["Location"] == new_url + "feed/"
    assert [e.content[0].value for e in parse(client, new_url + "feed/").entries] == [
        "<p>Still here.</p>"
    ]


def test_no_feed_for_an_article_readers_cannot_see(client, make_post):
    draft = make_post("Draft", publish=False)
    assert client.get(f"/2020/01/{draft.slug}/feed/").status_code == 404
    assert client.get("/2020/01/no-such-post/feed/").status_code == 404


def test_the_reading_setting_limits_comments_too(app, client, make_post, make_comment):
    from blog.site.settings import save_settings

    post = make_post()
    for n in range(4):
        make_comment(post, f"Comment {n}.", minutes_ago=10 - n)
    with app.app_context():
        save_settings({"feed_items": 2, "feed_full_text": False})
        db.session.commit()
    feed = parse(client, "/comments/feed/")
    assert [e.summary for e in feed.entries] == [
        "<p>Comment 3.</p>",
        "<p>Comment 2.</p>",
    ]
    assert all("content" not in e for e in feed.entries)


def test_comments_on_an_event_link_to_the_event(client, make_event, make_comment):
    event = make_event("Open house")
    comment = make_comment(event, "See you there.", name="Sam")
    [entry] = parse(client, "/comments/feed/").entries
    assert entry.title == "Comment on Open house by Sam"
    assert entry.link == f"{SITE}/events/{event.slug}/#comment-{comment.id}"
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in page
