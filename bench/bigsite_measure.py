"""Measure pages on a big site against the same pages on a small one.

    PG=postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bigsite_measure.py \
        --pair sqlite sqlite:////tmp/bigsite/small.sqlite3 \
                      sqlite:////tmp/bigsite/big.sqlite3 \
        --pair postgresql "$PG?options=-csearch_path%3Dsmall" \
                          "$PG?options=-csearch_path%3Dbig" \
        --out bench/results/bigsite-$(date +%F).md

Sites come from ``bench/bigsite.py``. Each page is requested through the
Flask test client, uncached (``CACHE_PAGES=False``), in interleaved rounds
(small, big, small, big...) so that a busy machine slows both alike; the
median time and the query count are compared. Then every statement of
every page is explained on the big site (``EXPLAIN QUERY PLAN`` on SQLite,
``EXPLAIN ANALYZE`` on PostgreSQL): a full scan of ``posts`` or
``comments`` is reported, and the slowest statements are shown with their
plans. ``--out`` writes it all as Markdown.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bigsite_data import ADMIN_PASSWORD, BUSY_SLUG, SEARCH_WORD  # noqa: E402

#: The big site's deep archive page; the small site's last page stands in.
DEEP_PAGE = 500
#: Tables a plan must not read whole.
WATCHED = ("posts", "comments", "post_terms")
#: Pages slower than this (seconds) are measured with one request.
SLOW_SECONDS = 2.0
#: A rare search: one reader's address (one comment on the small site, 22 on
#: the big one, found only by reading every comment).
RARE_SEARCH = "reader42@example.net"


@dataclass
class Statement:
    sql: str
    params: Any
    seconds: float = 0.0


@dataclass
class Recorder:
    """Every statement a request sends, with its time."""

    statements: list[Statement] = field(default_factory=list)
    on: bool = False

    @property
    def count(self) -> int:
        return len(self.statements)


@dataclass
class Site:
    name: str
    url: str
    app: Flask
    client: FlaskClient
    recorder: Recorder
    paths: dict[str, str] = field(default_factory=dict)


def _skip(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK"))


def open_site(name: str, url: str) -> Site:
    from blog import create_app
    from blog.extensions import db

    instance = tempfile.mkdtemp(prefix="bigsite-instance-")
    os.environ["BLOG_INSTANCE_PATH"] = instance
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-secret-key",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "CACHE_PAGES": False,
            "SITE_URL": "http://localhost",
        }
    )
    recorder = Recorder()
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def before(_conn, _cursor, sql, params, context, _many) -> None:  # type: ignore[no-untyped-def]
        if recorder.on and not _skip(sql):
            context._bench_started = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(_conn, _cursor, sql, params, context, _many) -> None:  # type: ignore[no-untyped-def]
        started = getattr(context, "_bench_started", None)
        if recorder.on and started is not None:
            recorder.statements.append(
                Statement(sql, params, time.perf_counter() - started)
            )

    client = app.test_client()
    site = Site(name, url, app, client, recorder)
    login = client.post("/login", data={"login": "admin", "password": ADMIN_PASSWORD})
    if login.status_code != 302:
        raise SystemExit(f"{name}: could not log in as admin ({login.status_code})")
    site.paths = _paths(site)
    return site


def _paths(site: Site) -> dict[str, str]:
    """The pages to measure, found in the site's data."""
    from blog.extensions import db
    from blog.models import Post, PostKind
    from blog.views.context import article_url

    with site.app.test_request_context():
        busy = db.session.scalar(
            db.select(Post).where(
                Post.kind == PostKind.ARTICLE, Post.slug == f"{BUSY_SLUG}-1"
            )
        )
        if busy is None:
            raise SystemExit(
                f"{site.name}: no {BUSY_SLUG}-1 (made by bench/bigsite.py?)"
            )
        article = article_url(busy)
        author = busy.author.slug
        year = f"/{busy.published_at.year - 1}/"
    first = site.client.get(article).get_data(as_text=True)
    pages = re.search(r"Page 1 of (\d+)", first)
    last_comments = int(pages.group(1)) if pages else 1
    deep_year, bare_year = _deep(site, year)
    deep_category, bare_category = _deep(site, "/category/category-1/")
    deep = f"page {DEEP_PAGE} (small: last)"
    return {
        "home": "/",
        "year archive, page 1": year,
        f"year archive, {deep}, pager link": deep_year,
        f"year archive, {deep}, ?page= only": bare_year,
        "category, page 1": "/category/category-1/",
        f"category, {deep}, pager link": deep_category,
        f"category, {deep}, ?page= only": bare_category,
        "article, first comment page": article,
        "article, last comment page": f"{article}?cpage={last_comments}",
        "author page": f"/author/{author}/",
        "moderation queue, pending": "/dashboard/comments/?status=pending",
        "moderation queue, searched (common word)": (
            f"/dashboard/comments/?q={SEARCH_WORD}"
        ),
        "moderation queue, searched (rare: an address)": (
            f"/dashboard/comments/?q={RARE_SEARCH}"
        ),
        "dashboard posts list": "/dashboard/posts/",
        "calendar feed (.ics)": "/events.ics",
    }


