"""A post's publish date: the editor takes the years 1900 to 2200, says so
next to "Publish on" and keeps what was typed; a date it cannot read is a
message too, never a server error. (Posts stored with any other date still
show: ``tests/functional/events/test_extreme_dates.py``.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, Role
from blog.site.settings import save_settings


def _publish(client, publish_at: str, action: str = "publish"):
    return client.post(
        "/dashboard/posts/new",
        data={
            "title": "Letters from the archive",
            "body": "Found in a drawer.",
            "publish_at": publish_at,
            "action": action,
        },
    )


@pytest.mark.parametrize("action", ["publish", "draft", "preview"])
@pytest.mark.parametrize(
    "typed",
    ["1899-12-31T23:59", "2201-01-01T00:00", "0001-01-01T00:00", "9999-12-31T23:59"],
)
def test_a_date_outside_1900_to_2200_is_refused_next_to_the_field(
    app, client, make_user, auth, typed, action
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = _publish(client, typed, action)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(
        r'id="publish_at-error">Choose a date between 1900 and 2200\.', page
    )
    assert f'value="{typed}"' in page
    assert 'value="Letters from the archive"' in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
@pytest.mark.parametrize("typed", ["1900-01-01T00:00", "2200-12-31T23:59"])
def test_the_first_and_last_accepted_years_are_taken(
    app, client, make_user, auth, typed, zone
):
    make_user(Role.EDITOR, "ed")
    with app.app_context():
        save_settings({"timezone": zone})
        db.session.commit()
    auth.login("ed")
    response = _publish(client, typed)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        post = db.session.scalar(select(Post))
        local = datetime.fromisoformat(typed).replace(tzinfo=ZoneInfo(zone))
        assert post.published_at == local.astimezone(UTC)
        post_id = post.id
    edit = client.get(f"/dashboard/posts/{post_id}/edit").get_data(as_text=True)
    assert f'value="{typed}"' in edit
    for path in ("/", "/dashboard/posts/"):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "typed",
    ["0000-01-01T00:00", "10000-01-01T00:00", "2024-02-30T10:00", "soon", "2024-01-01"],
)
def test_a_date_the_form_cannot_read_is_a_message(app, client, make_user, auth, typed):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = _publish(client, typed)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'id="publish_at-error">', page)
    assert 'value="Letters from the archive"' in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
