"""A local server that speaks Akismet's REST protocol, for tests.

``/1.1/verify-key``, ``/1.1/comment-check``, ``/1.1/submit-spam`` and
``/1.1/submit-ham``. Set ``mode`` to choose the answer: ``ham``, ``spam``,
``discard`` (spam with ``X-akismet-pro-tip: discard``), ``invalid`` (the
key is refused), ``500``, ``garbage`` or ``hang`` (sleeps ``hang_seconds``,
longer than the client's timeout, then answers). Every request is recorded.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

VALID_KEY = "test-akismet-key"


@dataclass
class Recorded:
    path: str
    fields: dict[str, str]


class AkismetServer:
    def __init__(self) -> None:
        self.mode = "ham"
        self.hang_seconds = 3.0
        #: In ``drip`` mode, seconds between two header lines (each read
        #: arrives well within the client's timeout, the whole answer not).
        self.drip_seconds = 0.2
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        # Stopping waits for the loop's next look: 0.5 s by default, on
        # every test that uses this server.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> AkismetServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes any hanging handler
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def calls(self, endpoint: str) -> list[dict[str, str]]:
        with self._lock:
            return [r.fields for r in self.requests if r.path.endswith(endpoint)]

    def _record(self, path: str, fields: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(Recorded(path, fields))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _reply(self, status: int, body: str, headers=None) -> None:  # type: ignore[no-untyped-def]
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                fields = {k: v[0] for k, v in parse_qs(raw).items()}
                server._record(self.path, fields)
                mode = server.mode
                if mode == "hang":
                    server._stop.wait(server.hang_seconds)
                    return self._reply(200, "false")
                if mode == "drip":  # a valid answer, one header line at a time
                    self.send_response(200)
                    for n in range(int(server.hang_seconds / server.drip_seconds)):
                        if server._stop.wait(server.drip_seconds):
                            break
                        self.send_header(f"X-Drip-{n}", "x")
                        self.wfile.flush()
                    return self._reply(200, "false")
                if mode == "500":
                    return self._reply(500, "Internal Server Error")
                if mode == "garbage":
                    return self._reply(200, "<html>what?</html>")
                key = fields.get("key") or fields.get("api_key")
                if mode == "invalid" or key != VALID_KEY:
                    return self._reply(200, "invalid")
                if self.path.endswith("/verify-key"):
                    return self._reply(200, "valid")
                if self.path.endswith("/comment-check"):
                    if mode == "spam":
                        return self._reply(200, "true")
                    if mode == "discard":
                        return self._reply(
                            200, "true", {"X-akismet-pro-tip": "discard"}
                        )
                    return self._reply(200, "false")
                if self.path.endswith(("/submit-spam", "/submit-ham")):
                    return self._reply(200, "Thanks for making the web a better place.")
                return self._reply(404, "not found")

            do_GET = do_POST

        return Handler


def wait_until(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
