"""What readers see: home, article, archives, redirects, 404s."""

from __future__ import annotations

import re
from datetime import timedelta

from blog.extensions import db
from blog.models import Post, Role, utcnow
from tests.fixtures_comments import url_of


def test_home_lists_newest_articles_with_attribution(client, make_user, make_post):
    author = make_user(Role.AUTHOR, "marta", display_name="Marta Oyelaran")
    make_post(
        "Older one", "First paragraph of older.\n\nSecond.", author=author, days_ago=3
    )
    make_post(
        "Newer one",
        "First paragraph of newer.\n\nSecond paragraph.",
        author=author,
        days_ago=1,
    )
    html = client.get("/").get_data(as_text=True)
    assert html.index("Newer one") < html.index("Older one")
    assert (
        "Posted on" in html
        and 'by <a class="author" href="/author/marta/"><bdi>Marta Oyelaran</bdi></a>'
        in html
    )
    assert "First paragraph of newer." in html and "Second paragraph." not in html
    assert "Continue reading" in html
    assert 'href="#content"' in html and "Skip to content" in html


def test_explicit_excerpt_wins(client, make_post):
    make_post("Excerpted", "Body first paragraph.", excerpt="A hand-written *teaser*.")
    html = client.get("/").get_data(as_text=True)
    assert (
        "A hand-written <em>teaser</em>." in html
        and "Body first paragraph." not in html
    )


def test_home_paginates_ten_a_page_with_rel_links(client, make_user, make_post):
    author = make_user(Role.AUTHOR)
    for n in range(12):
        make_post(f"Post number {n}", author=author, days_ago=20 - n)
    first = client.get("/").get_data(as_text=True)
    assert first.count('class="summary"') == 10
    # The link carries the cursor of the last post shown (blog.paging).
    assert re.search(r'rel="next" href="/\?page=2&amp;after=[\d.]+"', first)
    assert 'rel="prev"' not in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert (
        second.count('class="summary"') == 2 and 'rel="prev" href="/?page=1"' in second
    )
    assert client.get("/?page=9").status_code == 404


def test_article_page_has_the_seed_shape(client, make_user, make_post):
    author = make_user(Role.AUTHOR, "tomas", display_name="Tomás Reyes")
    post = make_post(
        "Quiet talks",
        "> A quoted line.\n\nA paragraph.",
        author=author,
        categories="Diplomacy",
        tags="talks, asia",
    )
    response = client.get(url_of(post))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="entry-title">Quiet talks</h1>' in html
    assert (
        "Posted on" in html
        and 'href="/author/tomas/"><bdi>Tomás Reyes</bdi></a>' in html
    )
    assert "<blockquote>" in html
    assert "This entry was posted in" in html
    assert 'href="/category/diplomacy/" rel="category tag">Diplomacy</a>' in html
    assert 'href="/tag/talks/" rel="tag">talks</a>' in html
    assert 'by <a href="/author/tomas/"><bdi>Tomás Reyes</bdi></a>.' in html


def test_previous_and_next_links(client, make_user, make_post):
    author = make_user(Role.AUTHOR)
    first = make_post("First", author=author, days_ago=3)
    middle = make_post("Middle", author=author, days_ago=2)
    last = make_post("Last", author=author, days_ago=1)
    html = client.get(url_of(middle)).get_data(as_text=True)
    assert f'rel="prev" href="{url_of(first)}"' in html
    assert f'rel="next" href="{url_of(last)}"' in html


def test_drafts_trash_and_scheduled_posts_are_404(app, client, make_user, make_post):
    draft = make_post("A draft", publish=False)
    future = make_post("Future", days_ago=-2)
    trashed = make_post("Trashed")
    with app.app_context():
        db.session.get(Post, trashed.id).status = "trash"
        db.session.commit()
    for post in (future, trashed):
        assert client.get(url_of(post)).status_code == 404
    assert client.get(f"/2026/01/{draft.slug}/").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "A draft" not in home and "Future" not in home and "Trashed" not in home


