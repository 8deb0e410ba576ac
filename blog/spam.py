"""Spam checking: Akismet through the ``akismet`` package, and local rules.

Akismet is reached through an ``httpx.Client`` whose transport sends every
request to ``AKISMET_API_URL`` (the package hard-codes Akismet's own host),
with a bounded timeout. Nothing here touches the database: callers pass
plain data in and get a verdict back, so a slow Akismet never holds a lock.
The API key never reaches a log.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import akismet
import httpx

log = logging.getLogger(__name__)


class Verdict(enum.StrEnum):
    HAM = "ham"
    SPAM = "spam"
    DISCARD = "discard"  # blatant spam (the X-akismet-pro-tip header)
    ERROR = "error"  # unreachable, slow, 5xx, garbage: retry later
    INVALID_KEY = "invalid_key"


@dataclass(frozen=True)
class AkismetConfig:
    key: str
    blog_url: str
    api_url: str = "https://rest.akismet.com"
    timeout: float = 2.0
    is_test: bool = False

    @property
    def enabled(self) -> bool:
        return bool(self.key)


def akismet_config(
    config: Mapping[str, Any], settings: Mapping[str, Any]
) -> AkismetConfig:
    """The Akismet set-up from app config and site settings (the dashboard wins)."""
    return AkismetConfig(
        key=str(settings.get("akismet_api_key") or config.get("AKISMET_API_KEY") or ""),
        blog_url=str(config.get("AKISMET_BLOG_URL") or config.get("SITE_URL") or ""),
        api_url=str(config.get("AKISMET_API_URL") or "https://rest.akismet.com"),
        timeout=float(config.get("AKISMET_TIMEOUT") or 2.0),
        is_test=config.get("ENV") != "production",
    )


class _RedirectTransport(httpx.BaseTransport):
    """Send each request to the configured base URL instead of rest.akismet.com."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.scheme = parts.scheme or "https"
        self.host = parts.hostname or "rest.akismet.com"
        self.port = parts.port
        self.prefix = parts.path.rstrip("/")
        self.inner = httpx.HTTPTransport()

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
    try:
        with _client(conf) as client:
            answer = client.comment_check(
                str(params.get("user_ip", "")), **_fields(conf, params)
            )
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
    try:
        with _client(conf) as client:
            send = client.submit_spam if spam else client.submit_ham
            return bool(send(str(params.get("user_ip", "")), **_fields(conf, params)))
    except (akismet.AkismetError, httpx.HTTPError, OSError) as error:
        log.warning("Akismet submit failed: %s", type(error).__name__)
        return False


def verify_key(conf: AkismetConfig, key: str) -> bool | None:
    """``True``/``False`` for a valid/invalid key, ``None`` when unreachable."""
    try:
        with _client(conf) as client:
            return client.verify_key(key, conf.blog_url)
    except (akismet.AkismetError, httpx.HTTPError, OSError) as error:
        log.warning("Akismet verify-key failed: %s", type(error).__name__)
        return None


# Local rules ---------------------------------------------------------------

_LINK_RE = re.compile(r"\b(?:https?://|www\.)", re.IGNORECASE)


def count_links(text: str) -> int:
    """Links a comment carries, counted as WordPress does (roughly): each URL."""
    return len(_LINK_RE.findall(text))


def word_list(text: str) -> list[str]:
    """One word or phrase per line, as typed in the Discussion settings."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def matching_word(words: Iterable[str], fields: Iterable[str]) -> str | None:
    """The first word found (case-insensitive, inside words too) in any field."""
    haystacks = [field.lower() for field in fields if field]
    for word in words:
        needle = word.lower()
        if any(needle in haystack for haystack in haystacks):
            return word
    return None


def local_rules(
    fields: list[str],
    settings: Mapping[str, Any],
    *,
    hold_reason: str = "",
    approved_before: Callable[[], bool] = lambda: True,
) -> tuple[str, str]:
    """WordPress's discussion rules, in its order: (status, reason).

    :param fields: the comment's text first, then name, email, website, IP.
    :param hold_reason: why the submission already looked suspicious.
    :param approved_before: asked only when the setting needs it.
    """
    words = word_list(str(settings.get("comments_disallowed_words") or ""))
    if found := matching_word(words, fields):
        return "trash", f"Contains the disallowed word “{found}”"
    words = word_list(str(settings.get("comments_moderation_words") or ""))
    if found := matching_word(words, fields):
        return "pending", f"Contains the moderation word “{found}”"
    max_links = int(settings.get("comments_max_links") or 0)
    links = count_links(fields[0])
    if max_links and links >= max_links:
        return "pending", f"Contains {links} links"
    if hold_reason:
        return "pending", hold_reason
    if settings.get("comments_manual_approval"):
        return "pending", "Every comment is approved by hand"
    if settings.get("comments_previously_approved") and not approved_before():
        return "pending", "First comment from this author"
    return "approved", ""
