"""``flask --app blog demo`` and ``render``."""

from __future__ import annotations

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Post, Term, User


def test_demo_loads_sample_content(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    # It says how to give the sample authors real passwords (and it works).
    assert "(marta, tomas) have random passwords" in result.output
    assert "flask --app blog users set-password USERNAME" in result.output
    given = runner.invoke(
        args=["users", "set-password", "marta", "--password-stdin"],
        input="a real passphrase for marta\n",
    )
    assert given.exit_code == 0, given.output
    with app.app_context():
        kinds = dict(
            db.session.execute(
                select(Post.kind, func.count()).group_by(Post.kind)
            ).all()
        )
        assert kinds == {"article": 6, "event": 1}
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        categories = db.session.scalar(
            select(func.count()).select_from(Term).where(Term.taxonomy == "category")
        )
        assert categories == 3
        html = " ".join(
            p.body_html
            for p in db.session.scalars(select(Post).where(Post.kind == "article"))
        )
        event_slug = db.session.scalar(select(Post.slug).where(Post.kind == "event"))
    for marker in ("<blockquote>", "<ul>", "<table>", 'class="highlight"', "<img"):
        assert marker in html
    home = client.get("/").get_data(as_text=True)
    assert "Posted on" in home
    image = next(
        part
        for part in html.split('"')
        if part.startswith("/media/") and " " not in part  # not a srcset
    )
    response = client.get(image)
    assert response.status_code == 200 and response.mimetype == "image/png"
    response.close()
    event_page = client.get(f"/events/{event_slug}/").get_data(as_text=True)
    for part in (
        "Speakers",
        "Moderator",
        "Co-sponsored by",
        "Open to",
        "Elm Street Library",
    ):
        assert part in event_page
    assert "Raised garden beds in morning light" in event_page
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "already loaded" in again.output


def test_render_rerenders_stale_posts(app, runner, make_post):
    post = make_post("Stale", "**bold**")
    with app.app_context():
        stored = db.session.get(Post, post.id)
        stored.body_html, stored.rendered_version = "old", 0
        db.session.commit()
    result = runner.invoke(args=["render"])
    assert "Re-rendered 1 post(s)." in result.output
    with app.app_context():
        assert "<strong>bold</strong>" in db.session.get(Post, post.id).body_html


def test_render_keeps_safe_html_of_a_post_it_now_refuses(app, runner, make_post):
    post = make_post("Odd", "fine")
    with app.app_context():
        stored = db.session.get(Post, post.id)
        stored.body_source = "[" * 8000
        stored.body_html = "<p>kept</p><script>alert(1)</script>"
        stored.rendered_version = 0
        db.session.commit()
    result = runner.invoke(args=["render"])
    assert result.exit_code == 0, result.output
    assert f"(ids {post.id})" in result.output
    with app.app_context():
        stored = db.session.get(Post, post.id)
        assert stored.body_html == "<p>kept</p>alert(1)"
        assert "script" not in stored.body_html


def test_render_rerenders_the_privacy_page(app, runner, client):
    from blog.site.settings import load_settings, save_settings

    with app.app_context():
        save_settings(
            {
                "privacy_text": "We keep **little**.",
                "privacy_html": "<p>old</p><script>alert(1)</script>",
            }
        )
        db.session.commit()
    result = runner.invoke(args=["render"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        html = load_settings()["privacy_html"]
    assert "<strong>little</strong>" in html and "script" not in html
    assert "<strong>little</strong>" in client.get("/privacy/").get_data(as_text=True)
