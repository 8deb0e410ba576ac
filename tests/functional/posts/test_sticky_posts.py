"""Sticky articles lead the home page's first page, then the rest by date,
each article on exactly one page; archives keep plain date order."""

from __future__ import annotations

import re

from blog.extensions import db
from blog.models import Post, Role
from blog.site.settings import save_settings


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="entry-title"><a [^>]*>([^<]+)</a>', html)


def test_sticky_posts_lead_the_home_page(app, client, make_user, make_post):
    author = make_user(Role.AUTHOR, "au")
    for n in range(5):
        make_post(f"Post {n}", author=author, days_ago=n + 1)
    old = make_post("Old but important", author=author, days_ago=30)
    older = make_post("Also pinned", author=author, days_ago=40)
    hidden = make_post("Pinned draft", author=author, publish=False)
    with app.app_context():
        save_settings({"posts_per_page": 3})
        for post in (old, older, hidden):
            db.session.get(Post, post.id).sticky = True
        db.session.commit()
    first = titles(client.get("/").get_data(as_text=True))
    second = titles(client.get("/?page=2").get_data(as_text=True))
    third = titles(client.get("/?page=3").get_data(as_text=True))
    assert first == ["Old but important", "Also pinned", "Post 0"]
    assert second == ["Post 1", "Post 2", "Post 3"]
    assert third == ["Post 4"]
    # Archives are by date: the sticky post is where its date puts it.
    archive = titles(client.get("/author/au/").get_data(as_text=True))
    assert archive[0] == "Post 0"
