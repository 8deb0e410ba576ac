"""Issue 11: two app servers on one PostgreSQL and one Redis, behind nginx
configured from ``deploy/nginx/`` (round-robin upstream, page cache).

What a reader or an admin does on one server holds on the other: a login,
the per-address rate limit and the comment flood rule, a moderation that
changes a page (every cache, both servers' and nginx's, follows). And no
request fails while either server restarts.

Needs PostgreSQL at 127.0.0.1:5432, Redis at 127.0.0.1:6379 and nginx at
/usr/sbin/nginx; skipped (saying which is missing) without them. It brings
its own PostgreSQL schema, so it runs in the SQLite pass of ``make test``.

Every reader connects from a loopback address of its own (127.0.0.x), so the
per-address rules of one part do not touch another's.
"""

from __future__ import annotations

import copy
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import multi_server
from tests.conftest import PASSWORD
from tests.http_browser import Browser, Reply, hidden_fields
from tests.multi_server import (
    AppServer,
    Nginx,
    Seeded,
    postgres_schema,
    redis_namespace,
    seed,
    server_env,
)

pytestmark = pytest.mark.slow
#: Statuses a cache answer may have when nginx had stored the page before.
STORED = {"HIT", "REVALIDATED", "EXPIRED", "UPDATING", "STALE"}


@dataclass
class Cluster:
    one: AppServer
    two: AppServer
    nginx: Nginx
    seeded: Seeded

    @property
    def article(self) -> str:
        return self.seeded.article_path

    def comment_url(self, base: str) -> str:
        return f"{base}/comments/post/{self.seeded.article_id}"


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if os.environ.get("BLOG_TEST_DATABASE_URL"):
        pytest.skip("brings its own PostgreSQL schema: runs in the SQLite pass")
    missing = multi_server.missing_service()
    if missing:
        pytest.skip(f"two app servers need PostgreSQL, Redis and nginx: {missing}")
    with ExitStack() as stack:
        database_url = stack.enter_context(postgres_schema())
        prefix = stack.enter_context(redis_namespace())
        instance = tmp_path / "instance"
        env = server_env(database_url, instance, prefix)
        seeded = seed(env, PASSWORD)
        one, two = (AppServer(n, env, tmp_path / f"{n}.log") for n in ("one", "two"))
        stack.callback(one.close)
        stack.callback(two.close)
        with ThreadPoolExecutor(2) as pool:  # both import the app at once
            for started in [pool.submit(server.start) for server in (one, two)]:
                started.result()
        upstreams = [f"127.0.0.1:{one.port}", f"127.0.0.1:{two.port}"]
        nginx = Nginx(tmp_path / "nginx", upstreams, instance / "uploads")
        stack.callback(nginx.stop)
        nginx.start()
        yield Cluster(one, two, nginx, seeded)


def log_in(browser: Browser, base: str, seeded: Seeded) -> Reply:
    page = browser.get(f"{base}/login")
    fields = hidden_fields(page.text, "/login")
    fields.update(login=seeded.admin, password=seeded.password)
    return browser.post(f"{base}/login", fields)


def post_comment(
    browser: Browser, base: str, cluster: Cluster, email: str, text: str
) -> Reply:
    """Fill in the article's comment form as shown by ``base``, and send it."""
    page = browser.get(base + cluster.article)
    assert page.status == 200, page.text[:500]
    fields = hidden_fields(page.text, f"/comments/post/{cluster.seeded.article_id}")
    assert "ts" in fields, "the article shows no comment form"
    fields.update(name="Reader", email=email, url="", comment=text, fax_number="")
    return browser.post(cluster.comment_url(base), fields)


def shows(base: str, path: str, text: str) -> bool:
    """Whether an anonymous reader (a fresh browser) sees ``text``."""
    page = Browser("127.0.0.50").get(base + path)
    assert page.status == 200, (page.status, page.text[:500])
    return text in page.text


def test_two_servers_behind_nginx(cluster: Cluster) -> None:
    login_continues_on_the_other_server(cluster)
    limits_hold_across_servers(cluster)
    approval_shows_on_both_servers_at_once(cluster)
    nginx_keeps_anonymous_pages_only(cluster)
    nginx_serves_uploads_and_static_files(cluster)
    no_request_fails_while_a_server_restarts(cluster)


