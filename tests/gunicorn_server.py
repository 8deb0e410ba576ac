"""A real gunicorn serving the app on SQLite, for the multi-process scenarios."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from blog import create_app
from blog.extensions import db
from blog.models import Role, User, utcnow
from blog.posts import publishing
from blog.site import MAX_IP_BURST, save_settings

VENV_BIN = Path(sys.executable).parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(database: Path, instance: Path) -> int:
    """Upgrade the schema with the CLI, then publish one article; its id."""
    env = gunicorn_env(database, instance)
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
        # 200 comments from one address on purpose: no per-IP burst limit.
        save_settings({"comments_ip_burst": MAX_IP_BURST})
        db.session.commit()
        post = publishing.save_post(
            user,
            publishing.PostInput(title="Busy", body="Body", publish_at=utcnow()),
            action=publishing.SaveAction.PUBLISH,
        )
        post_id = post.id
        db.session.remove()
        db.engine.dispose()
    return post_id


def gunicorn_env(database: Path, instance: Path) -> dict[str, str]:
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


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
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


def start_gunicorn(
    database: Path, instance: Path, log_path: Path, workers: int = 4
) -> tuple[subprocess.Popen, str]:
    """Serve the app with ``workers`` processes; returns the process and its URL."""
    port = free_port()
    log = log_path.open("ab")
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "blog:create_app()",
        ],
        env=gunicorn_env(database, instance),
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    wait_ready(url, process)
    return process, url


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop gunicorn and its workers (SIGKILL when asked, or when slow); a
    server that has already stopped is left alone."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def post_comment(
    url: str, post_id: int, fields: dict[str, str], timeout: float = 60
) -> int:
    """POST the comment form; the status code (0 when the connection broke)."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(
        f"{url}/comments/post/{post_id}", data=data, method="POST"
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(
            request, timeout=timeout
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0
