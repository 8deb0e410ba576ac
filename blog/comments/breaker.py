"""A circuit breaker around Akismet, shared by every worker.

After ``AKISMET_BREAKER_FAILURES`` consecutive failures (timeouts, 5xx,
garbage, refused connections) the breaker opens: for
``AKISMET_BREAKER_SECONDS`` new comments skip Akismet and wait as
pending/unchecked, so a slow Akismet holds no worker. When the cool-down
ends, one comment is let through as a probe (half-open); its answer closes
the breaker or opens it again. The recheck job always asks Akismet, so it
too closes the breaker once Akismet answers. Any answer closes it, an
invalid key included: Akismet is reachable then.

The state lives where every worker sees it: the ``circuit_breakers`` table,
changed by single atomic statements, or Redis when
``AKISMET_BREAKER_STORAGE`` (or else ``RATELIMIT_STORAGE_URI``) is a
``redis://`` URL. If Redis fails, the breaker lets calls through.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import redis
from sqlalchemy import case, literal, or_, select, update

from blog.comments.akismet import Verdict
from blog.database import rowcount, upsert
from blog.extensions import db
from blog.models import CircuitBreaker
from blog.models.base import UTCDateTime

log = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
AKISMET = "akismet"


@dataclass(frozen=True)
class BreakerConfig:
    #: Consecutive failures that open the breaker; 0 turns it off.
    failures: int = 3
    #: Seconds it stays open before a probe is let through.
    cooldown: float = 300.0
    #: ``""`` for the database, or a ``redis://`` URL.
    storage: str = ""
    #: Keeps the Redis keys of sites sharing one Redis apart.
    namespace: str = "blog"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BreakerConfig:
        """From ``AKISMET_BREAKER_*``; Redis when the rate limits use it."""
        storage = str(config.get("AKISMET_BREAKER_STORAGE") or "")
        limits = str(config.get("RATELIMIT_STORAGE_URI") or "")
        if not storage and limits.startswith(REDIS_SCHEMES):
            storage = limits
        return cls(
            failures=int(config.get("AKISMET_BREAKER_FAILURES", 3)),
            cooldown=float(config.get("AKISMET_BREAKER_SECONDS", 300)),
            storage=storage if storage.startswith(REDIS_SCHEMES) else "",
            namespace=f"blog:{config.get('SITE_URL') or ''}",
        )


class Breaker(Protocol):
    def allow(self, now: datetime) -> bool:
        """May the service be called now? Ends the session's transaction."""

    def succeeded(self) -> None:
        """The service answered: close the breaker."""

    def failed(self, now: datetime) -> None:
        """The service failed once more; opens the breaker at the threshold."""


def breaker_for(conf: BreakerConfig, name: str = AKISMET) -> Breaker:
    """The breaker ``name`` stored as ``conf`` says."""
    if conf.failures <= 0:
        return _Off()
    if conf.storage:
        return RedisBreaker(conf, name)
    return DatabaseBreaker(conf, name)


def note(breaker: Breaker, verdict: Verdict | None, now: datetime) -> None:
    """Teach the breaker what Akismet's call gave (in the caller's transaction)."""
    if verdict == Verdict.ERROR:
        breaker.failed(now)
    elif verdict is not None and verdict != Verdict.SKIPPED:
        breaker.succeeded()


class _Off:
    def allow(self, now: datetime) -> bool:
        db.session.commit()
        return True

    def succeeded(self) -> None:
        pass

    def failed(self, now: datetime) -> None:
        pass


