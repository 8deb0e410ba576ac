"""Dashboard → Settings → Reading: feeds and search engine visibility."""

from __future__ import annotations

import re

from blog.extensions import db
from blog.models import Role
from blog.site import load_settings


def _inputs(page: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)


def _input(page: str, name: str) -> dict[str, str]:
    (tag,) = _inputs(page, name)
    return {"value": re.search(r'value="([^"]*)"', tag).group(1)}  # type: ignore[union-attr]


def _checked_radio(page: str, name: str) -> str:
    (checked,) = [tag for tag in _inputs(page, name) if re.search(r"\schecked", tag)]
    return re.search(r'value="([^"]*)"', checked).group(1)  # type: ignore[union-attr]


def _is_checked(page: str, name: str) -> bool:
    (tag,) = _inputs(page, name)
    return re.search(r"\schecked", tag) is not None


def _settings(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        db.session.remove()
        return load_settings()


def test_defaults_are_wordpress_s(app, client, make_user, auth):
    make_user(Role.ADMIN, "boss")
    auth.login("boss")
    page = client.get("/dashboard/settings/reading/").get_data(as_text=True)
    assert "Syndication feeds show the most recent" in page
    assert _input(page, "feed_items") == {"value": "10"}
    assert _checked_radio(page, "feed_content") == "full"
    assert "Discourage search engines from indexing this site" in page
    assert not _is_checked(page, "discourage_search_engines")
    settings = _settings(app)
    assert settings["feed_items"] == 10
    assert settings["feed_full_text"] is True
    assert settings["discourage_search_engines"] is False


def test_saving_the_feed_and_visibility_settings(app, client, make_user, auth):
    make_user(Role.ADMIN, "boss")
    auth.login("boss")
    saved = client.post(
        "/dashboard/settings/reading/",
        data={
            "feed_items": "25",
            "feed_content": "excerpt",
            "discourage_search_engines": "y",
            "revisions_to_keep": "",
        },
    )
    assert saved.status_code == 302
    settings = _settings(app)
    assert settings["feed_items"] == 25
    assert settings["feed_full_text"] is False
    assert settings["discourage_search_engines"] is True
    page = client.get("/dashboard/settings/reading/").get_data(as_text=True)
    assert _checked_radio(page, "feed_content") == "excerpt"
    assert _is_checked(page, "discourage_search_engines")


def test_a_feed_length_out_of_range_is_refused_with_the_text_kept(
    app, client, make_user, auth
):
    make_user(Role.ADMIN, "boss")
    auth.login("boss")
    refused = client.post(
        "/dashboard/settings/reading/",
        data={"feed_items": "500", "feed_content": "full", "revisions_to_keep": "7"},
    )
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "Number must be between 1 and 100." in page
    assert 'value="500"' in page and 'value="7"' in page
    assert _settings(app)["feed_items"] == 10
