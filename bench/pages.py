"""Benchmark: how fast the public pages render with a realistic amount of content.

Generates a site (posts, tags, categories, authors) in a temporary SQLite
file, then times the home page, an archive and an article page through the
Flask test client and reports the median, the 95th percentile and the query
count per page, with the page cache off. Run with ``make bench-render`` or
``python bench/pages.py --posts 2000`` (``make bench`` is the load benchmark).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

from blog import create_app
from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.posts import publishing


def build_site(posts: int) -> tuple:  # type: ignore[type-arg]
    folder = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    app = create_app(
        {
            "SECRET_KEY": "bench-only-secret-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "TESTING": True,
            "CACHE_PAGES": False,  # the rendering itself, not the page cache
        }
    )
    with app.app_context():
        db.create_all()
        authors = [
            User(
                username=f"author{n}",
                email=f"author{n}@example.org",
                display_name=f"Author {n}",
                slug=f"author-{n}",
                role=Role.AUTHOR,
                password_hash="x",
            )
            for n in range(10)
        ]
        db.session.add_all(authors)
        db.session.commit()
        body = "\n\n".join(
            f"Paragraph {k} with *some* text and a [link](https://example.org)."
            for k in range(12)
        )
        for n in range(posts):
            publishing.save_post(
                authors[n % 10],
                publishing.PostInput(
                    title=f"Benchmark post {n}",
                    body=body,
                    categories=f"Category {n % 8}",
                    tags=", ".join(f"tag{(n + k) % 40}" for k in range(5)),
                    publish_at=utcnow() - timedelta(hours=n + 1),
                ),
                action=publishing.SaveAction.PUBLISH,
            )
        sample = db.session.scalar(db.select(Post).offset(posts // 2).limit(1))
        article = f"/{sample.published_at:%Y}/{sample.published_at:%m}/{sample.slug}/"
    return app, article


def measure(app, path: str, rounds: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    queries = 0

    def count(*_args) -> None:  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1

    with app.app_context():
        engine = db.engine
    client.get(path)  # warm up
    event.listen(engine, "before_cursor_execute", count)
    client.get(path)
    event.remove(engine, "before_cursor_execute", count)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    app, article = build_site(args.posts)
    print(f"built {args.posts} posts in {time.perf_counter() - started:.1f}s")
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for path in ("/", "/?page=5", "/category/category-3/", "/tag/tag7/", article):
        median, p95, queries = measure(app, path, args.rounds)
        print(f"{path:<40} {median * 1000:>10.2f} {p95 * 1000:>10.2f} {queries:>8}")


if __name__ == "__main__":
    main()
