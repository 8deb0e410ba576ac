"""The "Edit" link staff see on the public pages they may edit; readers get
neither the link nor a cookie."""

from __future__ import annotations

from blog.models import Role


def _paths(post, event, page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each public page and the link staff who may edit it see there."""
    article = f"/{post.published_at:%Y/%m}/{post.slug}/"
    return {
        article: f'<a href="/dashboard/posts/{post.id}/edit">Edit Post',
        f"/events/{event.slug}/": (
            f'<a href="/dashboard/events/{event.id}/edit">Edit Event'
        ),
        f"/{page.slug}/": f'<a href="/dashboard/pages/{page.id}/edit">Edit Page',
    }


def test_readers_get_no_edit_link_and_no_cookie(
    client, make_post, make_event, make_page
):
    for path in _paths(make_post(), make_event(), make_page()):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "Edit Post" not in html and "Edit Event" not in html
        assert "Edit Page" not in html
        assert "Set-Cookie" not in response.headers, path


def test_editors_get_an_edit_link_on_everything(
    client, auth, make_user, make_post, make_event, make_page
):
    paths = _paths(make_post(), make_event(), make_page())
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    for path, link in paths.items():
        assert link in client.get(path).get_data(as_text=True), path


def test_authors_get_it_only_where_they_may_edit(
    client, auth, make_user, make_post, make_page
):
    author = make_user(Role.AUTHOR, "au")
    mine = make_post("Mine", author=author)
    theirs = make_post("Theirs")
    page = make_page("About")
    auth.login("au")
    html = client.get(f"/{mine.published_at:%Y/%m}/{mine.slug}/").get_data(as_text=True)
    assert f'<a href="/dashboard/posts/{mine.id}/edit">Edit Post' in html
    html = client.get(f"/{theirs.published_at:%Y/%m}/{theirs.slug}/").get_data(
        as_text=True
    )
    assert "Edit Post" not in html
    assert "Edit Page" not in client.get(f"/{page.slug}/").get_data(as_text=True)
