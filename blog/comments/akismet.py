"""The Akismet client (``akismet`` package): comment-check, submit-spam,
submit-ham and verify-key.

Akismet is reached through an ``httpx.Client`` whose transport sends every
request to ``AKISMET_API_URL`` (the package hard-codes Akismet's own host).
httpx's timeout bounds each read, so a server that answers a line at a time
could still hold a request for ever: every call therefore runs in a small
pool of threads and is given up after ``timeout`` seconds *in total*.
Nothing here touches the database: callers pass plain data in and get a
verdict back, so a slow Akismet never holds a lock. The API key never
reaches a log.
"""

from __future__ import annotations

import enum
import functools
import logging
import ssl
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import akismet
import httpx

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Threads that wait on Akismet, so that requests wait at most ``timeout``.
#: When all are stuck on a slow server, calls queue and time out, which the
#: circuit breaker counts as failures.
_CALLS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="akismet")


class Verdict(enum.StrEnum):
    HAM = "ham"
    SPAM = "spam"
    DISCARD = "discard"  # blatant spam (the X-akismet-pro-tip header)
    ERROR = "error"  # unreachable, slow, 5xx, garbage: retry later
    INVALID_KEY = "invalid_key"
    #: Not asked: Akismet failed repeatedly and the circuit breaker is open
    #: (:mod:`blog.comments.breaker`); the recheck job asks later.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class AkismetConfig:
    key: str = ""
    blog_url: str = ""
    api_url: str = "https://rest.akismet.com"
    timeout: float = 2.0
    is_test: bool = False

    @property
    def enabled(self) -> bool:
        return bool(self.key)


class _RedirectTransport(httpx.BaseTransport):
    """Send each request to the configured base URL instead of rest.akismet.com."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.scheme = parts.scheme or "https"
        self.host = parts.hostname or "rest.akismet.com"
        self.port = parts.port
        self.prefix = parts.path.rstrip("/")
        self.inner = httpx.HTTPTransport(verify=_tls_context())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.scheme,
            host=self.host,
            port=self.port,
            path=self.prefix + request.url.path,
        )
        request.headers["Host"] = request.url.netloc.decode("ascii")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings (certificate checks on), made once per
    process: loading the CA certificates takes about 15 ms of CPU, which a
    new transport per call otherwise spends on every comment posted."""
    return httpx.create_ssl_context()


@contextmanager
def _client(conf: AkismetConfig) -> Iterator[akismet.SyncClient]:
    http = httpx.Client(
        transport=_RedirectTransport(conf.api_url),
        timeout=conf.timeout,
        headers={"User-Agent": akismet.USER_AGENT},
    )
    try:
        yield akismet.SyncClient(
            config=akismet.Config(key=conf.key, url=conf.blog_url), http_client=http
        )
    finally:
        http.close()


def _within(conf: AkismetConfig, call: Callable[[], T]) -> T:
    """``call()``, given up after ``conf.timeout`` seconds in total.

    :raises httpx.TimeoutException: it took longer (the thread finishes on
        its own, bounded by httpx's timeout for each read).
    """
    future = _CALLS.submit(call)
    try:
        return future.result(timeout=conf.timeout)
    except FutureTimeout as error:
        future.cancel()
        raise httpx.TimeoutException("Akismet took too long in total") from error


def _fields(conf: AkismetConfig, params: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        k: v
        for k, v in params.items()
        if k in akismet.AkismetArguments.__optional_keys__ and v not in ("", None)
    }
    if conf.is_test:
        fields["is_test"] = 1
    return fields


def check(conf: AkismetConfig, params: Mapping[str, Any]) -> Verdict:
    """Ask Akismet's comment-check; never raises.

    :param params: Akismet's fields (``user_ip``, ``comment_content``, ...).
    """

    def ask() -> akismet.CheckResponse:
        with _client(conf) as client:
            return client.comment_check(
                str(params.get("user_ip", "")), **_fields(conf, params)
            )

    try:
        answer = _within(conf, ask)
    except akismet.APIKeyError:
        log.warning("Akismet refused the API key; comments go to moderation.")
        return Verdict.INVALID_KEY
    except (akismet.AkismetError, httpx.HTTPError, OSError) as error:
        log.warning("Akismet comment-check failed: %s", type(error).__name__)
        return Verdict.ERROR
    if answer == akismet.CheckResponse.DISCARD:
        return Verdict.DISCARD
    if answer == akismet.CheckResponse.SPAM:
        return Verdict.SPAM
    return Verdict.HAM


def submit(conf: AkismetConfig, params: Mapping[str, Any], *, spam: bool) -> bool:
    """Teach Akismet (submit-spam / submit-ham); ``False`` when that failed."""
    if not conf.enabled or not params:
        return False

    def send() -> bool:
        with _client(conf) as client:
            teach = client.submit_spam if spam else client.submit_ham
            return bool(teach(str(params.get("user_ip", "")), **_fields(conf, params)))

    try:
        return _within(conf, send)
    except (akismet.AkismetError, httpx.HTTPError, OSError) as error:
        log.warning("Akismet submit failed: %s", type(error).__name__)
        return False


def verify_key(conf: AkismetConfig, key: str) -> bool | None:
    """``True``/``False`` for a valid/invalid key, ``None`` when unreachable."""

    def verify() -> bool:
        with _client(conf) as client:
            return bool(client.verify_key(key, conf.blog_url))

    try:
        return _within(conf, verify)
    except (akismet.AkismetError, httpx.HTTPError, OSError) as error:
        log.warning("Akismet verify-key failed: %s", type(error).__name__)
        return None
