"""SECURITY.md: the server killed during writes loses nothing it acknowledged.

gunicorn (4 workers, SQLite in WAL mode) takes a stream of comment POSTs and
is killed with SIGKILL in the middle. The database must pass
``PRAGMA integrity_check``, hold every comment whose POST was answered with
a redirect, and work again for a restarted server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.gunicorn_server import post_comment, seed, start_gunicorn, stop

pytestmark = pytest.mark.slow


def test_kill_during_writes_keeps_every_acknowledged_comment(tmp_path):
    if os.environ.get("BLOG_TEST_DATABASE_URL"):
        pytest.skip("this scenario is about SQLite with several worker processes")
    database, instance = tmp_path / "blog.sqlite3", tmp_path / "instance"
    post_id = seed(database, instance)
    log_path = tmp_path / "gunicorn.log"
    process, url = start_gunicorn(database, instance, log_path)
    acknowledged: list[int] = []
    killed = threading.Event()

    def writer(worker: int) -> None:
        n = 0
        while not killed.is_set() and n < 200:  # bounded, and stops by itself
            number = worker * 1000 + n
            fields = {
                "name": f"Writer {worker}",
                "email": f"writer{worker}@example.net",
                "comment": f"Crash test comment {number}",
            }
            if post_comment(url, post_id, fields, timeout=10) == 303:
                acknowledged.append(number)
            n += 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(writer, w) for w in range(8)]
        deadline = time.monotonic() + 20
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop(process, signal.SIGKILL)  # no clean shutdown, mid-write
        killed.set()
        for future in futures:
            future.result(timeout=30)

    assert len(acknowledged) >= 40, log_path.read_text(errors="replace")[-2000:]
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            int(body.rsplit(" ", 1)[1])
            for (body,) in connection.execute(
                "SELECT body_source FROM comments WHERE post_id = ?", (post_id,)
            )
        }
    missing = set(acknowledged) - stored
    assert not missing, f"acknowledged but lost: {sorted(missing)[:20]}"

    process, url = start_gunicorn(database, instance, log_path)
    try:
        after = post_comment(
            url,
            post_id,
            {"name": "Later", "email": "later@example.net", "comment": "Still working"},
        )
    finally:
        stop(process)
    assert after == 303