def _deep(site: Site, listing: str) -> tuple[str, str]:
    """Page :data:`DEEP_PAGE` of a listing (the small site's last page) as
    its pager links to it (with the cursor) and as a bare ``?page=``."""
    response = site.client.get(f"{listing}?page={DEEP_PAGE - 1}")
    if response.status_code == 200:
        link = _next_link(response.get_data(as_text=True))
        if link:
            return link, f"{listing}?page={DEEP_PAGE}"
    path = listing
    while link := _next_link(site.client.get(path).get_data(as_text=True)):
        path = link
    found = re.search(r"[?&]page=(\d+)", path)
    return path, f"{listing}?page={found.group(1) if found else 1}"


def _next_link(page: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


@contextmanager
def recording(site: Site) -> Iterator[Recorder]:
    site.recorder.statements = []
    site.recorder.on = True
    try:
        yield site.recorder
    finally:
        site.recorder.on = False


def request(site: Site, path: str) -> tuple[float, Recorder]:
    with recording(site) as recorder:
        started = time.perf_counter()
        response = site.client.get(path)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{site.name} {path}: {response.status_code}")
    return seconds, Recorder(list(recorder.statements))


@dataclass
class Row:
    page: str
    small_ms: float
    big_ms: float
    small_queries: int
    big_queries: int

    @property
    def ratio(self) -> float:
        return self.big_ms / self.small_ms if self.small_ms else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= 2 and self.small_queries == self.big_queries


def measure(small: Site, big: Site, runs: int) -> list[Row]:
    """Median milliseconds and query counts, small and big, page by page.

    A page slower than :data:`SLOW_SECONDS` is requested once more only
    (before the fixes, page 500 of a category took minutes on SQLite)."""
    times: dict[tuple[str, str], list[float]] = {}
    queries: dict[tuple[str, str], int] = {}
    slow: set[str] = set()
    for site in (small, big):  # warm up: templates, caches, database pages
        for page, path in site.paths.items():
            seconds, _ = request(site, path)
            if seconds > SLOW_SECONDS:
                slow.add(page)
    for round_ in range(runs):
        for page in small.paths:
            if page in slow and round_ > 0:
                continue
            for site in (small, big):
                seconds, recorder = request(site, site.paths[page])
                times.setdefault((site.name, page), []).append(seconds * 1000)
                queries[(site.name, page)] = recorder.count
    return [
        Row(
            page + (" (one request)" if page in slow else ""),
            statistics.median(times[(small.name, page)]),
            statistics.median(times[(big.name, page)]),
            queries[(small.name, page)],
            queries[(big.name, page)],
        )
        for page in small.paths
    ]


# Plans -------------------------------------------------------------------------


@dataclass
class Explained:
    page: str
    statement: Statement
    plan: str
    full_scans: list[str]


def explain(site: Site, top: int = 2) -> list[Explained]:
    """Each page's statements on ``site``, explained; full scans flagged."""
    from blog.extensions import db

    found: list[Explained] = []
    for page, path in site.paths.items():
        _, recorder = request(site, path)
        slowest = sorted(recorder.statements, key=lambda s: -s.seconds)[:top]
        with site.app.app_context():
            raw = db.engine.raw_connection()
            try:
                for statement in recorder.statements:
                    plan = _plan(raw, db.engine.dialect.name, statement)
                    scans = _full_scans(plan)
                    if scans and " LIMIT " in statement.sql.upper():
                        scans = [
                            f"{s} [the statement stops at its LIMIT]" for s in scans
                        ]
                    if scans or statement in slowest:
                        found.append(Explained(page, statement, plan, scans))
            finally:
                raw.rollback()
                raw.close()
    return found


def _plan(raw: Any, dialect: str, statement: Statement) -> str:
    cursor = raw.cursor()
    if dialect == "sqlite":
        cursor.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params)
        rows = cursor.fetchall()
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)
    if statement.sql.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")):
        cursor.execute(f"EXPLAIN {statement.sql}", statement.params)
    else:
        cursor.execute(
            f"EXPLAIN (ANALYZE, BUFFERS OFF) {statement.sql}", statement.params
        )
    return "\n".join(row[0] for row in cursor.fetchall())


