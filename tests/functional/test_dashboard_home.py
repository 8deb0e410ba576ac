"""The dashboard home: At a glance, your recent drafts, recent activity and
Quick Draft, each showing only what the person may see, in a constant
number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.posts import PostInput, SaveAction, save_post


def section(html: str, heading_id: str) -> str:
    """The text of the home page's section labelled by ``heading_id``."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def schedule(app, author: User, title: str, days: float = 2) -> None:
    with app.app_context():
        actor = db.session.get(User, author.id)
        data = PostInput(title, "Soon.", publish_at=utcnow() + timedelta(days=days))
        save_post(actor, data, action=SaveAction.PUBLISH)


@pytest.fixture
def site(app, make_user, make_post, make_event, make_comment):
    editor = make_user(Role.EDITOR, "ed")
    contributor = make_user(Role.CONTRIBUTOR, "cora")
    live = make_post("Bees in April", author=editor)
    make_post("Also live", author=editor, days_ago=3)
    schedule(app, editor, "Bees in June")
    make_post("Ed's unfinished thought", author=editor, publish=False)
    make_post("Cora's idea", author=contributor, publish=False)
    make_event("Harvest talk", author=editor)
    make_event("Draft event", author=editor, publish=False)
    make_comment(live, "Lovely hives!", status="pending", name="Rosa")
    make_comment(live, "Agreed.", status="approved", name="Ben")
    return editor, contributor


def test_an_editor_sees_everything_at_a_glance(client, auth, site):
    auth.login("ed")
    html = client.get("/dashboard/").get_data(as_text=True)
    glance = section(html, "glance-heading")
    assert (
        '<a href="/dashboard/posts/?status=published">2 published'
        '<span class="visually-hidden"> posts</span></a>' in glance
    )
    assert '<a href="/dashboard/posts/?status=scheduled">1 scheduled' in glance
    # Cora's draft counts for an editor, who manages every post.
    assert '<a href="/dashboard/posts/?status=draft">2 drafts' in glance
    assert '<a href="/dashboard/events/?status=published">1 published' in glance
    assert '<a href="/dashboard/events/?status=draft">1 draft<' in glance
    assert "1 awaiting moderation" in glance
    assert 'href="/dashboard/comments/?status=pending"' in glance

    drafts = section(html, "recent-drafts")
    assert "Ed&#39;s unfinished thought" in drafts and "Draft event" in drafts
    assert "Cora" not in drafts  # "Your" drafts: only the editor's own

    activity = section(html, "activity-heading")
    soon = activity[activity.index("Publishing soon") : activity.index("Recently")]
    assert "Bees in June" in soon and "Bees in April" not in soon
    assert re.search(r"\d{1,2}:\d\d [ap]\.m\. UTC</time> <a [^>]*>Bees in June", soon)
    recent = activity[activity.index("Recently published") :]
    assert "Bees in April" in recent and "Harvest talk" in recent
    assert "Bees in June" not in recent
    assert "Rosa" in recent and "Lovely hives!" in recent and "Ben" in recent


def test_a_contributor_sees_only_their_own(client, auth, site):
    auth.login("cora")
    html = client.get("/dashboard/").get_data(as_text=True)
    glance = section(html, "glance-heading")
    assert "0 published" in glance and "1 draft<" in glance
    assert "awaiting moderation" not in glance
    assert "Cora&#39;s idea" in section(html, "recent-drafts")
    activity = section(html, "activity-heading")
    assert "Bees in June" not in activity  # someone else's scheduled post
    assert "Recent comments" not in activity and "Lovely hives!" not in activity


def test_quick_draft_saves_a_draft_of_ones_own(app, client, make_user, auth):
    make_user(Role.CONTRIBUTOR, "cora")
    auth.login("cora")
    html = client.get("/dashboard/").get_data(as_text=True)
    form = section(html, "quick-draft-heading")
    assert '<label for="title">Title</label>' in form
    assert '<label for="content">Content</label>' in form
    assert ">Save Draft</button>" in form
    response = client.post(
        "/dashboard/quick-draft",
        data={"title": "Idea for May", "content": "Swarms, *maybe*."},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/"
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Draft saved: “Idea for May”." in html
    assert "Idea for May" in section(html, "recent-drafts")
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.status == "draft" and post.author.username == "cora"
        assert "<em>maybe</em>" in post.body_html


def test_quick_draft_keeps_the_text_next_to_the_error(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post(
        "/dashboard/quick-draft", data={"title": "", "content": "Precious words"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    form = section(html, "quick-draft-heading")
    assert 'id="title-error">Give the draft a title.</p>' in form
    assert 'aria-invalid="true"' in form
    assert "Precious words" in form
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_quick_draft_needs_its_csrf_token(app, client, make_user):
    from tests.functional.test_csrf import _token, login

    make_user(Role.EDITOR, "grace")
    login(client)
    response = client.post(
        "/dashboard/quick-draft", data={"title": "Kept title", "content": "Kept text"}
    )
    html = response.get_data(as_text=True)
    assert "Nothing you typed was lost" in html and "Kept text" in html
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
    token = _token(client.get("/dashboard/").data)
    response = client.post(
        "/dashboard/quick-draft",
        data={"title": "Kept title", "content": "Kept text", "csrf_token": token},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Post.title)) == "Kept title"


def _queries(client, count_queries) -> int:
    with count_queries() as counter:
        assert client.get("/dashboard/").status_code == 200
    return counter.count


def test_the_home_page_is_constant(
    app, client, make_user, make_post, make_event, make_comment, auth, count_queries
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("One", author=editor, categories="c", tags="t")
    make_post("Draft", author=editor, publish=False)
    schedule(app, editor, "Soon")
    make_event("Event", author=editor)
    make_comment(post, status="pending")
    auth.login("ed")
    small = _queries(client, count_queries)
    for n in range(7):
        author = make_user(Role.AUTHOR)
        more = make_post(f"More {n}", author=author, categories=f"c{n}", tags=f"t{n}")
        make_post(f"Draft {n}", author=editor, publish=False, categories=f"d{n}")
        schedule(app, author, f"Soon {n}", days=n + 1)
        make_event(f"Event {n}", author=author, categories=f"e{n}")
        make_comment(more, status="approved")
    assert _queries(client, count_queries) == small
