"""With CSRF on, the menu editor saves nothing without its token, and keeps
what was typed."""

from __future__ import annotations

import re

import pytest

from blog.extensions import db
from blog.models import Role, Setting
from tests.conftest import PASSWORD

MENU = "/dashboard/settings/menu/"
ROW = {
    "items-0-key": "1",
    "items-0-label": "Our shop",
    "items-0-link": "url",
    "items-0-url": "https://shop.example.org/",
}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_menu_needs_its_token(app, client, make_user):
    make_user(Role.ADMIN, "ada")
    token = _token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"login": "ada", "password": PASSWORD, "csrf_token": token}
    )
    response = client.post(MENU, data=ROW)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This form had expired" in html
    assert 'value="Our shop"' in html  # kept
    assert client.post(MENU + "reset").status_code in (400, 403)
    with app.app_context():
        assert db.session.get(Setting, "menu") is None
    response = client.post(MENU, data={**ROW, "csrf_token": _token(html)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Setting, "menu").value["items"][0]["label"] == "Our shop"