def login_continues_on_the_other_server(cluster: Cluster) -> None:
    admin = Browser("127.0.0.10")
    logged_in = log_in(admin, cluster.one.url, cluster.seeded)
    assert logged_in.status in (302, 303), logged_in.text[-1000:]
    dashboard = admin.get(f"{cluster.two.url}/dashboard/")
    assert dashboard.status == 200, (dashboard.status, dashboard.header("location"))
    assert "Dashboard" in dashboard.text
    # Logging out on server 2 ends the session everywhere: its cookie, kept
    # by someone, no longer opens the dashboard of server 1.
    kept = Browser("127.0.0.10")
    for cookie in admin.jar:
        kept.jar.set_cookie(copy.copy(cookie))
    logout = admin.post(
        f"{cluster.two.url}/logout", hidden_fields(dashboard.text, "/logout")
    )
    assert logout.status in (302, 303)
    replayed = kept.get(f"{cluster.one.url}/dashboard/")
    assert replayed.status == 302 and "/login" in replayed.header("location")


def limits_hold_across_servers(cluster: Cluster) -> None:
    # RATELIMIT_COMMENT is 3 per 10 seconds per address, counted in Redis:
    # the 4th POST is refused whichever server takes it. (Empty forms: the
    # limit counts every POST, and the flood rule never sees them.)
    bot = Browser("127.0.0.20")
    bases = [cluster.one.url, cluster.two.url] * 2
    statuses = [bot.post(cluster.comment_url(b), {"comment": ""}).status for b in bases]
    assert statuses == [400, 400, 400, 429]

    # COMMENT_FLOOD_SECONDS is 5, checked in the database: a second comment
    # from the same email, on the other server, is refused; someone else
    # behind the same IP address may comment (the per-IP burst limit).
    reader = Browser("127.0.0.21")
    first = post_comment(reader, cluster.one.url, cluster, "a@example.net", "One")
    assert first.status == 303, first.text[-1000:]
    second = post_comment(reader, cluster.two.url, cluster, "a@example.net", "Two")
    assert second.status == 429
    assert "posting comments too quickly" in second.text
    neighbour = post_comment(reader, cluster.two.url, cluster, "b@example.net", "3")
    assert neighbour.status == 303, neighbour.text[-1000:]


def approval_shows_on_both_servers_at_once(cluster: Cluster) -> None:
    """Post through server 1, approve through server 2; every reader sees it."""
    text = f"Shared cache check {uuid.uuid4().hex[:8]}"
    bases = [cluster.one.url, cluster.two.url, cluster.nginx.url]
    for base in bases:  # every cache holds the page without the comment
        assert not shows(base, cluster.article, text)

    posted = post_comment(
        Browser("127.0.0.30"), cluster.one.url, cluster, "c@example.net", text
    )
    location = posted.header("location")
    assert posted.status == 303 and "?unapproved=" in location, location
    comment_id = int(location.rsplit("#comment-", 1)[1])
    # The article with the author's held comment is theirs alone: nginx
    # fetches it from the app every time, and shows it to nobody else.
    held_page = location.split("#", 1)[0]
    for _ in range(2):
        own = Browser("127.0.0.30").get(cluster.nginx.url + held_page)
        assert own.header("x-cache-status") == "MISS" and text in own.text
    assert not shows(cluster.nginx.url, cluster.article, text)

    admin = Browser("127.0.0.31")
    assert log_in(admin, cluster.two.url, cluster.seeded).status in (302, 303)
    queue = admin.get(f"{cluster.two.url}/dashboard/comments/?status=pending")
    action = f"/dashboard/comments/{comment_id}/approve"
    approved = admin.post(cluster.two.url + action, hidden_fields(queue.text, action))
    assert approved.status in (302, 303), approved.text[-1000:]

    for base in bases[:2]:  # the next request, on either server
        assert shows(base, cluster.article, text), base
    # nginx keeps a page CACHE_SHARED_SECONDS (1 s here), then revalidates.
    deadline = time.monotonic() + 3
    while not shows(cluster.nginx.url, cluster.article, text):
        assert time.monotonic() < deadline, "nginx still shows the old page"
        time.sleep(0.2)


