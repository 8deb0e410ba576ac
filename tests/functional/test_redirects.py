"""Old addresses answer 301 to the new ones (a 404 looks them up; the home
page answers WordPress's ``/?p=123``), and Tools → Redirects lists, adds,
edits and deletes them."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Redirect, Role
from blog.site.redirects import add_redirect
from tests.conftest import PASSWORD
from tests.fixtures_comments import url_of

SCREEN = "/dashboard/tools/redirects/"


@pytest.fixture
def reader(app: Flask) -> FlaskClient:
    """An anonymous reader: no cookie, ever (the page cache serves them)."""
    return app.test_client(use_cookies=False)


def store(app: Flask, source: str, target: str, **fields) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        assert add_redirect(source, target, **fields) is not None
        db.session.commit()


def count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Redirect)) or 0)


# The public site ------------------------------------------------------------------


def test_an_old_address_answers_301_to_a_page_that_answers(app, reader, make_post):
    post = make_post("Moved here")
    store(app, "https://old.example/2008/09/03/moved-here/", url_of(post))
    response = reader.get("/2008/09/03/moved-here/")
    assert response.status_code == 301
    assert response.headers["Location"] == url_of(post)
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    landed = reader.get(response.headers["Location"])
    assert landed.status_code == 200 and "Moved here" in landed.get_data(as_text=True)
    assert reader.head("/2008/09/03/moved-here/").status_code == 301
    # A form posted to an old address is not sent on.
    assert reader.post("/2008/09/03/moved-here/").status_code == 404


@pytest.mark.parametrize("query", ["p=123", "page_id=7", "attachment_id=9", "cat=4"])
def test_wordpress_query_addresses_redirect_every_time(app, reader, make_page, query):
    page = make_page("About us")
    store(app, f"/?{query}", f"/{page.slug}/")
    for _ in range(2):  # the second from the page cache, if it kept one
        response = reader.get(f"/?{query}&utm_source=feed")
        assert response.status_code == 301
        assert response.headers["Location"] == f"/{page.slug}/"
    assert reader.get(f"/{page.slug}/").status_code == 200
    # WordPress's /index.php?p=... is the same address.
    assert reader.get(f"/index.php?{query}").headers["Location"] == f"/{page.slug}/"


def test_an_unknown_wordpress_id_is_not_found(app, reader, make_post):
    make_post("Something else")
    store(app, "/?p=123", "/elsewhere/")
    for _ in range(2):
        response = reader.get("/?p=999")
        assert response.status_code == 404
        assert "Page not found" in response.get_data(as_text=True)
    assert reader.get("/?author=999").status_code == 404
    assert reader.get("/").status_code == 200
    assert reader.get("/?p=").status_code == 200  # no id: the home page


def test_a_redirect_to_a_post_readers_cannot_see_is_not_found(app, reader, make_post):
    draft = make_post("Secret plans", publish=False)
    store(app, "/?p=55", f"/2030/01/{draft.slug}/", post_id=draft.id)
    store(app, "/2008/09/03/secret-plans/", "/2030/01/secret-plans/", post_id=draft.id)
    for path in ("/?p=55", "/2008/09/03/secret-plans/"):
        response = reader.get(path)
        assert response.status_code == 404
        assert "Location" not in response.headers
        assert "secret-plans" not in response.get_data(as_text=True).replace(path, "")


def test_percent_encoded_unicode_addresses_match(app, reader, make_post):
    post = make_post("Chinese")
    store(app, "https://old.example/2008/09/03/%e4%b8%ad%e6%96%87/", url_of(post))
    for path in (
        "/2008/09/03/%E4%B8%AD%E6%96%87/",
        "/2008/09/03/%e4%b8%ad%e6%96%87/",
        "/2008/09/03/中文/",
        "/2008/09/03/中文",
    ):
        response = reader.get(path)
        assert response.status_code == 301, path
        assert response.headers["Location"] == url_of(post)


def test_unicode_targets_are_sent_encoded(app, reader):
    store(app, "/old/", "/2024/05/中文/")
    response = reader.get("/old/")
    assert response.headers["Location"] == "/2024/05/%E4%B8%AD%E6%96%87/"


def test_an_address_without_its_slash_matches(app, reader, make_post):
    post = make_post("Slashless")
    store(app, "/2008/09/03/slashless/", url_of(post))
    response = reader.get("/2008/09/03/slashless")
    assert response.status_code == 301
    assert response.headers["Location"] == url_of(post)
    store(app, "/old-page/", url_of(post))  # a static page's address: 308, then 301
    response = reader.get("/old-page", follow_redirects=True)
    assert response.status_code == 200 and response.request.path == url_of(post)


def test_a_page_that_answers_is_never_redirected(app, reader, make_post):
    post = make_post("Still here")
    store(app, url_of(post), "/somewhere-else/")
    assert reader.get(url_of(post)).status_code == 200


def test_wordpress_search_still_searches(app, reader, make_post):
    make_post("Heron sightings", body="A heron by the weir.")
    response = reader.get("/?s=heron")
    assert response.status_code == 200
    assert "Heron sightings" in response.get_data(as_text=True)


def test_a_404_looks_up_once(app, reader, count_queries):
    store(app, "/kept/", "/new/")
    for path in ("/no/such/page/", "/?p=404"):
        with count_queries() as counter:
            assert reader.get(path).status_code == 404
        lookups = [q for q in counter.statements if "FROM redirects" in q]
        assert len(lookups) == 1, lookups
    with count_queries() as counter:
        assert reader.get("/2008/09/03/kept/").status_code == 404
        assert reader.get("/kept/").status_code == 301
    assert len([q for q in counter.statements if "FROM redirects" in q]) == 2


# Tools → Redirects ----------------------------------------------------------------


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _login(client: FlaskClient, username: str) -> None:
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"login": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def _page(client: FlaskClient, path: str = SCREEN) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert found is not None, f"no message next to {field}"
    return found.group(1)


@pytest.mark.engine_independent  # forms and permissions: the lookups run on both
class TestScreen:
    @pytest.fixture
    def app_config(self):  # type: ignore[no-untyped-def]
        return {"WTF_CSRF_ENABLED": True}

    @pytest.fixture
    def admin(self, client, make_user) -> FlaskClient:  # type: ignore[no-untyped-def]
        make_user(Role.ADMIN, "ada")
        _login(client, "ada")
        return client

    def test_anonymous_readers_are_sent_to_log_in(self, client, make_user):
        make_user(Role.ADMIN, "ada")  # (with no account yet, /setup)
        response = client.get(SCREEN)
        assert response.status_code == 302 and "/login" in response.headers["Location"]

    def test_editors_may_not(self, app, client, make_user):
        store(app, "/old/", "/new/")
        with app.app_context():
            redirect_id = db.session.scalar(select(Redirect.id))
        make_user(Role.EDITOR, "eddie")
        _login(client, "eddie")
        token = _token(_page(client, "/dashboard/"))
        assert client.get(SCREEN).status_code == 403
        data = {"source": "/x/", "target": "/y/", "csrf_token": token}
        assert client.post(SCREEN, data=data).status_code == 403
        edit = f"{SCREEN}{redirect_id}/edit"
        assert client.get(edit).status_code == 403
        assert client.post(edit, data=data).status_code == 403
        delete = f"{SCREEN}{redirect_id}/delete"
        assert client.post(delete, data={"csrf_token": token}).status_code == 403
        assert count(app) == 1

    def test_the_list(self, app, admin, make_post):
        post = make_post("New home")
        store(app, "/?p=12", url_of(post), origin="wordpress", post_id=post.id)
        store(app, "/2008/09/03/%e4%b8%ad/", "/by-hand/")
        html = _page(admin)
        assert "<title>Redirects" in html and "<h1>Redirects</h1>" in html
        assert "2 redirects" in html
        rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
        assert len(rows) == 2
        assert (
            '<a href="/2008/09/03/%E4%B8%AD/"><bdi>/2008/09/03/中/</bdi></a>' in rows[0]
        )
        assert "Added by hand" in rows[0]
        assert '<a href="/?p=12"><bdi>/?p=12</bdi></a>' in rows[1]
        assert f'<a href="{url_of(post)}">' in rows[1] and "WordPress" in rows[1]
        assert "Edit" in rows[1] and "Delete" in rows[1]

    def test_search_and_pages(self, app, admin):
        with app.app_context():
            for n in range(55):
                add_redirect(f"/old-{n}/", f"/new-{n}/")
                db.session.flush()
            db.session.commit()
        html = _page(admin)
        assert "55 redirects" in html and "Page 1 of 2" in html
        assert "/old-54/" in html and "/old-4/" not in html
        older = re.search(r'<a rel="next" href="([^"]+)"', html)
        assert older is not None
        second = _page(admin, older.group(1).replace("&amp;", "&"))
        assert "/old-4/" in second and "/old-54/" not in second
        found = _page(admin, f"{SCREEN}?q=new-42")
        assert "1 redirect found" in found and "/old-42/" in found
        assert "/old-41/" not in found
        assert 'value="new-42"' in found
        assert "No redirects found" in _page(admin, f"{SCREEN}?q=nothing-like-it")

    def test_add(self, app, admin):
        token = _token(_page(admin))
        response = admin.post(
            SCREEN,
            data={
                "source": "https://old.example/2008/09/03/hello",
                "target": "/2024/05/hello/",
                "csrf_token": token,
            },
        )
        assert response.status_code == 302
        html = _page(admin)
        assert "Redirect added." in html
        assert '<a href="/2008/09/03/hello/">' in html
        with app.app_context():
            stored = db.session.scalar(select(Redirect))
            assert (stored.source, stored.target, stored.origin) == (
                "/2008/09/03/hello/",
                "/2024/05/hello/",
                "manual",
            )
        assert admin.get("/2008/09/03/hello").headers["Location"] == "/2024/05/hello/"

    def test_the_form_is_labelled(self, admin):
        html = _page(admin)
        assert '<label for="source">Old address</label>' in html
        assert '<label for="target">New address</label>' in html
        assert ">Add Redirect</button>" in html

    def test_bad_input_is_shown_next_to_the_field_and_kept(self, app, admin):
        store(app, "/taken/", "/new/")
        token = _token(_page(admin))
        cases = [
            ({"source": "/", "target": "/new/"}, "source", "a path such as"),
            ({"source": "/a/", "target": "javascript:alert(1)"}, "target", "https://"),
            ({"source": "/a", "target": "/a/"}, "target", "would never load"),
            ({"source": "/taken", "target": "/b/"}, "source", "already a redirect"),
            ({"source": "", "target": "/b/"}, "source", "Give the old address."),
        ]
        for data, field, message in cases:
            response = admin.post(SCREEN, data={**data, "csrf_token": token})
            html = response.get_data(as_text=True)
            assert response.status_code == 200
            assert message in _error(html, field)
            for name, value in data.items():
                assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', html)
        assert count(app) == 1

    def test_without_its_token_nothing_is_stored_and_the_text_is_kept(self, app, admin):
        response = admin.post(SCREEN, data={"source": "/kept/", "target": "/new/"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "This form had expired" in html
        assert 'value="/kept/"' in html
        assert count(app) == 0

    def test_edit(self, app, admin):
        store(app, "/2008/09/03/%e4%b8%ad/", "/first/")
        with app.app_context():
            redirect_id = db.session.scalar(select(Redirect.id))
        edit = f"{SCREEN}{redirect_id}/edit"
        assert f'href="{edit}"' in _page(admin)
        html = _page(admin, edit)
        assert 'value="/2008/09/03/中/"' in html and 'value="/first/"' in html
        assert ">Save Redirect</button>" in html
        response = admin.post(
            edit, data={"source": "", "target": "/second/", "csrf_token": _token(html)}
        )
        assert "Give the old address." in _error(
            response.get_data(as_text=True), "source"
        )
        response = admin.post(
            edit,
            data={
                "source": "/2008/09/03/中/",
                "target": "/second/",
                "csrf_token": _token(html),
            },
        )
        assert response.status_code == 302
        assert "Redirect saved." in _page(admin)
        with app.app_context():
            assert db.session.get(Redirect, redirect_id).target == "/second/"
        assert admin.get(f"{SCREEN}999/edit").status_code == 404

    def test_delete(self, app, admin):
        store(app, "/gone/", "/new/")
        with app.app_context():
            redirect_id = db.session.scalar(select(Redirect.id))
        delete = f"{SCREEN}{redirect_id}/delete"
        html = _page(admin)
        assert f'action="{delete}"' in html
        assert admin.post(delete).status_code == 400  # no token
        assert count(app) == 1
        response = admin.post(delete, data={"csrf_token": _token(html)})
        assert response.status_code == 302
        assert "Deleted the redirect from /gone/." in _page(admin)
        assert count(app) == 0
        assert admin.get("/gone/").status_code == 404
        token = _token(html)
        assert admin.post(delete, data={"csrf_token": token}).status_code == 404