def _full_scans(plan: str) -> list[str]:
    scans = []
    for line in plan.splitlines():
        stripped = line.strip().lstrip("->").strip()
        for table in WATCHED:
            sqlite_scan = re.match(
                rf"SCAN {table}\b(?! USING (COVERING )?INDEX)", stripped
            )
            sqlite_index_scan = re.match(
                rf"SCAN {table} USING (COVERING )?INDEX", stripped
            )
            pg_scan = re.match(rf"(Parallel )?Seq Scan on {table}\b", stripped)
            if sqlite_scan or pg_scan:
                scans.append(f"{table}: {stripped}")
            elif sqlite_index_scan:
                scans.append(f"{table} (whole index): {stripped}")
    return scans


# Report ------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = [
        "| page | small ms | big ms | ratio | queries small / big | ≤ 2×, same q. |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        ok = "yes" if row.ok else "**no**"
        lines.append(
            f"| {row.page} | {row.small_ms:.1f} | {row.big_ms:.1f} | {row.ratio:.2f} "
            f"| {row.small_queries} / {row.big_queries} | {ok} |"
        )
    return "\n".join(lines)


def plans_section(found: list[Explained]) -> str:
    parts = []
    for item in found:
        scans = "; ".join(item.full_scans) if item.full_scans else "no full scan"
        sql = " ".join(item.statement.sql.split())
        if len(sql) > 600:
            sql = sql[:600] + " …"
        parts.append(
            f"**{item.page}** ({item.statement.seconds * 1000:.1f} ms; {scans})\n\n"
            f"```sql\n{sql}\n```\n\n```\n{item.plan}\n```\n"
        )
    return "\n".join(parts)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
            check=True, cwd=Path(__file__).parent,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _counts(site: Site) -> str:
    from blog.extensions import db

    with site.app.app_context():
        with db.engine.connect() as connection:
            posts = connection.scalar(text("SELECT count(*) FROM posts"))
            comments = connection.scalar(text("SELECT count(*) FROM comments"))
    return f"{posts:,} posts, {comments:,} comments"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pair", nargs=3, action="append", metavar=("LABEL", "SMALL_URL", "BIG_URL"),
        required=True, help="a database label and the two sites' URLs",
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--out", help="write the report here (Markdown)")
    parser.add_argument("--title", default="", help="a line under the report's heading")
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    report = [
        f"# A million comments: big site vs small site, {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Commit {_commit()}, {os.cpu_count()} CPUs, {args.runs} rounds, medians, "
        "Flask test client, page cache off.",
    ]
    if args.title:
        report += ["", args.title]
    for label, small_url, big_url in args.pair:
        small, big = open_site("small", small_url), open_site("big", big_url)
        rows = measure(small, big, args.runs)
        heading = f"## {label}: small ({_counts(small)}) vs big ({_counts(big)})"
        print(heading, "", table(rows), sep="\n")
        report += ["", heading, "", table(rows)]
        if not args.no_explain:
            found = explain(big)
            scans = [f"- {e.page}: {s}" for e in found for s in e.full_scans]
            summary = "\n".join(scans) if scans else "None."
            print("\nFull scans on the big site:", summary, sep="\n")
            report += [
                "", f"### {label}: full scans on the big site", "", summary,
                "", f"### {label}: slowest statements per page (big site)", "",
                plans_section(found),
            ]  # fmt: skip
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text("\n".join(report) + "\n")
        print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
