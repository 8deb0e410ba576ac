"""A reader's browser for tests that talk HTTP to real servers: a cookie
jar, no automatic redirects, a loopback address of its own, and the hidden
fields of a page's form."""

from __future__ import annotations

import functools
import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar

from tests.gunicorn_server import NoRedirect


@dataclass(frozen=True)
class Reply:
    status: int  # 0: the connection failed
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class _FromAddress(urllib.request.HTTPHandler):
    """Connect from one loopback address (Linux answers on all of 127/8)."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req: urllib.request.Request):  # type: ignore[no-untyped-def]
        connection = functools.partial(
            http.client.HTTPConnection, source_address=(self.address, 0)
        )
        return self.do_open(connection, req)


class Browser:
    """A reader at ``address``: a cookie jar (cookies, as in a browser, go to
    every port of 127.0.0.1), no automatic redirects."""

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            _FromAddress(address),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect,
        )

    def get(
        self, url: str, headers: dict[str, str] | None = None, timeout: float = 30
    ) -> Reply:
        return self._open(urllib.request.Request(url, headers=headers or {}), timeout)

    def post(self, url: str, fields: dict[str, str], timeout: float = 30) -> Reply:
        """The form's fields, from a page of the same origin (as a browser
        says in ``Origin`` and ``Sec-Fetch-Site``)."""
        origin = "/".join(url.split("/", 3)[:3])
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"},
            method="POST",
        )
        return self._open(request, timeout)

    def _open(self, request: urllib.request.Request, timeout: float) -> Reply:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return _reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return _reply(error.code, error.headers, error.read())
        except OSError as error:
            return Reply(0, {}, str(error).encode())


def _reply(status: int, headers: object, body: bytes) -> Reply:
    items = headers.items()  # type: ignore[attr-defined]
    return Reply(status, {k.lower(): v for k, v in items}, body)


class _FormFields(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside = action, False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = self.action in values.get("action", "")
        elif tag == "input" and self.inside and values.get("type") == "hidden":
            self.fields[values.get("name", "")] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden inputs of the page's form posting to ``action``."""
    parser = _FormFields(action)
    parser.feed(page)
    return parser.fields
