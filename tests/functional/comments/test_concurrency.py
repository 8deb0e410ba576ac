"""200 concurrent comment POSTs against gunicorn with 4 workers on SQLite,
and ten identical ones at once making one row."""

from __future__ import annotations

import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.gunicorn_server import post_comment, seed, start_gunicorn, stop

pytestmark = pytest.mark.slow

TOTAL = 200


def test_200_concurrent_comments(tmp_path):
    if os.environ.get("BLOG_TEST_DATABASE_URL"):
        pytest.skip("this scenario is about SQLite with several worker processes")
    database = tmp_path / "blog.sqlite3"
    instance = tmp_path / "instance"
    post_id = seed(database, instance)
    log_path = tmp_path / "gunicorn.log"
    process, url = start_gunicorn(database, instance, log_path)

    def post(n: int) -> int:
        fields = {
            "name": f"Reader {n}",
            "email": f"reader{n}@example.net",
            "comment": f"Comment number {n} arrives at the same time.",
        }
        if n < 0:  # the same words from the same author, many times at once
            fields = {"name": "Twin", "email": "twin@example.net", "comment": "Echo"}
        return post_comment(url, post_id, fields)

    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            codes = list(pool.map(post, range(TOTAL), timeout=180))
            twins = list(pool.map(post, range(-1, -11, -1), timeout=60))
    finally:
        stop(process)
        stderr = log_path.read_text(errors="replace")
    assert all(code < 500 for code in codes), (sorted(set(codes)), stderr[-3000:])
    assert codes.count(303) == TOTAL, sorted(set(codes))
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT count(*) FROM comments WHERE post_id = ?", (post_id,)
        ).fetchone()[0]
        assert connection.execute(
            "SELECT count(*) FROM comments WHERE author_email = 'twin@example.net'"
        ).fetchone() == (1,)
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert rows == TOTAL + 1  # ten identical submissions made one row
    assert sorted(twins) == [303] + [409] * 9
    assert check == "ok"
