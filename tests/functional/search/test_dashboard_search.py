"""The dashboard's post search uses the index: words of the title, text and
terms, in any status; the last word as a prefix; the list's own
permissions still apply."""

from __future__ import annotations

import re

from blog.extensions import db
from blog.models import Post, Role
from blog.posts import trash_post


def _listed(client, query: str, status: str = "") -> list[str]:
    response = client.get(
        "/dashboard/posts/", query_string={"q": query, "status": status}
    )
    assert response.status_code == 200
    return sorted(
        re.findall(
            r'<td><a href="/dashboard/posts/\d+/edit">([^<]*)</a>',
            response.get_data(as_text=True),
        )
    )


def test_the_dashboard_finds_words_in_any_status(
    app, client, make_user, make_post, auth
):
    editor = make_user(Role.EDITOR, "ed")
    make_post("Carrots", body="Orange roots.", author=editor)
    make_post("Draft about turnips", body="Also roots.", author=editor, publish=False)
    make_post("Scheduled beets", body="Roots again.", author=editor, days_ago=-3)
    binned = make_post("Binned radish", body="Roots, binned.", author=editor)
    make_post("Apples", body="Fruit.", author=editor, categories="Orchard")
    with app.app_context():
        post = db.session.get(Post, binned.id)
        trash_post(post.author, post)
    auth.login("ed")
    assert _listed(client, "roots") == [
        "Carrots",
        "Draft about turnips",
        "Scheduled beets",
    ]
    assert _listed(client, "roots", "trash") == ["Binned radish"]
    assert _listed(client, "root", "draft") == ["Draft about turnips"]
    assert _listed(client, "carr") == ["Carrots"]  # still typing
    assert _listed(client, "orchard") == ["Apples"]  # a category
    assert _listed(client, "orange root") == ["Carrots"]
    assert _listed(client, '"roots orange"') == []
    assert _listed(client, "!!!") == [] and _listed(client, '"') == []


def test_the_dashboard_search_keeps_each_persons_posts(
    client, make_user, make_post, auth
):
    author = make_user(Role.AUTHOR, "au")
    other = make_user(Role.AUTHOR, "other")
    make_post("Mine", body="Shared word: lighthouse.", author=author)
    make_post("Theirs", body="Shared word: lighthouse.", author=other)
    make_post("Their draft", body="lighthouse", author=other, publish=False)
    auth.login("au")
    assert _listed(client, "lighthouse") == ["Mine"]
