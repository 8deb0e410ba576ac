"""Failures show a friendly page, roll back, and never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from blog.extensions import db
from blog.models import Setting


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False}


def test_unhandled_error_shows_the_500_page_and_rolls_back(app, client):
    @app.get("/boom")
    def boom():  # type: ignore[no-untyped-def]
        db.session.add(Setting(key="tagline", value="half-written"))
        db.session.flush()
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "Nothing you submitted was lost" in html
    assert "secret internals" not in html and "Traceback" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Setting)) == 0


def test_error_page_survives_a_broken_database(app, client):
    with app.app_context():
        db.session.execute(text("DROP TABLE settings"))
        db.session.commit()
    # (Without the slash the address is a page's, redirected to "/no-such-page/".)
    response = client.get("/no-such-page/")
    assert response.status_code in (404, 500)
    assert "Traceback" not in response.get_data(as_text=True)
