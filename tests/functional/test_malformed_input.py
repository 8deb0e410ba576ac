"""A crawl with malformed values: no route parameter, query argument or form
field makes the site answer 500.

Every rule of ``app.url_map`` is tried with each malformed value in place of
each of its parameters; every page is tried with malformed query arguments;
every form found on the site's pages is sent back with malformed values in
its fields, one field at a time. Runs on SQLite with every value, and on
PostgreSQL (which is stricter: NUL bytes, integer ranges, column lengths)
with the values only an engine could take differently.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blog.models import Role

#: One value of each kind that has broken a site somewhere: numbers out of
#: range or not ASCII digits, empty, NUL bytes, control and bidi characters,
#: line breaks (and Unicode's), very long text, dates at and past the ends
#: of the calendar, paths, a lone percent sign, an emoji.
MALFORMED = [
    "0",
    "-1",
    "2147483648",
    "99999999999999999999",
    "²",
    "1.5",
    "",
    "\x00",
    "a\x00b",
    "\x1b[31m\x85",
    "\u202etxt.exe",
    "a\r\nb",
    "x\u2028y",
    "/dashboard/comments/\nx",
    "x" * 5000,
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "../../etc/passwd",
    "%",
    "🙂",
]

#: Fewer for forms, which are tried one field at a time (the route and
#: query crawls try the rest against the same parsing code).
FORM_VALUES = [
    "-1",
    "99999999999999999999",
    "²",
    "",
    "a\x00b",
    "\x1b[31m\x85",
    "a\r\nb",
    "x\u2028y",
    "x" * 5000,
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "🙂",
]

#: Tried in each query argument alone.
QUERY_VALUES = ["99999999999999999999", "a\x00b", "x" * 5000, "🙂"]

#: What only the database engine could take differently: integer ranges,
#: NUL bytes, lengths past a column's, dates at the ends of the calendar.
#: The PostgreSQL run tries these; the SQLite run has tried everything
#: against the same Python code.
ENGINE_VALUES = frozenset(
    {
        "0",
        "-1",
        "2147483648",
        "99999999999999999999",
        "\x00",
        "a\x00b",
        "x" * 5000,
        "9999-12-31",
        "0001-01-01",
    }
)
if os.environ.get("BLOG_TEST_DATABASE_URL"):
    # One of each kind only an engine could take differently, in forms.
    ENGINE_FORM_VALUES = {"99999999999999999999", "a\x00b", "x" * 5000, "0001-01-01"}
    MALFORMED = [value for value in MALFORMED if value in ENGINE_VALUES]
    FORM_VALUES = [value for value in FORM_VALUES if value in ENGINE_FORM_VALUES]
    FORM_VALUES = [value for value in FORM_VALUES if value in ENGINE_VALUES]
    QUERY_VALUES = [value for value in QUERY_VALUES if value in ENGINE_VALUES]

#: Query arguments the site reads, plus names that ``url_for`` treats specially.
QUERY_NAMES = [
    "page",
    "cpage",
    "author",
    "status",
    "kind",
    "category",
    "tag",
    "audience",
    "month",
    "post",
    "s",
    "q",
    "replytocom",
    "next",
    "token",
    "_method",
    "endpoint",
    "_external",
    "_scheme",
    "_anchor",
]

_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
#: The row number in a field of a list of rows (``people-3-name``).
_ROW_INDEX = re.compile(r"-\d+-")


@pytest.fixture
def site(app: Flask, make_user, make_post, make_event, make_comment, auth):  # type: ignore[no-untyped-def]
    """An admin logged in, with posts, events, comments and terms, one post
    a page (so that every listing has a pager)."""
    from blog.extensions import db
    from blog.site.settings import save_settings

    admin = make_user(Role.ADMIN, "admin")
    post = make_post("A post", author=admin, categories="Garden", tags="bees")
    make_post("Another post", author=admin, categories="Garden", tags="bees")
    event = make_event("An event", author=admin)
    make_event("Another event", author=admin)
    comment = make_comment(post, status="pending")
    make_comment(post, status="approved")
    with app.app_context():
        save_settings({"posts_per_page": 1})
        import io

        from blog.media import Uploads, store_image
        from tests.unit.media.samples import photo

        media = store_image(io.BytesIO(photo()), Uploads.of(app), original_name="a.jpg")
        db.session.commit()
        media_id = media.id
    auth.login(admin)
    return {"post": post, "event": event, "comment": comment, "media_id": media_id}


def _valid_values(app: Flask, site) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from blog.extensions import db
    from blog.models import Term

    with app.app_context():
        term_id = db.session.scalar(select(Term.id))
    post = site["post"]
    return {
        "post_id": str(post.id),
        "event_id": str(site["event"].id),
        "comment_id": str(site["comment"].id),
        "media_id": str(site["media_id"]),
        "term_id": str(term_id),
        "year": str(post.published_at.year),
        "month": f"{post.published_at.month:02d}",
        "slug": post.slug,
        "kind": "category",
        "action": "approve",
        "filename": "none.png",
        "token": "x",
    }


def _path(rule: str, values: dict[str, str], name: str | None, bad: str) -> str:
    def fill(match: re.Match[str]) -> str:
        argument = match.group(2)
        value = bad if argument == name else values.get(argument, "x")
        return quote(value, safe="")

    return _PARAMETER.sub(fill, rule)


def _rules(app: Flask, *, one_per_view: bool = False) -> list[tuple[str, str]]:
    """Every rule and method; with ``one_per_view``, the first rule of each
    view only (a page five levels deep reads its query as a page one level
    deep does: the same view, the same code)."""
    rules, seen = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if one_per_view and (method, rule.endpoint) in seen:
                continue
            seen.add((method, rule.endpoint))
            rules.append((method, rule.rule))
    return rules


class _Crawl:
    """Requests that answered 500 (or raised, as the test client re-raises)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.failures: list[str] = []

    def check(self, method: str, path: str, **kw) -> int:  # type: ignore[no-untyped-def]
        try:
            status = self.client.open(path, method=method, **kw).status_code
        except Exception as error:  # noqa: BLE001 - every error is a finding
            status, reason = 500, f"{type(error).__name__}: {error}"[:200]
        else:
            reason = ""
        if status >= 500:
            sent = kw.get("data") or ""
            self.failures.append(f"{method} {path[:120]!r} {str(sent)[:200]} {reason}")
        return status

    def assert_clean(self) -> None:
        assert not self.failures, f"{len(self.failures)} server errors:\n" + "\n".join(
            self.failures[:60]
        )


