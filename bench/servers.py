"""The processes a benchmark run starts and stops: gunicorn, nginx and the
local Akismet, plus installing nginx and wrk when they are missing.

Every server binds 127.0.0.1 on a free port, keeps its files in the run's
temporary folder and is stopped by its own process id at the end.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.gunicorn_server import stop

VENV_BIN = Path(sys.executable).parent
REPOSITORY = Path(__file__).resolve().parent.parent
#: The nginx site and page-cache directives the README documents.
DEPLOY_NGINX = REPOSITORY / "deploy" / "nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_tools(*names: str) -> None:
    """Install Debian's packages for missing commands (``nginx``, ``wrk``),
    as ``.ci/run`` does. The bench never uses the package's own nginx
    service: it starts an instance of its own (:class:`Nginx`)."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    if shutil.which("apt-get") is None:
        raise SystemExit(f"missing {', '.join(missing)} and no apt-get to install it")
    apt = ["apt-get"] if os.geteuid() == 0 else ["sudo", "-n", "apt-get"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"installing {' '.join(missing)} with apt-get", flush=True)
    subprocess.run([*apt, "update", "-qq"], env=env, check=True)
    subprocess.run([*apt, "install", "-y", "-qq", *missing], env=env, check=True)


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited early ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:  # refused, reset or timed out while starting
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@dataclass
class Gunicorn:
    """``gunicorn -w <workers>`` (sync workers) serving the app."""

    env: dict[str, str]
    log: Path
    workers: int = 4
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "-w",
                    str(self.workers),
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "blog:create_app()",
                ],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        wait_ready(self.url + "/", self.process)
        return self

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@dataclass
class Nginx:
    """One nginx (its own prefix, config and pid file; ``daemon off``) with
    two sites: a static copy of rendered pages, and deploy/nginx/blog.conf
    (which includes blog-proxy-cache.conf) in front of the app, rendered
    with this run's ports and folders as the two-server test renders it."""

    prefix: Path
    static_root: Path
    upstream: str  # host:port of the app
    uploads: Path
    static_port: int = field(default_factory=free_port)
    proxy_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def static_url(self) -> str:
        return f"http://127.0.0.1:{self.static_port}"

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def conf(self) -> Path:
        return self.prefix / "conf" / "nginx.conf"

    def write_config(self) -> None:
        """nginx.conf: Debian's defaults (a worker per core, sendfile), no
        access log for either site (a line per request would fill the disk
        at these rates), the static site, then the documented blog site."""
        from blog import resource_dir
        from tests.multi_server import render_site

        snippets = self.prefix / "conf" / "snippets"
        snippets.mkdir(parents=True, exist_ok=True)
        (self.prefix / "tmp").mkdir(exist_ok=True)
        shutil.copy(DEPLOY_NGINX / "blog-proxy-cache.conf", snippets)
        site = render_site(
            self.prefix,
            self.proxy_port,
            [self.upstream],
            resource_dir("static"),
            self.uploads,
        )
        (self.prefix / "conf" / "blog.conf").write_text(site)
        tmp = self.prefix / "tmp"
        self.conf.write_text(
            f"""\
{_user_line()}worker_processes auto;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{self.static_port};
        root {self.static_root};
        index index.html;
    }}
    include blog.conf;
}}
"""
        )

    def start(self, probe_path: str = "/") -> Nginx:
        self.write_config()
        command = ["nginx", "-p", str(self.prefix), "-c", str(self.conf)]
        errors = ["-e", str(self.prefix / "error.log")]
        check = subprocess.run(
            [*command, *errors, "-t", "-q"], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.process = subprocess.Popen(
            [*command, *errors, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_ready(self.static_url + probe_path, self.process)
        wait_ready(self.proxy_url + probe_path, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, signal.SIGQUIT)  # graceful: workers finish


def _user_line() -> str:
    """Workers of a root nginx run as Debian's www-data (the default user,
    ``nobody``, has no group of that name on Debian)."""
    if os.geteuid() != 0:
        return ""
    try:
        pwd.getpwnam("www-data")
    except KeyError:
        return "user nobody nogroup;\n"
    return "user www-data;\n"


@dataclass
class Akismet:
    """tests/akismet_server.py in a process of its own (answers "ham")."""

    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    def start(self) -> Akismet:
        code = (
            "import sys, threading\n"
            "from tests.akismet_server import AkismetServer\n"
            "server = AkismetServer().start()\n"
            "print(server.url, flush=True)\n"
            "sys.stdin.read()\n"  # until the bench closes our stdin
            "server.stop()\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=REPOSITORY,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().decode().strip()
        if not self.url.startswith("http"):
            raise RuntimeError("the local Akismet did not start")
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            stop(self.process)
