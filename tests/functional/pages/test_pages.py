"""Static pages: the editor under /dashboard/pages/, addresses /<slug>/ and
/<parent>/<slug>/, reserved words, 301s, drafts, comments and who may.
Pages nested deeper: ``test_nested_pages.py``."""

from __future__ import annotations

import html as html_module
import re

import pytest
from sqlalchemy import select

from blog.errors import PermissionDenied
from blog.extensions import db
from blog.models import Comment, Post, PostKind, PostStatus, Role, User
from blog.pages import PageInput, reserved_words, save_page
from blog.posts import trash_post


def _html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    return html_module.unescape(found.group(1)) if found else ""


def _page(app, slug: str) -> Post:  # type: ignore[no-untyped-def]
    with app.app_context():
        page = db.session.scalar(
            select(Post).where(Post.kind == PostKind.PAGE, Post.slug == slug)
        )
        assert page is not None, slug
        db.session.expunge(page)
        return page


@pytest.fixture
def editor(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.EDITOR, "edna")
    auth.login("edna")
    return user


def test_an_editor_publishes_a_page(client, app, editor):
    response = client.post(
        "/dashboard/pages/new",
        data={"title": "About", "body": "We grow *tomatoes*.", "action": "publish"},
        follow_redirects=True,
    )
    assert "Page published." in _html(response)
    page = _page(app, "about")
    assert page.status == PostStatus.PUBLISHED and page.comments_open is False
    html = _html(client.get("/about/"))
    assert '<h1 class="entry-title">About</h1>' in html
    assert "<em>tomatoes</em>" in html
    # No date, byline, categories or comment form on a page.
    assert "Posted on" not in html and "This entry was posted" not in html
    assert "Leave a Reply" not in html and "Comments are closed" not in html


def test_the_editor_has_the_pages_fields_and_not_the_articles(
    client, editor, make_page
):
    make_page("About")  # a page to put the new one under
    html = _html(client.get("/dashboard/pages/new"))
    for label in ("Title", "Slug", "Body", "Parent page", "Order", "Allow comments"):
        assert f">{label}</label>" in html or f"> {label}</label>" in html, label
    assert 'name="comments_open" type="checkbox" value="y">' in html  # unticked
    for absent in ("Categories", "Tags", "Publish on", "Excerpt"):
        assert f">{absent}</label>" not in html, absent
    assert ">Save Draft</button>" in html and ">Publish</button>" in html


def test_a_draft_is_not_public_and_preview_shows_it(client, editor):
    response = client.post(
        "/dashboard/pages/new",
        data={"title": "Contact", "body": "Write to us.", "action": "draft"},
        follow_redirects=True,
    )
    assert "Draft saved." in _html(response)
    assert client.get("/contact/").status_code == 404
    preview = client.post(
        "/dashboard/pages/new",
        data={"title": "Contact", "body": "Write to us.", "action": "preview"},
    )
    assert preview.status_code == 200
    html = _html(preview)
    assert "Preview: this is how readers will see the page." in html
    assert "Write to us." in html and "Posted on" not in html


def test_a_subpage_previews_and_nothing_is_written(client, app, editor, make_page):
    about = make_page("About")
    preview = client.post(
        "/dashboard/pages/new",
        data={
            "title": "Team",
            "body": "Us.",
            "parent_id": str(about.id),
            "action": "preview",
        },
    )
    assert preview.status_code == 200 and "Us." in _html(preview)
    with app.app_context():
        titles = db.session.scalars(
            select(Post.title).where(Post.kind == PostKind.PAGE)
        )
        assert list(titles) == ["About"]


def test_trashed_pages_are_gone(app, client, make_page):
    page = make_page("Policy")
    assert client.get("/policy/").status_code == 200
    with app.app_context():
        trash_post(db.session.get(User, page.author_id), db.session.get(Post, page.id))
    assert client.get("/policy/").status_code == 404


