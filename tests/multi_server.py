"""Several real app servers on one PostgreSQL and one Redis, behind a real
nginx configured from ``deploy/nginx/`` (for the two-server test).

Each gunicorn serves a listening socket this process holds, as systemd's
``blog.socket`` holds it for ``blog.service``: while a server restarts,
connections wait in the socket's queue instead of being refused.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
from PIL import Image
from sqlalchemy import create_engine, text

from blog import create_app, resource_dir
from blog.accounts import passwords
from blog.extensions import db
from blog.media import Uploads
from blog.media.files import store_upload
from blog.models import Media, Role, User, utcnow
from blog.posts import publishing
from blog.posts.editing import PostInput
from blog.views.context import public_url
from tests.gunicorn_server import VENV_BIN, free_port

REPOSITORY = Path(__file__).resolve().parent.parent
DEPLOY_NGINX = REPOSITORY / "deploy" / "nginx"
#: The services the scenario needs; a test may point one elsewhere to see
#: the skip.
POSTGRES_ADDRESS = ("127.0.0.1", 5432)
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_ADDRESS = ("127.0.0.1", 6379)
REDIS_DB = 11
NGINX = Path("/usr/sbin/nginx")
SECRET_KEY = "two-servers-test-secret-key-not-for-production"


def _answers(address: tuple[str, int]) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(address) == 0


def missing_service() -> str | None:
    """Why the scenario cannot run here, or ``None``."""
    if not _answers(POSTGRES_ADDRESS):
        return "PostgreSQL does not answer at {}:{}".format(*POSTGRES_ADDRESS)
    if not _answers(REDIS_ADDRESS):
        return "Redis does not answer at {}:{}".format(*REDIS_ADDRESS)
    if not os.access(NGINX, os.X_OK):
        return f"nginx is not installed at {NGINX}"
    return None


# PostgreSQL and Redis --------------------------------------------------------


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema for this run; its database URL (dropped afterwards)."""
    schema = f"two_servers_{uuid.uuid4().hex[:8]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@contextmanager
def redis_namespace() -> Iterator[str]:
    """A key prefix of this run's own; its keys are deleted afterwards."""
    prefix = f"two-servers-{uuid.uuid4().hex[:8]}"
    try:
        yield prefix
    finally:
        client = redis.Redis(*REDIS_ADDRESS, db=REDIS_DB)
        keys = list(client.scan_iter(match=f"*{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def server_env(database_url: str, instance: Path, prefix: str) -> dict[str, str]:
    """What every app server gets: one database, one Redis, one secret."""
    redis_url = "redis://{}:{}/{}".format(*REDIS_ADDRESS, REDIS_DB)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOG_")}
    env.update(
        BLOG_SECRET_KEY=SECRET_KEY,
        BLOG_SQLALCHEMY_DATABASE_URI=database_url,
        BLOG_INSTANCE_PATH=str(instance),  # one uploads folder, as if shared
        BLOG_PROXY_FIX_X_FOR="1",
        BLOG_RATELIMIT_STORAGE_URI=redis_url,
        BLOG_RATELIMIT_KEY_PREFIX=prefix,
        BLOG_RATELIMIT_COMMENT="3 per 10 seconds",
        BLOG_CACHE_REDIS_URL=redis_url,
        BLOG_CACHE_KEY_PREFIX=prefix,
        BLOG_CACHE_SHARED_SECONDS="1",
        BLOG_COMMENT_FLOOD_SECONDS="5",
        BLOG_COMMENT_MIN_SECONDS="0",
        BLOG_AKISMET_API_KEY='""',
        BLOG_MAIL_SERVER='""',
    )
    return env


@dataclass(frozen=True)
class Seeded:
    admin: str
    password: str
    article_id: int
    article_path: str
    #: Uploads, by stored name: an image, one of its resized copies, a PDF.
    image: str
    variant: str
    attachment: str


def seed(env: dict[str, str], password: str) -> Seeded:
    """``flask db upgrade``, then an admin and one published article."""
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "blog", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("BLOG_")}
    os.environ["BLOG_INSTANCE_PATH"] = env["BLOG_INSTANCE_PATH"]
    try:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": env["BLOG_SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": SECRET_KEY,
            }
        )
    finally:
        del os.environ["BLOG_INSTANCE_PATH"]
        os.environ.update(saved)
    with app.app_context():
        admin = User(
            username="admin",
            email="admin@example.org",
            display_name="Admin",
            slug="admin",
            role=Role.ADMIN,
            password_hash=passwords.hash_password(password),
        )
        db.session.add(admin)
        db.session.commit()
        post = publishing.save_post(
            admin,
            PostInput(title="Two servers", body="One article.", publish_at=utcnow()),
            action=publishing.SaveAction.PUBLISH,
        )
        with app.test_request_context():
            path = public_url(post)
        image, attachment = _uploads(Uploads.of(app), admin)
        seeded = Seeded(
            "admin",
            password,
            post.id,
            path,
            image.filename,
            image.variants[0].filename,
            attachment.filename,
        )
        db.session.remove()
        db.engine.dispose()
    return seeded


