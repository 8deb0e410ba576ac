"""A scheduled post appears on the site at its time, with no cron job:
visibility is decided when a page is read (Post.visible_at)."""

from __future__ import annotations

from datetime import datetime, timedelta

from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.posts import PostInput, SaveAction, save_post


def _come_due(app, post_id: int, when: datetime | None = None) -> None:
    """Time passes: the post's date is now past (nothing else changes)."""
    with app.app_context():
        post = db.session.get(Post, post_id)
        post.published_at = when or utcnow() - timedelta(minutes=1)
        db.session.commit()


def test_a_scheduled_article_appears_everywhere_at_its_time(app, client, make_user):
    author = make_user(Role.AUTHOR, "au")
    with app.app_context():
        data = PostInput(
            title="Midnight release",
            body="Fresh.",
            categories="News",
            tags="launch",
            publish_at=utcnow() + timedelta(hours=2),
        )
        actor = db.session.get(User, author.id)
        post = save_post(actor, data, action=SaveAction.PUBLISH)
        post_id = post.id
    due = utcnow() - timedelta(minutes=1)  # the time it will have been due
    archive = f"/{due:%Y}/{due:%m}/"
    pages = ["/", archive, f"/{due:%Y}/"]
    for path in pages:
        assert "Midnight release" not in client.get(path).get_data(as_text=True)
    assert client.get("/category/news/").status_code == 404
    assert client.get("/tag/launch/").status_code == 404
    assert client.get("/author/au/").status_code == 404

    _come_due(app, post_id, due)
    for path in [*pages, "/category/news/", "/tag/launch/", "/author/au/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Midnight release" in response.get_data(as_text=True), path
    assert client.get(f"{archive}midnight-release/").status_code == 200


def test_a_scheduled_event_appears_in_the_listings_at_its_time(app, client, make_event):
    event = make_event(
        "Harvest talk",
        publish_at=utcnow() + timedelta(hours=2),
        start="2040-03-14 16:00",
        end="2040-03-14 17:00",
    )
    for path in ["/events/", "/", "/events.ics"]:
        assert "Harvest talk" not in client.get(path).get_data(as_text=True)
    assert client.get(f"/events/{event.slug}/").status_code == 404

    _come_due(app, event.id)
    for path in ["/events/", "/", "/events.ics"]:
        assert "Harvest talk" in client.get(path).get_data(as_text=True), path
    assert client.get(f"/events/{event.slug}/").status_code == 200
