"""200 concurrent comment POSTs against gunicorn with 4 workers on SQLite,
and ten identical ones at once making one row."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from blog import create_app, publishing
from blog.extensions import db
from blog.models import Role, User, utcnow

pytestmark = pytest.mark.slow

VENV_BIN = Path(sys.executable).parent
TOTAL = 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seed(database: Path, instance: Path) -> int:
    """Upgrade the schema with the CLI, then publish one article; its id."""
    env = _env(database, instance)
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "blog", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["BLOG_SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": env["BLOG_SECRET_KEY"],
        }
    )
    with app.app_context():
        user = User(
            username="owner",
            email="owner@example.org",
            display_name="Owner",
            slug="owner",
            role=Role.ADMIN,
            password_hash="x",
        )
        db.session.add(user)
        db.session.commit()
        post = publishing.save_post(
            user,
            publishing.PostInput(title="Busy", body="Body", publish_at=utcnow()),
            publish=True,
        )
        post_id = post.id
        db.session.remove()
        db.engine.dispose()
    return post_id


def _env(database: Path, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOG_")}
    env.update(
        BLOG_INSTANCE_PATH=str(instance),
        BLOG_SECRET_KEY="concurrency-test-secret-key",
        BLOG_SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
        BLOG_WTF_CSRF_ENABLED="false",
        BLOG_COMMENT_FLOOD_SECONDS="0",
        BLOG_COMMENT_MIN_SECONDS="0",
        BLOG_RATELIMIT_ENABLED="false",  # 200 posts from one address on purpose
        BLOG_AKISMET_API_KEY='""',
        BLOG_MAIL_SERVER='""',
    )
    return env


def _wait_ready(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                return
        except OSError:  # refused, reset or timed out while starting
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def test_200_concurrent_comments(tmp_path):
    if os.environ.get("BLOG_TEST_DATABASE_URL"):
        pytest.skip("this scenario is about SQLite with several worker processes")
    database = tmp_path / "blog.sqlite3"
    instance = tmp_path / "instance"
    post_id = _seed(database, instance)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "-w",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "blog:create_app()",
        ],
        env=_env(database, instance),
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    opener = urllib.request.build_opener(_NoRedirect)

    def post(n: int) -> int:
        fields = {
            "name": f"Reader {n}",
            "email": f"reader{n}@example.net",
            "comment": f"Comment number {n} arrives at the same time.",
        }
        if n < 0:  # the same words from the same author, many times at once
            fields = {"name": "Twin", "email": "twin@example.net", "comment": "Echo"}
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            f"{url}/comments/post/{post_id}", data=data, method="POST"
        )
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        _wait_ready(url, process)
        with ThreadPoolExecutor(max_workers=32) as pool:
            codes = list(pool.map(post, range(TOTAL), timeout=180))
            twins = list(pool.map(post, range(-1, -11, -1), timeout=60))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        log.close()
        stderr = (tmp_path / "gunicorn.log").read_text(errors="replace")
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
