"""Comment POSTs as a reader's browser sends them, one after another.

Each POST follows a GET of the article, whose form gives the fields to
send back: the signed ``ts`` timestamp, the parent, the honeypot, and the
session CSRF token when the form still carries one (then with the session
cookie the GET set). Only the POST is timed: from opening the connection
to the end of the ``303`` answer (gunicorn's sync workers close every
connection, so each request opens one, as wrk's do not).
"""

from __future__ import annotations

import http.client
import statistics
import time
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from blog.comments import akismet

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) bench/1.0"


@dataclass(frozen=True)
class Posts:
    """Timings (ms) of ``len(timings)`` comment POSTs and where they went."""

    timings: list[float]
    held: int  # answered with the held-comment page (moderation)
    approved: int
    csrf_field: bool  # the form carried a session CSRF token

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p99(self) -> float:
        return percentile(self.timings, 99)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(int(round(p / 100 * len(ordered) + 0.5)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


class CommentForm(HTMLParser):
    """The fields of the first form posting to ``/comments/post/``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action = ""
        self.fields: dict[str, str] = {}
        self._inside = False
        self._done = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and "/comments/post/" in values.get("action", ""):
            if not self._done:
                self._inside, self.action = True, values["action"]
        elif self._inside and tag == "input" and values.get("name"):
            kind = values.get("type", "text")
            if kind in ("submit", "button") or (
                kind == "checkbox" and "checked" not in values
            ):
                return
            self.fields[values["name"]] = values.get("value", "")
        elif self._inside and tag == "textarea" and values.get("name"):
            self._textarea = values["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


def _request(
    base: str, method: str, path: str, body: bytes = b"", headers: Any = None
) -> tuple[int, dict[str, list[str]], bytes]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=30
    )
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        found: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found, data
    finally:
        connection.close()


def post_comments(base: str, article: str, count: int, label: str) -> Posts:
    """``count`` comments on ``article``, each from a new reader (so each is
    held for moderation, the site's default for a first comment)."""
    timings: list[float] = []
    held = approved = 0
    csrf_field = False
    for n in range(count):
        status, headers, page = _request(
            base, "GET", article, headers={"User-Agent": USER_AGENT}
        )
        assert status == 200, (article, status)
        form = CommentForm()
        form.feed(page.decode())
        assert form.action, "no comment form on the article"
        csrf_field = csrf_field or "csrf_token" in form.fields
        fields = {
            **form.fields,
            "name": f"Bench Reader {label} {n}",
            "email": f"bench-{label}-{n}-{time.time_ns()}@example.net",
            "url": "",
            "comment": f"Bench comment {label} {n}: thank you for the garden notes.",
        }
        cookies = "; ".join(
            value.split(";", 1)[0] for value in headers.get("set-cookie", [])
        )
        post_headers = {
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": base,
            "Referer": base + article,
            "Sec-Fetch-Site": "same-origin",
            **({"Cookie": cookies} if cookies else {}),
        }
        body = urllib.parse.urlencode(fields).encode()
        started = time.perf_counter()
        status, headers, _ = _request(base, "POST", form.action, body, post_headers)
        timings.append((time.perf_counter() - started) * 1000)
        location = headers.get("location", [""])[0]
        if status != 303:
            raise RuntimeError(f"comment POST answered {status}, not 303")
        if "/comments/" in urllib.parse.urlsplit(location).path:
            held += 1
        else:
            approved += 1
    return Posts(timings, held, approved, csrf_field)


def akismet_round_trips(url: str, key: str, count: int = 50) -> list[float]:
    """The app's own comment-check call (a new HTTP client and connection
    each time, as the app makes it) against the local Akismet, in ms."""
    conf = akismet.AkismetConfig(key=key, blog_url="http://127.0.0.1", api_url=url)
    params = {
        "user_ip": "192.0.2.7",
        "user_agent": USER_AGENT,
        "comment_type": "comment",
        "comment_author": "Bench Reader",
        "comment_content": "Thank you for the garden notes.",
    }
    timings = []
    for _ in range(count + 5):
        started = time.perf_counter()
        verdict = akismet.check(conf, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert verdict == akismet.Verdict.HAM, verdict
    return timings[5:]  # the first calls import and warm up
