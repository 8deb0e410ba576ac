"""The dashboard's shared macros (templates/macros/dashboard.html)."""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import Post

#: What it checks cannot differ between SQLite and PostgreSQL.
pytestmark = pytest.mark.engine_independent


def macros(app):  # type: ignore[no-untyped-def]
    return app.jinja_env.get_template("macros/dashboard.html").module


def test_status_badges_name_the_status(app, make_post):
    scheduled = make_post("Next week", days_ago=-7)
    live = make_post("Last week", days_ago=7)
    draft = make_post("Someday", publish=False)
    with app.app_context():
        badge = macros(app).status_badge
        shown = {
            title: str(badge(db.session.get(Post, post.id)))
            for title, post in (
                ("scheduled", scheduled),
                ("live", live),
                ("draft", draft),
            )
        }
        assert shown == {
            "scheduled": '<span class="badge badge-scheduled">Scheduled</span>',
            "live": '<span class="badge badge-published">Published</span>',
            "draft": '<span class="badge badge-draft">Draft</span>',
        }
        assert str(badge("spam")) == '<span class="badge badge-spam">Spam</span>'
        assert 'badge-pending">Pending<' in str(badge("pending"))


def test_screen_header_and_empty_state(app):
    with app.app_context():
        module = macros(app)
        header = str(
            module.screen_header("Posts", "/dashboard/posts/new", "Add New Post")
        )
        assert "<h1>Posts</h1>" in header
        action = '<a class="button button-primary" href="/dashboard/posts/new">'
        assert action + "Add New Post</a>" in header
        assert "<a" not in str(module.screen_header("Comments"))
        empty = str(
            module.empty_state("No pages yet.", "/dashboard/pages/new", "Add New Page")
        )
        assert (
            "<p>No pages yet.</p>" in empty and 'href="/dashboard/pages/new"' in empty
        )
        assert "<a" not in str(module.empty_state("Nothing to moderate."))