class DatabaseBreaker:
    """State in the ``circuit_breakers`` table. :meth:`allow` commits (the
    caller is about to wait for Akismet); the others join the caller's
    transaction, the one that stores Akismet's verdict."""

    def __init__(self, conf: BreakerConfig, name: str) -> None:
        self.conf = conf
        self.name = name

    def allow(self, now: datetime) -> bool:
        open_until = db.session.scalar(
            select(CircuitBreaker.open_until).where(CircuitBreaker.name == self.name)
        )
        allowed = open_until is None or (open_until <= now and self._claim_probe(now))
        db.session.commit()
        return allowed

    def _claim_probe(self, now: datetime) -> bool:
        """Half-open: the one caller that moves ``open_until`` on may try."""
        claimed = rowcount(
            db.session.execute(
                update(CircuitBreaker)
                .where(
                    CircuitBreaker.name == self.name, CircuitBreaker.open_until <= now
                )
                .values(open_until=now + timedelta(seconds=self.conf.cooldown))
                .execution_options(synchronize_session=False)
            )
        )
        return claimed == 1

    def succeeded(self) -> None:
        db.session.execute(
            update(CircuitBreaker)
            .where(
                CircuitBreaker.name == self.name,
                or_(
                    CircuitBreaker.failures != 0, CircuitBreaker.open_until.is_not(None)
                ),
            )
            .values(failures=0, open_until=None)
            .execution_options(synchronize_session=False)
        )

    def failed(self, now: datetime) -> None:
        """One more failure, in one atomic upsert (the first creates the row)."""
        until = now + timedelta(seconds=self.conf.cooldown)
        new_count = CircuitBreaker.failures + 1
        first_until = until if self.conf.failures <= 1 else None
        failures = db.session.execute(
            upsert(CircuitBreaker)
            .values(name=self.name, failures=1, open_until=first_until)
            .on_conflict_do_update(
                index_elements=[CircuitBreaker.name],
                set_={
                    "failures": new_count,
                    "open_until": case(
                        (
                            new_count >= self.conf.failures,
                            literal(until, UTCDateTime()),
                        ),
                        else_=CircuitBreaker.open_until,
                    ),
                },
            )
            .returning(CircuitBreaker.failures)
        ).scalar_one()
        if failures == self.conf.failures:
            _log_opened(self.name, failures, self.conf.cooldown)


class RedisBreaker:
    """State in two Redis keys: the failure count, and a key that exists
    while the breaker is open (it expires after the cool-down; whoever sets
    it again first is the probe)."""

    def __init__(self, conf: BreakerConfig, name: str) -> None:
        self.conf = conf
        self.failures_key = f"{conf.namespace}:breaker:{name}:failures"
        self.open_key = f"{conf.namespace}:breaker:{name}:open"
        self.name = name

    @property
    def client(self) -> redis.Redis:
        return _redis(self.conf.storage)

    def allow(self, now: datetime) -> bool:
        db.session.commit()
        try:
            failures = int(self.client.get(self.failures_key) or 0)
            if failures < self.conf.failures:
                return True
            return bool(
                self.client.set(self.open_key, 1, nx=True, px=self._cooldown_ms)
            )
        except redis.RedisError as error:
            log.warning("Circuit breaker unavailable (%s)", type(error).__name__)
            return True

    def succeeded(self) -> None:
        try:
            self.client.delete(self.failures_key, self.open_key)
        except redis.RedisError as error:
            log.warning("Circuit breaker unavailable (%s)", type(error).__name__)

    def failed(self, now: datetime) -> None:
        try:
            pipe = self.client.pipeline()
            pipe.incr(self.failures_key)
            pipe.expire(self.failures_key, 24 * 3600)
            failures = int(pipe.execute()[0])
            if failures >= self.conf.failures:
                self.client.set(self.open_key, 1, px=self._cooldown_ms)
            if failures == self.conf.failures:
                _log_opened(self.name, failures, self.conf.cooldown)
        except redis.RedisError as error:
            log.warning("Circuit breaker unavailable (%s)", type(error).__name__)

    @property
    def _cooldown_ms(self) -> int:
        return max(int(self.conf.cooldown * 1000), 1)


@functools.cache
def _redis(url: str) -> redis.Redis:
    """One client (and connection pool) per URL and process, quick to fail."""
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def _log_opened(name: str, failures: int, cooldown: float) -> None:
    log.warning(
        "%s failed %s times in a row; skipping it for %.0f s (comments wait "
        "as unchecked; the recheck job catches up)",
        name.capitalize(),
        failures,
        cooldown,
    )
