"""The editor: drafts, publishing, preview, slugs, terms, trash, filters."""

from __future__ import annotations

from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, Role, SlugRedirect, Term


def test_write_and_publish_an_article(app, client, make_user, auth):
    make_user(Role.AUTHOR, "marta", display_name="Marta")
    auth.login("marta")
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "Bees in April",
            "body": "The hives *woke up*.\n\n> Loud means nectar.",
            "categories": "Gardening",
            "tags": "bees, spring",
            "comments_open": "y",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.status == "published" and post.slug == "bees-in-april"
        assert "<em>woke up</em>" in post.body_html
        assert [t.name for t in post.categories] == ["Gardening"]
        assert sorted(t.name for t in post.tags) == ["bees", "spring"]
        url = f"/{post.published_at:%Y}/{post.published_at:%m}/bees-in-april/"
    client.post("/logout")
    html = client.get(url).get_data(as_text=True)
    assert "This entry was posted in" in html and "Gardening" in html


def test_save_draft_is_not_public(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    client.post(
        "/dashboard/posts/new",
        data={"title": "Work in progress", "body": "x", "action": "draft"},
    )
    with app.app_context():
        assert db.session.scalar(select(Post)).status == "draft"
    assert "Work in progress" not in client.get("/").get_data(as_text=True)


def test_contributor_submits_for_review(app, client, make_user, auth):
    make_user(Role.CONTRIBUTOR, "cora")
    auth.login("cora")
    page = client.get("/dashboard/posts/new").get_data(as_text=True)
    assert "Submit for Review" in page
    client.post(
        "/dashboard/posts/new", data={"title": "Mine", "body": "x", "action": "publish"}
    )
    with app.app_context():
        assert db.session.scalar(select(Post)).status == "pending"


def test_editor_form_errors_keep_the_text(client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "", "body": "Precious words", "action": "publish"},
    )
    assert response.status_code == 200
    assert "Precious words" in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_preview_shows_the_reader_page_and_saves_nothing(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed", display_name="Ed Itor")
    auth.login("ed")
    response = client.post(
        "/dashboard/posts/new",
        data={
            "title": "Preview me",
            "body": "**Bold** words",
            "categories": "Brand New",
            "action": "preview",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in html and "This entry was posted in" in html
    assert "Brand New" in html and "Ed Itor" in html and 'content="noindex"' in html
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
        assert db.session.scalar(select(Term)) is None


def test_changed_slug_leaves_a_301(app, client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Old title", author=editor)
    auth.login("ed")
    client.post(
        f"/dashboard/posts/{post.id}/edit",
        data={
            "title": "New title",
            "slug": "new-title",
            "body": "x",
            "action": "publish",
        },
    )
    old = f"/{post.published_at:%Y}/{post.published_at:%m}/old-title/"
    new = f"/{post.published_at:%Y}/{post.published_at:%m}/new-title/"
    response = client.get(old)
    assert response.status_code == 301 and response.headers["Location"] == new
    assert client.get(new).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(SlugRedirect)).old_slug == "old-title"


def test_slugs_are_unique(app, client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    make_post("Same title", author=editor)
    second = make_post("Same title", author=editor)
    assert second.slug == "same-title-2"


def test_trash_restore_and_delete(app, client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Short lived", author=editor)
    auth.login("ed")
    client.post(f"/dashboard/posts/{post.id}/trash")
    assert "Short lived" not in client.get("/").get_data(as_text=True)
    assert "Short lived" in client.get("/dashboard/posts/?status=trash").get_data(
        as_text=True
    )
    client.post(f"/dashboard/posts/{post.id}/restore")
    with app.app_context():
        assert db.session.get(Post, post.id).status == "draft"
    client.post(f"/dashboard/posts/{post.id}/trash")
    client.post(f"/dashboard/posts/{post.id}/delete")
    with app.app_context():
        assert db.session.get(Post, post.id) is None


def test_posts_list_filters_and_search(client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    other = make_user(Role.AUTHOR, "au")
    make_post("Apples and pears", author=editor, categories="Fruit")
    make_post("Carrots", author=other, categories="Veg")
    make_post("Draft about apples", author=other, publish=False)
    auth.login("ed")
    assert "Carrots" not in client.get("/dashboard/posts/?q=apple").get_data(
        as_text=True
    )
    drafts = client.get("/dashboard/posts/?status=draft").get_data(as_text=True)
    assert "Draft about apples" in drafts and "Carrots" not in drafts
    with client.application.app_context():
        other_id = other.id
        veg = db.session.scalar(select(Term).where(Term.name == "Veg")).id
    by_author = client.get(f"/dashboard/posts/?author={other_id}").get_data(
        as_text=True
    )
    assert "Carrots" in by_author and "Apples and pears" not in by_author
    by_category = client.get(f"/dashboard/posts/?category={veg}").get_data(as_text=True)
    assert "Carrots" in by_category and "Apples and pears" not in by_category
    no_match = client.get("/dashboard/posts/?q=100%25").get_data(as_text=True)
    assert "No posts found." in no_match
    unknown = client.get("/dashboard/posts/?status=bogus")
    assert unknown.status_code == 200 and "No posts found." in unknown.get_data(True)


def test_dashboard_home_counts_and_drafts(client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    make_post("Live", author=editor)
    make_post("Unfinished thought", author=editor, publish=False)
    auth.login("ed")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert (
        "1 published<" in html and "1 draft<" in html and "Unfinished thought" in html
    )


def test_editor_suggests_existing_terms(client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    make_post("Tagged", author=editor, categories="Gardening", tags="bees")
    auth.login("ed")
    html = client.get("/dashboard/posts/new").get_data(as_text=True)
    assert '<datalist id="category-names"><option value="Gardening">' in html
    assert '<option value="bees">' in html


def test_terms_create_rename_delete(app, client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Two terms", author=editor, categories="Old name, Keeper")
    auth.login("ed")
    client.post("/dashboard/terms/category/", data={"name": "Fresh"})
    with app.app_context():
        old = db.session.scalar(select(Term).where(Term.name == "Old name"))
        keeper = db.session.scalar(select(Term).where(Term.name == "Keeper"))
        assert db.session.scalar(select(Term).where(Term.name == "Fresh")) is not None
    client.post(
        f"/dashboard/terms/category/{old.id}/edit",
        data={"name": "New name", "slug": ""},
    )
    assert client.get("/category/new-name/").status_code == 200
    client.post(f"/dashboard/terms/category/{keeper.id}/delete")
    with app.app_context():
        names = [t.name for t in db.session.get(Post, post.id).terms]
        assert names == ["New name"]


def test_settings_change_title_and_time_zone(client, make_user, auth):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    response = client.post(
        "/dashboard/settings/",
        data={
            "title": "Garden Gazette",
            "tagline": "Dirt and data",
            "timezone": "Mars/Olympus",
            "posts_per_page": 5,
        },
    )
    assert "Choose a time zone" in response.get_data(as_text=True)
    client.post(
        "/dashboard/settings/",
        data={
            "title": "Garden Gazette",
            "tagline": "Dirt and data",
            "timezone": "Europe/Paris",
            "posts_per_page": 5,
        },
    )
    assert "Garden Gazette" in client.get("/").get_data(as_text=True)


def test_pagination_keeps_the_filters(client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    for n in range(22):
        make_post(f"Draft {n}", author=editor, publish=False)
    auth.login("ed")
    html = client.get("/dashboard/posts/?status=draft").get_data(as_text=True)
    assert 'href="/dashboard/posts/?status=draft&amp;page=2&amp;after=' in html


def test_audiences_and_units_are_managed_like_tags(client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    client.post("/dashboard/terms/audience/", data={"name": "Students"})
    html = client.get("/dashboard/terms/audience/").get_data(as_text=True)
    assert "Audiences" in html and "Students" in html
    assert client.get("/dashboard/terms/unit/").status_code == 200