def _uploads(uploads: Uploads, admin: User) -> tuple[Media, Media]:
    """An image wide enough for a resized copy, and a PDF (committed)."""
    png = io.BytesIO()
    Image.new("RGB", (400, 20), "teal").save(png, format="PNG")
    image = store_upload(png, uploads, original_name="wide.png", uploader=admin)
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    attachment = store_upload(pdf, uploads, original_name="Report.pdf", uploader=admin)
    db.session.commit()
    return image, attachment


# gunicorn ------------------------------------------------------------------


@dataclass
class AppServer:
    """One gunicorn (2 workers) on a listening socket held by this process."""

    name: str
    env: dict[str, str]
    log_path: Path
    listener: socket.socket = field(init=False)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        fd = self.listener.fileno()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "-w",
                    "2",
                    "-b",
                    f"fd://{fd}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "20",
                    "blog:create_app()",
                ],
                env=self.env,
                pass_fds=(fd,),
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=3):
                    return
            except OSError:  # still importing the app: the request waited
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start: {self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM (gunicorn finishes the requests it has), and wait."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.listener.close()

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]


# nginx -----------------------------------------------------------------------


def _replace_once(conf: str, old: str, new: str) -> str:
    assert conf.count(old) == 1, f"deploy/nginx/blog.conf no longer has {old!r}"
    return conf.replace(old, new)


def render_site(
    prefix: Path, port: int, upstreams: list[str], static: Path, uploads: Path
) -> str:
    """``deploy/nginx/blog.conf`` with this machine's ports and folders;
    every other directive as documented."""
    conf = (DEPLOY_NGINX / "blog.conf").read_text()
    conf = _replace_once(
        conf,
        "proxy_cache_path /var/cache/nginx-blog ",
        f"proxy_cache_path {prefix}/cache ",
    )
    documented = "    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n"
    conf = _replace_once(
        conf,
        documented,
        "".join(documented.replace("127.0.0.1:8000", u) for u in upstreams),
    )
    conf = _replace_once(
        conf, "    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{port};\n"
    )
    conf = _replace_once(
        conf,
        "alias /srv/blog/venv/lib/python3.11/site-packages/blog/static/;",
        f"alias {static}/;",
    )
    return _replace_once(
        conf, "alias /srv/blog/instance/uploads/$1;", f"alias {uploads}/$1;"
    )


MAIN_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format cache '$remote_addr "$request" $status $upstream_addr '
                     '$upstream_status $upstream_cache_status $request_time';
    access_log {prefix}/access.log cache;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include blog.conf;
}}
"""


@dataclass
class Nginx:
    prefix: Path
    upstreams: list[str]
    uploads: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def conf(self) -> Path:
        return self.prefix / "conf" / "nginx.conf"

    def write_config(self) -> None:
        """nginx.conf (this run's paths), blog.conf rendered from deploy/,
        and deploy/'s blog-proxy-cache.conf as it is."""
        snippets = self.prefix / "conf" / "snippets"
        snippets.mkdir(parents=True, exist_ok=True)
        (self.prefix / "tmp").mkdir(exist_ok=True)
        shutil.copy(DEPLOY_NGINX / "blog-proxy-cache.conf", snippets)
        site = render_site(
            self.prefix, self.port, self.upstreams, resource_dir("static"), self.uploads
        )
        (self.prefix / "conf" / "blog.conf").write_text(site)
        # As root, nginx's workers would run as nobody, who cannot read pytest's
        # private folders.
        user = "user root root;" if os.geteuid() == 0 else ""
        self.conf.write_text(MAIN_CONF.format(prefix=self.prefix, user=user))

    def start(self) -> None:
        self.write_config()
        command = [str(NGINX), "-p", str(self.prefix), "-c", str(self.conf)]
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not _answers(("127.0.0.1", self.port)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.log_tail())
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def log_tail(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