def test_a_subpage_lives_under_its_parent(client, app, editor, make_page):
    about = make_page("About")
    response = client.post(
        "/dashboard/pages/new",
        data={
            "title": "Team",
            "body": "Us.",
            "parent_id": str(about.id),
            "action": "publish",
        },
    )
    assert response.status_code == 302
    assert client.get("/about/team/").status_code == 200
    # Its address elsewhere leads to the right one.
    for wrong in ("/team/", "/elsewhere/team/"):
        moved = client.get(wrong)
        assert moved.status_code == 301 and moved.headers["Location"] == "/about/team/"


def test_the_list_shows_the_tree(client, editor, make_page):
    about = make_page("About", menu_order=1)
    make_page("Team", parent=about)
    make_page("Contact", menu_order=0)
    make_page("Draft page", publish=False, menu_order=5)
    html = _html(client.get("/dashboard/pages/"))
    titles = re.findall(r'/dashboard/pages/\d+/edit">([^<]+)</a>', html)
    assert titles == ["Contact", "About", "Team", "Draft page"]
    assert '<span aria-hidden="true">— </span>' in html
    assert "<code>/about/team/</code>" in html
    assert 'badge-draft">Draft<' in html


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("events", "The address /events/ belongs to the site itself."),
        ("dashboard", "The address /dashboard/ belongs to the site itself."),
        ("feed", "The address /feed/ belongs to the site itself."),
        ("wp-admin", "The address /wp-admin/ belongs to the site itself."),
        ("2024", "“2024” would read as a year's archive (/2024/)."),
    ],
)
def test_reserved_slugs_are_refused_next_to_the_field(
    client, app, editor, slug, message
):
    response = client.post(
        "/dashboard/pages/new",
        data={"title": "My page", "slug": slug, "body": "Kept.", "action": "publish"},
    )
    assert response.status_code == 200
    html = _html(response)
    assert _field_error(html, "slug").startswith(message)
    assert 'value="My page"' in html and "Kept." in html
    with app.app_context():
        assert (
            db.session.scalar(select(Post.id).where(Post.kind == PostKind.PAGE)) is None
        )


def test_a_title_that_is_a_reserved_word_gets_a_numbered_slug(client, app, editor):
    client.post(
        "/dashboard/pages/new",
        data={"title": "Events", "body": "", "action": "publish"},
    )
    assert _page(app, "events-2").title == "Events"
    assert client.get("/events-2/").status_code == 200
    assert "Upcoming events" in _html(client.get("/events/"))  # still the list


def test_slugs_are_unique_among_pages(make_page):
    assert make_page("About").slug == "about"
    assert make_page("About").slug == "about-2"


def test_a_changed_slug_leaves_a_301(client, app, editor, make_page):
    about = make_page("About")
    make_page("Team", parent=about)
    client.post(
        f"/dashboard/pages/{about.id}/edit",
        data={"title": "About", "slug": "about-us", "body": "x", "action": "update"},
    )
    assert client.get("/about-us/").status_code == 200
    moved = client.get("/about/")
    assert moved.status_code == 301 and moved.headers["Location"] == "/about-us/"
    moved = client.get("/about/team/")
    assert moved.status_code == 301 and moved.headers["Location"] == "/about-us/team/"


def test_a_changed_parent_leaves_a_301(client, app, editor, make_page):
    about = make_page("About")
    team = make_page("Team", parent=about)
    client.post(
        f"/dashboard/pages/{team.id}/edit",
        data={"title": "Team", "slug": "team", "body": "x", "action": "update"},
    )
    moved = client.get("/about/team/")
    assert moved.status_code == 301 and moved.headers["Location"] == "/team/"