def test_wrong_date_in_address_redirects_to_canonical(client, make_post):
    post = make_post("Canonical")
    response = client.get(f"/1999/01/{post.slug}/")
    assert response.status_code == 301 and response.headers["Location"] == url_of(post)


def test_archives(client, make_user, make_post):
    author = make_user(
        Role.AUTHOR, "marta", display_name="Marta", bio="Keeps bees on a roof."
    )
    other = make_user(Role.AUTHOR, "tomas")
    mine = make_post(
        "Bees in spring", author=author, categories="Gardening", tags="bees"
    )
    theirs = make_post(
        "SQLite tips", author=other, categories="Software", tags="python"
    )
    category = client.get("/category/gardening/").get_data(as_text=True)
    assert "Bees in spring" in category and "SQLite tips" not in category
    assert "Category: Gardening" in category
    tag = client.get("/tag/python/").get_data(as_text=True)
    assert "SQLite tips" in tag and "Bees in spring" not in tag
    author_page = client.get("/author/marta/").get_data(as_text=True)
    assert "Keeps bees on a roof." in author_page and "SQLite tips" not in author_page
    year = client.get(f"/{mine.published_at:%Y}/").get_data(as_text=True)
    assert "Bees in spring" in year and "SQLite tips" in year
    month = client.get(f"/{theirs.published_at:%Y}/{theirs.published_at:%m}/").get_data(
        as_text=True
    )
    assert "SQLite tips" in month
    assert client.get("/category/nothing/").status_code == 404
    assert client.get("/author/nobody/").status_code == 404
    assert client.get("/2026/13/").status_code == 404


def test_navigation_lists_categories_with_published_posts(client, make_post):
    make_post("Visible", categories="Shown")
    make_post("Hidden draft", categories="Unseen", publish=False)
    html = client.get("/").get_data(as_text=True)
    assert 'aria-label="Main"' in html and ">Shown</a>" in html and "Unseen" not in html


def test_friendly_404(client):
    # (Pages nest, so the address first gains its slash, as a page's would.)
    response = client.get("/no/such/page", follow_redirects=True)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "object-src 'none'" in csp
        and "base-uri 'none'" in csp
        and "frame-ancestors 'self'" in csp
    )
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_public_get_requests_write_nothing(app, client, make_post, count_queries):
    post = make_post("Read only")
    with count_queries() as counter:
        for path in ("/", url_of(post), "/category/nothing/", "/author/nobody/"):
            client.get(path)
    writes = [
        s
        for s in counter.statements
        if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_scheduled_post_appears_when_its_time_comes(app, client, make_post):
    post = make_post("Soon", days_ago=-1)
    assert "Soon" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(Post, post.id).published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Soon" in client.get("/").get_data(as_text=True)


def test_author_pages_exist_only_for_authors_with_published_articles(
    client, make_user, make_post
):
    make_user(Role.ADMIN, "root", bio="Runs the servers.")
    drafter = make_user(Role.CONTRIBUTOR, "cora", bio="Writes drafts.")
    make_post("Secret plans", author=drafter, publish=False)
    make_post("Out in the open", author=make_user(Role.AUTHOR, "tomas"))
    assert client.get("/author/tomas/").status_code == 200
    for slug in ("root", "cora"):
        response = client.get(f"/author/{slug}/")
        assert response.status_code == 404
        assert "Runs the servers." not in response.get_data(as_text=True)


def test_terms_used_only_by_drafts_have_no_public_page(client, make_post, make_event):
    make_post("Secret plans", publish=False, categories="Layoffs", tags="merger")
    make_event("Secret party", publish=False, categories="Gala")
    make_event("Open talk", categories="Talks")
    for path in ("/category/layoffs/", "/tag/merger/", "/events/category/gala.ics"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Layoffs" not in response.get_data(as_text=True)
    assert client.get("/events/category/talks.ics").status_code == 200
