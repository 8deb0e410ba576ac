"""Readers' search: ``/search/?q=`` and ``/?s=``, ranked, stemmed, phrases,
snippets, pages of results; the header's search box."""

from __future__ import annotations

import re

from blog.extensions import db
from blog.models import Role
from blog.site import settings as site_settings
from tests.functional.search.helpers import found, links, snippets, titles


def test_the_search_box_is_in_every_public_page_header(client, make_post):
    post = make_post("Hello", body="Words.")
    for path in ("/", f"/{post.published_at:%Y}/{post.published_at:%m}/hello/"):
        html = client.get(path).get_data(as_text=True)
        form = re.search(
            r'<form class="search-form" role="search" method="get" '
            r'action="/search/">(.*?)</form>',
            html,
            re.S,
        )
        assert form, path
        assert (
            '<label class="visually-hidden" for="site-search-q">Search</label>'
            in (form[1])
        )
        assert 'type="search" id="site-search-q" name="q"' in form[1]
        assert '<button type="submit">Search</button>' in form[1]


def test_a_title_hit_ranks_above_body_hits(client, make_post):
    make_post(
        "Weekend notes",
        body="Gardening today, gardening tomorrow: more gardening.",
        days_ago=1,
    )
    make_post("Gardening", body="Tomatoes need sun.", days_ago=30)
    make_post("Unrelated", body="Nothing about plants.", days_ago=2)
    assert found(client, "gardening") == ["Gardening", "Weekend notes"]


def test_words_are_stemmed(client, make_post):
    make_post("Board", body="We meet on Tuesdays.")
    make_post("Notes", body="The meetings ran late.")
    assert sorted(found(client, "meeting")) == ["Board", "Notes"]
    assert sorted(found(client, "meets")) == ["Board", "Notes"]
    assert found(client, "tuesday") == ["Board"]


def test_quoted_phrases_match_words_in_order(client, make_post):
    make_post("In order", body="The board meeting was short.")
    make_post("Reversed", body="A meeting of the board.")
    assert found(client, '"board meeting"') == ["In order"]
    assert sorted(found(client, "board meeting")) == ["In order", "Reversed"]


def test_every_word_must_be_found(client, make_post):
    make_post("Apples", body="Red apples and green pears.")
    make_post("Pears", body="Only pears here.")
    assert found(client, "pears apples") == ["Apples"]


def test_categories_tags_and_excerpts_are_searched(client, make_post):
    make_post("Filed", body="Text.", categories="Astronomy", tags="telescopes")
    make_post("Summed up", body="Body.", excerpt="A written *summary* of comets.")
    assert found(client, "astronomy") == ["Filed"]
    assert found(client, "telescope") == ["Filed"]
    assert found(client, "comets") == ["Summed up"]


def test_results_show_type_date_and_a_marked_snippet(
    client, make_post, make_page, make_event
):
    make_post("Heron watch", body="A grey heron stood in the reeds.")
    make_page(title="About herons", body="We count herons every spring.")
    make_event("Heron walk", body="Walk to the heron colony.", start="2030-03-14 16:00")
    html = client.get("/search/?q=heron").get_data(as_text=True)
    assert sorted(titles(html)) == ["About herons", "Heron walk", "Heron watch"]
    assert "/about-herons/" in links(html) and "/events/heron-walk/" in links(html)
    types = re.findall(r'<span class="result-type">(\w+)</span>', html)
    assert sorted(types) == ["Article", "Event", "Page"]
    assert "Thu, Mar 14" in html  # the event's own date
    assert "A grey <mark>heron</mark> stood in the reeds." in snippets(html)
    assert "We count <mark>herons</mark> every spring." in snippets(html)


def test_the_heading_title_and_noindex(client, make_post):
    make_post("Found", body="needle")
    html = client.get("/search/?q=needle").get_data(as_text=True)
    assert "<h1>Search Results for: “needle”</h1>" in html
    assert "<title>Search Results for “needle” – " in html
    assert '<meta name="robots" content="noindex">' in html
    # the results page's own box, prefilled, with ids of its own
    assert 'id="search-page-q" name="q" value="needle"' in html
    assert 'id="site-search-q" name="q" value="needle"' in html
    assert (
        html.count('id="search-page-q"') == 1 and html.count('id="site-search-q"') == 1
    )


def test_an_empty_query_shows_just_the_form(client, make_post):
    make_post("Anything", body="Text.")
    for path in ("/search/", "/search/?q=", "/search/?q=+++", "/?s="):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "<h1>Search</h1>" in html and 'id="search-page-q"' in html
        assert titles(html) == [] and "No results" not in html
        assert '<meta name="robots" content="noindex">' in html


def test_no_results_says_so_with_suggestions(client, make_post):
    make_post("Anything", body="Text.")
    for query in ("zzyzx", "!!!", '"" * -', "NOT OR AND"):
        html = client.get("/search/", query_string={"q": query}).get_data(True)
        assert titles(html) == []
        assert "No results for “" in html, query
        assert "Check the spelling of your words." in html
        assert "Try fewer words, or more general ones." in html


def test_wordpress_address_gives_the_same_results(client, make_post):
    for n in range(3):
        make_post(f"Kettle {n}", body="Tea kettle whistles.", days_ago=n + 1)
    make_post("Teapot", body="Brewing.", days_ago=1)
    wordpress = client.get("/?s=kettle").get_data(as_text=True)
    ours = client.get("/search/?q=kettle").get_data(as_text=True)
    assert titles(wordpress) == titles(ours) == ["Kettle 0", "Kettle 1", "Kettle 2"]
    assert snippets(wordpress) == snippets(ours)
    assert "<h1>Search Results for: “kettle”</h1>" in wordpress


def test_results_come_a_page_at_a_time_and_the_pager_keeps_the_query(
    app, client, make_post
):
    with app.app_context():
        site_settings.save_settings({"posts_per_page": 2})
        db.session.commit()
    for n in range(5):
        make_post(f"Lantern {n}", body="A lantern.", days_ago=n + 1)
    make_post("Candle", body="Wax.")
    seen: list[str] = []
    page = "/?s=lantern"  # WordPress's address pages on at ours
    while page:
        html = client.get(page).get_data(as_text=True)
        seen += titles(html)
        found_next = re.search(r'<a rel="next" href="([^"]+)"', html)
        page = found_next[1].replace("&amp;", "&") if found_next else ""
        if page:
            assert page.startswith("/search/?") and "q=lantern" in page
    assert seen == [f"Lantern {n}" for n in range(5)]
    assert client.get("/search/?q=lantern&page=9").status_code == 404


def test_the_results_page_is_cacheable(client, make_post):
    make_post("Cached", body="Stored page.")
    first = client.get("/search/?q=stored")
    assert first.headers.get("ETag") and "Set-Cookie" not in first.headers
    again = client.get(
        "/search/?q=stored", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_results_page_has_a_constant_query_count(
    client, make_user, make_post, make_event, count_queries
):
    author = make_user(Role.AUTHOR)
    make_post("Owl one", body="An owl.", author=author, categories="Birds")

    def queries(results: int) -> int:
        with count_queries() as counter:
            html = client.get("/search/?q=owl").get_data(as_text=True)
        assert len(titles(html)) == results and len(snippets(html)) == results
        return counter.count

    small = queries(1)
    for n in range(8):
        make_post(
            f"Owl {n}",
            body="Owls hoot.",
            author=make_user(Role.AUTHOR),
            categories=f"c{n}, d{n}",
            tags=f"t{n}",
        )
    make_event("Owl prowl", body="Owls at night.")
    assert queries(10) == small
