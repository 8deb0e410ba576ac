"""Nothing a writer typed or a reader searched for reaches a results page
unescaped: the only markup in a snippet is ``<mark>``."""

from __future__ import annotations

import random
import re

from blog.models import Role
from tests.functional.search.helpers import snippets, titles
from tests.payloads import CORPUS, FIELD_PAYLOADS, assert_safe_html
from tests.unit.search.test_query import NASTY

_MAIN = re.compile(r"<main\b.*?</main>", re.S)
MARK_ONLY = frozenset({"mark"})
#: The elements of a results page's main area.
RESULTS_PAGE = frozenset(
    {"main", "div", "header", "h1", "h2", "form", "label", "input", "button"}
    | {"article", "a", "p", "span", "time", "ul", "li", "mark", "nav"}
)


def test_payload_bodies_give_safe_snippets(client, make_post):
    bodies = [*CORPUS, "`<script>alert(1)</script>` and `<img src=x onerror=alert(1)>`"]
    for n, body in enumerate(bodies):
        make_post(f"Payload {n}", body=f"zebra {body} zebra", days_ago=n + 1)
    seen: list[str] = []
    for page in range(1, (len(bodies) + 9) // 10 + 1):  # 10 a page
        html = client.get(f"/search/?q=zebra&page={page}").get_data(as_text=True)
        seen += titles(html)
        found = snippets(html)
        assert found and all("<mark>zebra</mark>" in s for s in found)
        for snippet in found:
            assert_safe_html(snippet, allowed_tags=MARK_ONLY, require_ugc_rel=False)
    assert len(seen) == len(bodies)
    # Code shows as text: the words are found, and shown escaped.
    html = client.get("/search/?q=onerror").get_data(as_text=True)
    assert "&lt;img src=x <mark>onerror</mark>=alert(1)&gt;" in html


def test_payload_queries_are_escaped_and_never_an_error(client, make_post):
    make_post("Alert", body="alert onload script svg")
    queries = [*CORPUS, *FIELD_PAYLOADS["name"], "\ue000alert\ue001", '"alert', "a*"]
    for query in queries:
        for path in ("/search/", "/"):
            name = "q" if path == "/search/" else "s"
            response = client.get(path, query_string={name: query})
            assert response.status_code == 200, query
            main = _MAIN.search(response.get_data(as_text=True))[0]
            # the query is shown only as text: the main area's markup is ours
            assert_safe_html(main, allowed_tags=RESULTS_PAGE, require_ugc_rel=False)
            for snippet in snippets(main):
                assert_safe_html(snippet, allowed_tags=MARK_ONLY, require_ugc_rel=False)
    html = client.get("/search/", query_string={"q": "alert <script>"}).get_data(True)
    assert "Search Results for: “alert &lt;script&gt;”" in html
    assert titles(html) == ["Alert"]


def test_sentinels_in_a_post_are_plain_text(client, make_post):
    make_post("Private use", body="odd \ue000marks\ue001 here")
    html = client.get("/search/?q=marks").get_data(as_text=True)
    assert snippets(html) == ["odd <mark>marks</mark> here"]


def test_no_query_is_a_database_error(client, make_user, make_post, auth):
    """Search syntax of either database, typed by a reader or an editor."""
    make_user(Role.EDITOR, "ed")
    make_post("Alert", body="a b c OR NEAR title")
    generator = random.Random(7)
    alphabet = "ab \"'*-+^():{}<>&|!,.\\%_NEAROTD\u00e9\u0301:*"
    queries = NASTY + ["".join(generator.choices(alphabet, k=10)) for _ in range(40)]
    for query in queries:
        for path, name in (("/search/", "q"), ("/", "s")):
            response = client.get(path, query_string={name: query})
            assert response.status_code == 200, (path, query)
    auth.login("ed")
    for query in queries:
        response = client.get("/dashboard/posts/", query_string={"q": query})
        assert response.status_code == 200, query
