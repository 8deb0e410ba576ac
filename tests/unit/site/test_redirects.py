"""blog.site.redirects: the canonical form of an old address, storing
redirects, and Tools → Redirects' rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blog.errors import FieldError, PermissionDenied
from blog.extensions import db
from blog.models import Post, Redirect, Role, User, utcnow
from blog.site.redirects import (
    add_redirect,
    create_redirect,
    delete_redirect,
    find_target,
    has_routing_query,
    normalize_source,
    readable,
    redirect_page,
    request_key,
    update_redirect,
)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("https://old.example/2008/09/03/slug/", "/2008/09/03/slug/"),
        ("http://OLD.example:8080/2008/09/03/slug", "/2008/09/03/slug/"),
        ("//old.example/about/", "/about/"),
        ("/2008/09/03/slug", "/2008/09/03/slug/"),
        ("/2008/09/03/slug/#comments", "/2008/09/03/slug/"),
        ("  /about  ", "/about/"),
        ("/?p=123", "/?p=123"),
        ("?p=123", "/?p=123"),
        ("https://old.example/?p=123", "/?p=123"),
        ("/?page_id=7&foo=1", "/?page_id=7"),
        ("/?foo=1&attachment_id=9", "/?attachment_id=9"),
        ("/?cat=4", "/?cat=4"),
        ("/?author=2", "/?author=2"),
        ("/?m=200809", "/?m=200809"),
        ("/?tag=a+b", "/?tag=a%20b"),
        ("/?cat=4&p=1", "/?p=1"),
        ("/index.php?p=5", "/?p=5"),
        ("/2008/09/03/slug/?utm_source=feed", "/2008/09/03/slug/"),
        ("/category/a/b/feed/", "/category/a/b/feed/"),
        ("/category/a/b/feed", "/category/a/b/feed/"),
        (
            "/wp-content/uploads/2008/09/photo.jpg",
            "/wp-content/uploads/2008/09/photo.jpg",
        ),
        ("/feed.xml", "/feed.xml"),
        ("/2008/09/%e4%b8%ad%e6%96%87/", "/2008/09/%E4%B8%AD%E6%96%87/"),
        ("/2008/09/中文/", "/2008/09/%E4%B8%AD%E6%96%87/"),
        ("/2008/09/%E4%B8%AD%E6%96%87", "/2008/09/%E4%B8%AD%E6%96%87/"),
        ("/a%20b/", "/a%20b/"),
        ("/a b/", "/a%20b/"),
        ("/it's+(this)/", "/it's+(this)/"),
        ("/100%25/", "/100%25/"),
        ("/q%3Fx/", "/q%3Fx/"),
    ],
)
def test_addresses_have_one_canonical_form(address, key):
    assert normalize_source(address) == key
    assert normalize_source(key) == key  # the form is stable


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "/",
        "https://old.example",
        "https://old.example/",
        "/?foo=1",
        "/?p=",
        "mailto:someone@example.org",
        "javascript:alert(1)",
        "ftp://old.example/file/",
        "old-post/",
        "/with\nbreak/",
        "/with\x00nul/",
        "http://[bad/",
        "/" + "x" * 600,
    ],
)
def test_addresses_that_cannot_be_redirected(address):
    assert normalize_source(address) is None


def test_a_request_has_the_same_key_as_the_stored_address():
    """Werkzeug hands the view a decoded path and decoded arguments."""
    assert request_key("/2008/09/中文", {}) == normalize_source(
        "https://old.example/2008/09/%e4%b8%ad%e6%96%87/"
    )
    assert request_key("/", {"p": "123", "replytocom": "4"}) == "/?p=123"
    assert request_key("/", {"tag": "a b"}) == normalize_source("/?tag=a+b")
    assert request_key("/", {}) is None
    assert request_key("/bad\x00/", {}) is None


def test_routing_queries_are_wordpress_ids():
    assert has_routing_query({"p": "1"}) and has_routing_query({"page_id": "x"})
    assert not has_routing_query({"p": ""})
    assert not has_routing_query({"s": "term"})
    assert not has_routing_query({"page": "2"})


def test_readable_shows_unicode():
    assert readable("/2008/09/%E4%B8%AD%E6%96%87/") == "/2008/09/中文/"


def _admin(app, role: Role = Role.ADMIN) -> User:
    user = User(
        username=f"u-{role.value}",
        email=f"{role.value}@example.org",
        display_name=role.value.title(),
        slug=f"u-{role.value}",
        role=role,
    )
    db.session.add(user)
    db.session.commit()
    return user


def _count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Redirect)) or 0)


def test_add_redirect_upserts_by_canonical_source(app):
    with app.app_context():
        first = add_redirect("https://old.example/about", "/about-us/")
        again = add_redirect("/about/", "/team/", origin="wordpress")
        assert first is again and again is not None
        db.session.commit()
        assert _count() == 1
        stored = db.session.scalar(select(Redirect))
        assert (stored.source, stored.target) == ("/about/", "/team/")
        assert stored.origin == "manual"  # who made it stays


def test_add_redirect_stores_nothing_it_cannot_use(app):
    with app.app_context():
        assert add_redirect("/same/", "/same") is None
        assert add_redirect("http://localhost/same/", "/same/") is None
        assert add_redirect("/old/", "http://localhost/old/") is None  # SITE_URL
        assert add_redirect("/", "/new/") is None
        assert add_redirect("/old/", "javascript:alert(1)") is None
        assert add_redirect("/old/", "//evil.example/") is None
        assert add_redirect("/old/", "") is None
        db.session.commit()
        assert _count() == 0


def test_add_redirect_makes_unicode_targets_ascii(app):
    with app.app_context():
        stored = add_redirect("/old/", "/2024/05/中文/")
        assert stored is not None and stored.target == "/2024/05/%E4%B8%AD%E6%96%87/"


def test_find_target_follows_the_posts_visibility(app, make_post):
    published = make_post("Out")
    draft = make_post("Not yet", publish=False)
    now = utcnow()
    with app.app_context():
        add_redirect("/?p=1", "/out/", post_id=published.id)
        add_redirect("/?p=2", "/not-yet/", post_id=draft.id)
        add_redirect("/old-cat/", "/category/new/")
        db.session.commit()
        assert find_target("/", {"p": "1"}, now) == "/out/"
        assert find_target("/", {"p": "2"}, now) is None
        assert find_target("/old-cat", {}, now) == "/category/new/"
        assert find_target("/nothing/", {}, now) is None
        db.session.get(Post, draft.id).status = "published"
        db.session.get(Post, draft.id).published_at = now + timedelta(days=1)
        db.session.commit()
        assert find_target("/", {"p": "2"}, now) is None  # scheduled
        assert find_target("/", {"p": "2"}, now + timedelta(days=2)) == "/not-yet/"


def test_admins_add_edit_and_delete(app):
    with app.app_context():
        admin = _admin(app)
        made = create_redirect(admin, "https://old.example/2008/09/03/x", "/new/")
        assert (made.source, made.target, made.origin) == (
            "/2008/09/03/x/",
            "/new/",
            "manual",
        )
        update_redirect(admin, made, "/2008/09/03/y/", "https://example.net/y")
        assert (made.source, made.target) == ("/2008/09/03/y/", "https://example.net/y")
        delete_redirect(admin, made)
        assert _count() == 0


def _errors(call) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldError) as caught:
        call()
    db.session.rollback()
    return caught.value.errors


def test_bad_input_is_refused_field_by_field(app):
    with app.app_context():
        admin = _admin(app)
        existing = create_redirect(admin, "/taken/", "/new/")
        assert set(_errors(lambda: create_redirect(admin, "", ""))) == {
            "source",
            "target",
        }
        assert "source" in _errors(lambda: create_redirect(admin, "/", "/new/"))
        assert "source" in _errors(lambda: create_redirect(admin, "old/", "/new/"))
        errors = _errors(lambda: create_redirect(admin, "/x/", "javascript:alert(1)"))
        assert "https://" in errors["target"]
        errors = _errors(lambda: create_redirect(admin, "/x/", "//evil.example/"))
        assert "target" in errors
        errors = _errors(lambda: create_redirect(admin, "/loop", "/loop/"))
        assert "would never load" in errors["target"]
        errors = _errors(lambda: create_redirect(admin, "/new/", "/taken/"))
        assert "round in circles" in errors["target"]
        errors = _errors(lambda: create_redirect(admin, "/taken", "/other/"))
        assert errors["source"].startswith("There is already a redirect from /taken/")
        # its own source is no conflict when editing
        update_redirect(admin, existing, "/taken/", "/other/")
        assert _count() == 1


def test_editing_the_target_forgets_the_post(app, make_post):
    post = make_post("Imported")
    with app.app_context():
        admin = _admin(app)
        stored = add_redirect(
            "/?p=9", "/imported/", post_id=post.id, origin="wordpress"
        )
        db.session.commit()
        update_redirect(admin, stored, "/?p=9", "/imported/")
        assert stored.post_id == post.id
        update_redirect(admin, stored, "/?p=9", "/elsewhere/")
        assert stored.post_id is None and stored.origin == "wordpress"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR])
def test_only_admins_manage_redirects(app, role):
    with app.app_context():
        admin, other = _admin(app), _admin(app, role)
        stored = create_redirect(admin, "/old/", "/new/")
        with pytest.raises(PermissionDenied):
            redirect_page(other)
        with pytest.raises(PermissionDenied):
            create_redirect(other, "/x/", "/y/")
        with pytest.raises(PermissionDenied):
            update_redirect(other, stored, "/x/", "/y/")
        with pytest.raises(PermissionDenied):
            delete_redirect(other, stored)


def test_the_list_is_searched_and_newest_first(app):
    with app.test_request_context("/"):
        admin = _admin(app)
        for n in range(5):
            add_redirect(f"/old-{n}/", f"/new-{n}/")
            db.session.flush()
        add_redirect("/2008/09/中文/", "/unicode/")
        db.session.commit()
        page = redirect_page(admin, per_page=4)
        assert page.total == 6
        assert [r.source for r in page.items][1:] == [f"/old-{n}/" for n in (4, 3, 2)]
        assert [r.target for r in redirect_page(admin, "new-3").items] == ["/new-3/"]
        assert [r.target for r in redirect_page(admin, "中文").items] == ["/unicode/"]
        assert redirect_page(admin, "nothing like it").total == 0