def nginx_keeps_anonymous_pages_only(cluster: Cluster) -> None:
    """What deploy/nginx/blog-proxy-cache.conf keeps, as X-Cache-Status says."""
    reader = Browser("127.0.0.40")
    path = f"/?check={uuid.uuid4().hex[:8]}"
    first = reader.get(cluster.nginx.url + path)
    again = reader.get(cluster.nginx.url + path)
    assert first.header("x-cache-status") == "MISS"
    assert again.header("x-cache-status") in STORED
    assert "set-cookie" not in first.headers
    for cookie in ("session", "remember_token", "comment_author"):
        personal = reader.get(cluster.nginx.url + path, {"Cookie": f"{cookie}=x"})
        assert personal.header("x-cache-status") == "BYPASS", cookie
    # no-store pages are fetched from the app every time (by fresh browsers:
    # /login sets a session cookie)
    for private in ("/login",):
        statuses = [
            Browser("127.0.0.41")
            .get(cluster.nginx.url + private)
            .header("x-cache-status")
            for _ in range(2)
        ]
        assert statuses == ["MISS", "MISS"], private


def nginx_serves_uploads_and_static_files(cluster: Cluster) -> None:
    """Images from the uploads folder, kept for ever; PDFs from the app,
    which knows their names; static files, revalidated after an hour."""
    reader = Browser("127.0.0.42")
    for name in (cluster.seeded.image, cluster.seeded.variant):
        from_nginx = reader.get(f"{cluster.nginx.url}/media/{name}")
        from_app = reader.get(f"{cluster.one.url}/media/{name}")
        assert from_nginx.status == 200 and from_nginx.body == from_app.body
        assert from_nginx.header("x-cache-status") == ""  # never reached the app
        assert from_nginx.header("content-type") == from_app.header("content-type")
        assert from_nginx.header("cache-control") == from_app.header("cache-control")
        for header in ("content-security-policy", "x-content-type-options"):
            assert from_nginx.header(header) == from_app.header(header), header
    assert from_nginx.header("cache-control") == "public, max-age=31536000, immutable"
    pdf = reader.get(f"{cluster.nginx.url}/media/{cluster.seeded.attachment}")
    assert pdf.status == 200 and pdf.header("x-cache-status") == "MISS"
    assert pdf.header("content-disposition") == "attachment; filename=Report.pdf"
    missing = reader.get(f"{cluster.nginx.url}/media/{'0' * 24}.png")
    assert missing.status == 404
    css = reader.get(f"{cluster.nginx.url}/static/css/site.css")
    assert css.status == 200 and css.header("content-type") == "text/css"
    assert css.header("cache-control") == "public, max-age=3600"


def no_request_fails_while_a_server_restarts(cluster: Cluster) -> None:
    """Readers and commenters go through nginx while each server in turn is
    stopped (SIGTERM: it finishes what it has) and started again."""
    failures: list[tuple[str, str, int, str]] = []
    done: Counter[str] = Counter()
    stop = threading.Event()
    proxy = cluster.nginx.url

    def read(n: int) -> None:
        paths = [cluster.article, "/login", "/"]
        while not stop.is_set():
            path = paths[done["get"] % 3]
            if path == "/":
                path = f"/?reader={n}-{done['get']}"  # not in nginx's cache
            reply = Browser(f"127.0.1.{n}").get(proxy + path)
            done["get"] += 1
            if reply.status != 200:
                failures.append(("GET", path, reply.status, reply.text[:300]))

    def comment() -> None:
        while not stop.wait(0.3):
            n = done["post"] + 1
            reader = Browser(f"127.0.{2 + n // 250}.{n % 250 + 1}")
            try:
                reply = post_comment(reader, proxy, cluster, f"r{n}@example.net", "Hi")
            except AssertionError as error:  # the page with the form failed
                reply = Reply(-1, {}, str(error).encode())
            done["post"] += 1
            if reply.status != 303:
                failures.append(("POST", f"comment {n}", reply.status, reply.text))

    def wait_for(kind: str, more: int) -> None:
        target, deadline = done[kind] + more, time.monotonic() + 30
        while done[kind] < target and time.monotonic() < deadline:
            time.sleep(0.05)

    threads = [threading.Thread(target=read, args=(n,)) for n in (1, 2)]
    threads.append(threading.Thread(target=comment))
    for thread in threads:
        thread.start()
    try:
        for server in (cluster.one, cluster.two):
            wait_for("get", 10)
            wait_for("post", 1)
            server.stop()
            server.start()
        wait_for("get", 10)
        wait_for("post", 1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not failures, failures[:5]
    assert done["get"] >= 30 and done["post"] >= 3, done
