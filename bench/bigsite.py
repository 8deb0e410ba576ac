"""Build a big site fast, for measuring pages at a million comments.

    .venv/bin/python bench/bigsite.py --sqlite /tmp/bigsite/big.sqlite3
    .venv/bin/python bench/bigsite.py --postgres \
        postgresql+psycopg://postgres@127.0.0.1:5432/test --schema big
    .venv/bin/python bench/bigsite.py --size small --sqlite /tmp/bigsite/small.sqlite3

The schema comes from the migrations (so the indexes are the real ones);
rows are written in bulk (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), with the secondary indexes dropped during the load and rebuilt
from their own definitions afterwards. Markdown is rendered once: every
post shares one ~800-word body, comments a few dozen bodies.

What the sites hold: ``bench/bigsite_data.py``; how rows are written:
``bench/bulk.py``. Prints the time taken (under 5 minutes for the big site
on a 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bigsite_data import (  # noqa: E402
    ADMIN_PASSWORD,
    SIZES,
    Builder,
    Size,
    comment_bodies,
    comment_rows,
    post_markdown,
)
from bench.bulk import Writer  # noqa: E402


def migrate(url: str, instance: Path) -> None:
    """The schema from the migrations, as ``flask db upgrade`` makes it."""
    from flask_migrate import upgrade

    from blog import create_app

    os.environ["BLOG_INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only"})
    with app.app_context():
        upgrade()
        from blog.extensions import db

        db.engine.dispose()


def prepare(args: argparse.Namespace) -> str:
    """An empty database (file or schema); its URL."""
    if args.sqlite:
        path = Path(args.sqlite)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    schema = args.schema
    if not schema.isidentifier():
        raise SystemExit("bigsite: --schema must be a plain name")
    engine = create_engine(args.postgres)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    separator = "&" if "?" in args.postgres else "?"
    return f"{args.postgres}{separator}options=-csearch_path%3D{schema}"


def build(url: str, size: Size) -> dict[str, float]:
    """Make the site at ``url`` (an empty database); seconds per step."""
    from blog.accounts import passwords
    from blog.rendering import excerpt_html, render_post

    steps: dict[str, float] = {}
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[name] = now - clock
        clock = now

    with tempfile.TemporaryDirectory(prefix="bigsite-") as instance:
        migrate(url, Path(instance))
    step("migrations")
    rng = random.Random(7)
    source = post_markdown(rng)
    body = render_post(source)
    builder = Builder(size)
    builder.make_posts(body, source, excerpt_html(body))
    builder.make_events(body, source, excerpt_html(body))
    builder.make_comments()
    bodies = comment_bodies(rng)
    step("data in memory")
    engine = create_engine(url)
    writer = Writer(engine)
    writer.begin()
    writer.insert("users", builder.users(passwords.hash_password(ADMIN_PASSWORD)))
    writer.insert("terms", builder.terms())
    writer.insert("posts", builder.posts)
    writer.insert(
        "post_terms", ({"post_id": p, "term_id": t} for p, t in builder.post_terms)
    )
    writer.insert("events", builder.events)
    step("users, terms, posts, events")
    n = writer.insert("comments", comment_rows(builder, bodies))
    writer.raw.commit()
    step(f"{n:,} comments")
    writer.finish()
    step("indexes, analyze")
    engine.dispose()
    return steps


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", help="path of the SQLite file to (re)create")
    where.add_argument("--postgres", help="PostgreSQL URL (postgresql+psycopg://...)")
    parser.add_argument(
        "--schema", default="big", help="PostgreSQL schema to (re)create"
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="big")
    args = parser.parse_args(argv)
    url = prepare(args)
    started = time.perf_counter()
    steps = build(url, SIZES[args.size])
    for name, seconds in steps.items():
        print(f"  {name:<32} {seconds:7.1f} s")
    where_ = args.sqlite or f"schema {args.schema}"
    print(f"{args.size} site in {where_}: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
