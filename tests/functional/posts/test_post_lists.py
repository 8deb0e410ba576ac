"""The posts and events lists: tabs All, Published, Scheduled, Drafts,
Pending, Trash with counts; a scheduled post is never counted or listed as
published; sticky posts are marked; the lists' queries stay constant."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.posts import PostInput, SaveAction, save_post


def tabs(html: str) -> dict[str, int]:
    """Each tab's label and count."""
    return {
        label: int(n)
        for label, n in re.findall(
            r'<li><a href="[^"]*"(?: aria-current="page")?>(\w+) '
            r'<span class="count">\((\d+)\)</span></a></li>',
            html,
        )
    }


def current_tab(html: str) -> str:
    return re.search(r'aria-current="page">(\w+) <span class="count">', html)[1]


def schedule(app, author: User, title: str, days: float = 3, **fields) -> Post:
    with app.app_context():
        actor = db.session.get(User, author.id)
        data = PostInput(
            title=title, body="Soon.", publish_at=utcnow() + timedelta(days=days)
        )
        post = save_post(actor, data, action=SaveAction.PUBLISH, **fields)
        db.session.expunge(post)
        return post


@pytest.fixture
def mixed(app, make_user, make_post):
    """One post in each state, by an editor; and an author's own post."""
    editor = make_user(Role.EDITOR, "ed")
    author = make_user(Role.AUTHOR, "au")
    make_post("Live one", author=editor)
    make_post("Live two", author=editor)
    schedule(app, editor, "Coming soon")
    make_post("Half done", author=editor, publish=False)
    trashed = make_post("Thrown away", author=editor)
    with app.app_context():
        db.session.get(Post, trashed.id).status = "trash"
        db.session.commit()
    make_post("Author's own", author=author)
    contributor = make_user(Role.CONTRIBUTOR, "cora")
    with app.app_context():
        actor = db.session.get(User, contributor.id)
        save_post(actor, PostInput("For review", "x"), action=SaveAction.PUBLISH)
    return editor


def test_tabs_count_and_list_each_status(client, auth, mixed):
    auth.login("ed")
    html = client.get("/dashboard/posts/").get_data(as_text=True)
    assert tabs(html) == {
        "All": 6,
        "Published": 3,
        "Scheduled": 1,
        "Drafts": 1,
        "Pending": 1,
        "Trash": 1,
    }
    assert current_tab(html) == "All"
    published = client.get("/dashboard/posts/?status=published").get_data(True)
    assert current_tab(published) == "Published"
    assert "Live one" in published and "Coming soon" not in published
    scheduled = client.get("/dashboard/posts/?status=scheduled").get_data(True)
    assert current_tab(scheduled) == "Scheduled"
    assert "Coming soon" in scheduled and "Live one" not in scheduled
    assert re.search(r"Scheduled for \w+ \d+, \d{4} at [\d:]+ [ap]\.m\. UTC", scheduled)
    drafts = client.get("/dashboard/posts/?status=draft").get_data(True)
    assert "Half done" in drafts and "Coming soon" not in drafts
    trash = client.get("/dashboard/posts/?status=trash").get_data(True)
    assert "Thrown away" in trash and "Live one" not in trash
    everything = client.get("/dashboard/posts/").get_data(True)
    assert "Thrown away" not in everything and "Coming soon" in everything
    # The Status filter offers Scheduled too.
    assert '<option value="scheduled">Scheduled</option>' in html


def test_authors_count_only_their_own(client, auth, mixed):
    auth.login("au")
    html = client.get("/dashboard/posts/").get_data(as_text=True)
    assert tabs(html) == {
        "All": 1,
        "Published": 1,
        "Scheduled": 0,
        "Drafts": 0,
        "Pending": 0,
        "Trash": 0,
    }


def test_a_scheduled_post_becomes_published_at_its_time(app, client, auth, mixed):
    auth.login("ed")
    with app.app_context():
        post = db.session.query(Post).filter_by(title="Coming soon").one()
        post.published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    html = client.get("/dashboard/posts/").get_data(as_text=True)
    assert tabs(html)["Published"] == 4 and tabs(html)["Scheduled"] == 0


def test_sticky_posts_are_marked(app, client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Read me first", author=editor)
    with app.app_context():
        db.session.get(Post, post.id).sticky = True
        db.session.commit()
    auth.login("ed")
    html = client.get("/dashboard/posts/").get_data(as_text=True)
    assert re.search(
        r">Read me first</a> — <span class=\"post-state\">Sticky</span>", html
    )


def test_events_list_has_the_same_tabs(app, client, make_user, make_event, auth):
    editor = make_user(Role.EDITOR, "ed")
    make_event("On the calendar", author=editor)
    make_event(
        "Announced later", author=editor, publish_at=utcnow() + timedelta(days=2)
    )
    make_event("Still a draft", author=editor, publish=False)
    auth.login("ed")
    html = client.get("/dashboard/events/").get_data(as_text=True)
    assert tabs(html) == {
        "All": 3,
        "Published": 1,
        "Scheduled": 1,
        "Drafts": 1,
        "Pending": 0,
        "Trash": 0,
    }
    scheduled = client.get("/dashboard/events/?status=scheduled").get_data(True)
    assert current_tab(scheduled) == "Scheduled"
    assert "Announced later" in scheduled and "On the calendar" not in scheduled


def _queries(client, count_queries, path: str) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


@pytest.mark.parametrize(
    "path", ["/dashboard/posts/", "/dashboard/posts/?status=scheduled"]
)
def test_the_posts_list_is_constant(
    app, client, make_user, make_post, auth, count_queries, path
):
    editor = make_user(Role.EDITOR, "ed")
    make_post("One", author=editor, categories="c0", tags="t0")
    schedule(app, editor, "Soon 0")
    auth.login("ed")
    small = _queries(client, count_queries, path)
    for n in range(8):
        author = make_user(Role.AUTHOR)
        make_post(f"More {n}", author=author, categories=f"c{n}", tags=f"t{n}, u{n}")
        schedule(app, author, f"Soon {n + 1}", days=n + 1)
    assert _queries(client, count_queries, path) == small


def test_the_events_list_is_constant(
    client, make_user, make_event, auth, count_queries
):
    editor = make_user(Role.EDITOR, "ed")
    make_event("One", author=editor)
    auth.login("ed")
    small = _queries(client, count_queries, "/dashboard/events/")
    for n in range(6):
        make_event(f"More {n}", author=make_user(Role.AUTHOR), categories=f"c{n}")
    assert _queries(client, count_queries, "/dashboard/events/") == small