def test_parents_without_cycles(client, app, editor, make_page):
    about = make_page("About")
    team = make_page("Team", parent=about)
    make_page("Contact")
    # The parent menu offers neither the page itself nor its subpages...
    html = _html(client.get(f"/dashboard/pages/{about.id}/edit"))
    offered = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert offered == ["(no parent)", "Contact"]
    # ...and a forged choice is refused next to the field.
    response = client.post(
        f"/dashboard/pages/{about.id}/edit",
        data={
            "title": "About",
            "slug": "about",
            "body": "x",
            "parent_id": str(team.id),
            "action": "update",
        },
    )
    assert _field_error(_html(response), "parent_id") == (
        "A page cannot be placed under one of its own subpages."
    )
    response = client.post(
        f"/dashboard/pages/{team.id}/edit",
        data={
            "title": "Team",
            "slug": "team",
            "body": "x",
            "parent_id": str(team.id),
            "action": "update",
        },
    )
    assert _field_error(_html(response), "parent_id") == (
        "A page cannot be its own parent."
    )
    assert _page(app, "about").parent_id is None
    assert _page(app, "team").parent_id == about.id


def test_comments_are_off_by_default_and_work_when_allowed(
    client, app, make_page, post_comment
):
    closed = make_page("Closed")
    response = post_comment(closed, "Hello?")
    assert response.status_code in (400, 403, 404)
    opened = make_page("Guestbook", comments_open=True)
    html = _html(client.get("/guestbook/"))
    assert "Leave a Reply" in html
    response = post_comment(opened, "Lovely page.", name="Ada")
    assert response.status_code in (302, 303)
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.post_id == opened.id))
        assert comment is not None and comment.body_source == "Lovely page."
    assert "unapproved=" in response.headers["Location"]  # held: new commenter


def test_approved_comments_show_on_a_page_even_once_closed(
    app, client, make_page, make_comment
):
    page = make_page("Guestbook", comments_open=True)
    make_comment(page, "Signed, Ada.")
    assert "Signed, Ada." in _html(client.get("/guestbook/"))
    with app.app_context():
        db.session.get(Post, page.id).comments_open = False
        db.session.commit()
    html = _html(client.get("/guestbook/"))
    assert "Signed, Ada." in html and "Comments are closed." in html
    assert "Leave a Reply" not in html


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.CONTRIBUTOR])
def test_authors_and_contributors_cannot_manage_pages(
    client, app, auth, make_user, make_page, role
):
    page = make_page("About")
    make_user(role, "writer")
    auth.login("writer")
    for path in (
        "/dashboard/pages/",
        "/dashboard/pages/new",
        f"/dashboard/pages/{page.id}/edit",
    ):
        assert client.get(path).status_code == 403, path
    response = client.post(
        "/dashboard/pages/new", data={"title": "Mine", "body": "", "action": "publish"}
    )
    assert response.status_code == 403
    assert client.post(f"/dashboard/pages/{page.id}/trash").status_code == 403
    # The services refuse too, whatever calls them.
    with app.app_context():
        writer = db.session.scalar(select(User).where(User.username == "writer"))
        with pytest.raises(PermissionDenied):
            save_page(
                writer,
                PageInput(title="Mine", body=""),
                reserved=reserved_words(app.url_map),
            )
        with pytest.raises(PermissionDenied):
            trash_post(writer, db.session.get(Post, page.id))


def test_pages_stay_out_of_the_blog(client, make_page, make_post):
    make_page("About")
    make_post("An article")
    home = _html(client.get("/"))
    assert "An article" in home and "/about/" not in home.split("<main")[1]


def test_pages_keep_revisions_that_can_be_restored(client, app, editor, make_page):
    page = make_page("About", "First words.")
    client.post(
        f"/dashboard/pages/{page.id}/edit",
        data={
            "title": "About",
            "slug": "about",
            "body": "Second words.",
            "action": "update",
        },
    )
    response = client.get(f"/dashboard/pages/{page.id}/revisions/")
    assert response.status_code == 200
    assert "First" in _html(response) and "Second" in _html(response)
    with app.app_context():
        from blog.models import PostRevision

        first = db.session.scalar(
            select(PostRevision.id)
            .where(PostRevision.post_id == page.id)
            .order_by(PostRevision.id)
        )
    response = client.post(
        f"/dashboard/pages/{page.id}/revisions/{first}/restore", follow_redirects=True
    )
    assert "Restored the revision" in _html(response)
    assert "First words." in _html(client.get("/about/"))