@pytest.mark.parametrize("logged_in", [True, False], ids=["admin", "anonymous"])
def test_no_route_parameter_gives_a_server_error(
    app: Flask, client: FlaskClient, site, logged_in: bool
) -> None:  # type: ignore[no-untyped-def]
    if not logged_in:
        client.post("/logout")
    values, crawl = _valid_values(app, site), _Crawl(client)
    for method, rule in _rules(app):
        names = [m.group(2) for m in _PARAMETER.finditer(rule)]
        for name in names:
            for bad in MALFORMED:
                crawl.check(method, _path(rule, values, name, bad))
    crawl.assert_clean()


#: The long crawls are cut in shards, which parallel workers share.
SHARDS = 3


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_query_argument_gives_a_server_error(
    app: Flask, client: FlaskClient, site, shard: int
) -> None:  # type: ignore[no-untyped-def]
    values, crawl = _valid_values(app, site), _Crawl(client)
    pages = [rule for method, rule in _rules(app, one_per_view=True) if method == "GET"]
    for rule in pages[shard::SHARDS]:
        path = _path(rule, values, None, "")
        # One name at a time, so that a refused page number cannot hide
        # what a search term would have done; then all of them together.
        for name in QUERY_NAMES:
            for bad in QUERY_VALUES:
                crawl.check("GET", f"{path}?{name}={quote(bad, safe='')}")
        for bad in MALFORMED:
            query = "&".join(f"{n}={quote(bad, safe='')}" for n in QUERY_NAMES)
            crawl.check("GET", f"{path}?{query}")
    crawl.assert_clean()


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name -> first value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.forms.append((a.get("action", ""), {}))
        elif not self.forms or "name" not in a:
            if tag == "option" and self._select and self.forms:
                self.forms[-1][1].setdefault(self._select, a.get("value", ""))
            return
        elif tag in ("input", "textarea", "button"):
            if a.get("type") in ("file", "submit") or tag == "button":
                return
            self.forms[-1][1].setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _forms_on(client: FlaskClient, path: str) -> list[tuple[str, dict[str, str]]]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.content_type:
        return []
    parser = _Forms()
    parser.feed(response.get_data(as_text=True))
    return [(action or path, fields) for action, fields in parser.forms]


@pytest.mark.parametrize(
    ("logged_in", "shard"),
    [(True, shard) for shard in range(SHARDS)] + [(False, 0)],
    ids=[f"admin-{shard}" for shard in range(SHARDS)] + ["anonymous"],
)
def test_no_form_field_gives_a_server_error(
    app: Flask, client: FlaskClient, site, logged_in: bool, shard: int
) -> None:  # type: ignore[no-untyped-def]
    values = _valid_values(app, site)
    from blog.views.context import public_url

    with app.test_request_context():
        pages = {public_url(site["post"]), public_url(site["event"])}
    if logged_in:
        pages |= {
            _path(rule, values, None, "")
            for method, rule in _rules(app)
            if method == "GET" and rule.startswith("/dashboard")
        }
        # ``post_id`` is an article's: the event's editor needs the event's.
        pages.add(f"/dashboard/events/{values['event_id']}/edit")
    else:
        client.post("/logout")
        pages |= {"/login"}
    forms = {}
    for page in sorted(pages):
        for action, fields in _forms_on(client, page):
            if "logout" in action or "delete" in action or "/trash" in action:
                continue
            forms.setdefault((urlsplit(action).path, tuple(sorted(fields))), fields)
    # An editor's "new" form has its "edit" form's fields: trying the edit
    # form alone keeps the site at two posts of each kind (each accepted
    # value of a "new" form would add one, and the pages shown after it would
    # grow with them).
    edited = {path.rsplit("/", 2)[0] for path, _ in forms if path.endswith("/edit")}
    forms = {
        (path, names): fields
        for (path, names), fields in forms.items()
        if not (path.endswith("/new") and path.rsplit("/", 1)[0] in edited)
    }
    assert len(forms) >= (10 if logged_in else 2), sorted(forms)
    # Rows of one list (``people-3-name``, ``items-0-url``) share their
    # checks: the first row of each is tried, in each form once.
    work, tried = [], set()
    for (action, _names), fields in sorted(forms.items()):
        for name in fields:
            row_field = (action, _ROW_INDEX.sub("-N-", name))
            if name != "csrf_token" and row_field not in tried:
                tried.add(row_field)
                work.append((action, fields, name))
    shards = SHARDS if logged_in else 1
    # What an accepted value could break later: the pages that show it.
    shown = ["/", "/events/", "/events.ics", "/dashboard/posts/"]
    crawl = _Crawl(client)
    for action, fields, name in work[shard::shards]:
        for bad in FORM_VALUES:
            sent = {**fields, name: bad}
            if name != "version":  # saves one after another, as one editor
                sent.pop("version", None)
            if crawl.check("POST", action, data=sent) in (302, 303):
                for page in shown:
                    crawl.check("GET", page)
    crawl.assert_clean()
