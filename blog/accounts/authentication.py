"""Logging in and out: throttled password checks, and ending sessions.

Throttling slows an attacker down without locking the owner out. Failed
logins are counted per *pair* (one account tried from one address) and per
address, in the ``login_throttles`` table so that every worker sees them.
The account is the user the login names, typed as username or email in any
case, or else the login text itself, so unknown users are throttled exactly
like known ones. The first few failures are free; each further one makes
the next try from that pair or address wait, doubling up to a cap, and a
try inside the wait is refused without checking the password.

Guesses spread over many addresses are counted for the account as a whole
too, with a much larger free budget, but only from addresses that have not
logged into that account lately: an address the owner logged in from is
*known* for a month and never waits for the account's counter, so strangers
cannot lock the owner out, only slow down one another and themselves.

A try is claimed *before* the slow password hash, by one atomic upsert per
scope that counts it as a failure (and sets the wait that failure earns)
only while the scope is not waiting, so concurrent guesses cannot all slip
through. The claim is committed before the hash, so no write lock is held
while hashing. A right password then takes its claim back: the pair's
counter is cleared, the address's (and account's) failure refunded, and
the address becomes known for the account.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, literal, select, update

from blog.accounts import passwords
from blog.accounts.users import login_matches
from blog.database import upsert
from blog.extensions import db
from blog.models import LoginThrottle, User, utcnow
from blog.models.base import UTCDateTime

#: Doublings of the delay at most (the cap is normally reached long before).
MAX_DOUBLINGS = 32
#: Expired counters deleted by one login at most.
PURGE_BATCH = 500


class AccountDeactivated(Exception):
    """The password was right, but the account is deactivated."""


class LoginThrottled(Exception):
    """Too many recent failures for this account from this address, or for
    this address: the try was refused without checking the password."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(f"login throttled for {wait}")
        self.wait = wait

    @property
    def seconds(self) -> int:
        """The wait in whole seconds, rounded up (at least one)."""
        return max(1, math.ceil(self.wait.total_seconds()))


@dataclass(frozen=True)
class ThrottleLimits:
    """How many failures are free, and how long later ones make tries wait."""

    #: Failures of one account from one address before its tries wait.
    free_failures: int = 5
    #: Failures from one address, whatever the accounts, before its tries wait.
    free_failures_per_ip: int = 20
    #: Failures of one account from addresses it is not known at, before
    #: tries from such addresses wait.
    free_failures_per_account: int = 50
    #: How long an address stays known for an account after a login from it.
    known_for: timedelta = timedelta(days=30)
    #: The wait after the first failure past the free ones; it then doubles.
    first_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(minutes=15)
    #: A counter is forgotten this long after its last wait ends.
    forget_after: timedelta = timedelta(hours=1)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottleLimits:
        """From ``LOGIN_FREE_FAILURES``, ``LOGIN_FREE_FAILURES_PER_IP``,
        ``LOGIN_FREE_FAILURES_PER_ACCOUNT``, ``LOGIN_KNOWN_ADDRESS_DAYS``,
        ``LOGIN_FIRST_DELAY``, ``LOGIN_MAX_DELAY`` and ``LOGIN_FORGET_AFTER``
        (seconds)."""
        return cls(
            free_failures=int(config["LOGIN_FREE_FAILURES"]),
            free_failures_per_ip=int(config["LOGIN_FREE_FAILURES_PER_IP"]),
            free_failures_per_account=int(config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]),
            known_for=timedelta(days=float(config["LOGIN_KNOWN_ADDRESS_DAYS"])),
            first_delay=timedelta(seconds=float(config["LOGIN_FIRST_DELAY"])),
            max_delay=timedelta(seconds=float(config["LOGIN_MAX_DELAY"])),
            forget_after=timedelta(seconds=float(config["LOGIN_FORGET_AFTER"])),
        )

    def delay(self, failures: int, free: int) -> timedelta:
        """How long the next try waits after ``failures`` failures of a scope
        that has ``free`` free ones."""
        free = max(free, 1)
        if failures < free or self.first_delay <= timedelta(0):
            return timedelta(0)
        doublings = min(failures - free, MAX_DOUBLINGS)
        return min(self.first_delay * (1 << doublings), self.max_delay)


#: A few tries free (the scope's own number), then one an hour until an hour
#: passes without any: for requests that send mail (reset links, address
#: confirmations), counted with :func:`claim_try`.
ONE_AN_HOUR = ThrottleLimits(
    first_delay=timedelta(hours=1),
    max_delay=timedelta(hours=1),
    forget_after=timedelta(hours=1),
)


def authenticate(
    login: str,
    password: str,
    ip: str,
    limits: ThrottleLimits | None = None,
    now: datetime | None = None,
) -> User | None:
    """Check a login, counting it against its throttles; commit.

    Unknown users and wrong passwords take the same time and give the same
    answer (``None``).

    :raises LoginThrottled: the account from this address, this address, or
        the account from an address it is not known at, must wait; the
        password was not checked and nothing was counted.
    :raises AccountDeactivated: the password was right, but the account is
        deactivated (said only to someone who knows the password).
    """
    limits = limits or ThrottleLimits()
    now = now or utcnow()
    login = login.strip()
    found = _find(login)
    account = f"user:{found[0]}" if found else f"login:{login.lower()}"
    scopes = throttle_scopes(account, ip)
    counted = {
        scopes.pair: limits.free_failures,
        scopes.address: limits.free_failures_per_ip,
    }
    if not is_known(scopes.known, now):
        counted[scopes.account] = limits.free_failures_per_account
    claim_try(counted, limits, now)
    correct = passwords.verify_password(found[1] if found else None, password)
    if found is None or not correct:
        return None  # counted already, by the claim
    # Hash again (if needed) before the write transaction, not inside it.
    rehashed = (
        passwords.hash_password(password) if passwords.needs_rehash(found[1]) else None
    )
    user = db.session.get(User, found[0])
    if user is None:  # deleted while the password was being checked
        db.session.rollback()
        return None
    if rehashed is not None and user.password_hash == found[1]:
        user.password_hash = rehashed
    _take_back(scopes, counted, limits, now)
    db.session.commit()
    if not user.is_active:
        raise AccountDeactivated
    return user


@dataclass(frozen=True)
class Scopes:
    """The keys in ``login_throttles`` one try is counted under."""

    pair: str
    address: str
    account: str
    #: Present (and unexpired) once the account logged in from the address.
    known: str


def throttle_scopes(account: str, ip: str) -> Scopes:
    """The keys of one try's counters.

    Accounts are hashed, so that a password typed into the login field is
    never stored; IPv6 addresses count by their /64, which one household or
    server usually holds whole.
    """
    address = _address(ip)
    digest = hashlib.sha256(f"{account}\0{address}".encode()).hexdigest()
    account_digest = hashlib.sha256(account.encode()).hexdigest()
    return Scopes(
        pair=f"pair:{digest}",
        address=f"ip:{address}",
        account=f"account:{account_digest}",
        known=f"known:{digest}",
    )


def is_known(known: str, now: datetime) -> bool:
    """Whether the account of a ``known:`` scope logged in from its address
    lately (such tries never wait for the account-wide counter)."""
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(LoginThrottle)
            .where(LoginThrottle.scope == known, LoginThrottle.expires_at > now)
        )
    )


def _address(ip: str) -> str:
    ip = ip.strip()
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:45] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed.exploded, 64), strict=False))
    return str(parsed)


def _find(login: str) -> tuple[int, str] | None:
    """The id and password hash of the user ``login`` names, if any."""
    row = db.session.execute(
        select(User.id, User.password_hash).where(login_matches(login))
    ).first()
    return (row.id, row.password_hash) if row else None


def claim_try(
    counted: dict[str, int], limits: ThrottleLimits, now: datetime | None = None
) -> None:
    """Count this try as a failure of every scope in ``counted`` (scope ->
    its free failures), unless one must wait; commit, so that the password
    is checked outside any transaction. Other throttled actions (password
    reset requests, two-factor codes) use it with scopes of their own.

    :raises LoginThrottled: with the longest of the waits (nothing counted).
    """
    now = now or utcnow()
    if all(_claim(scope, free, limits, now) for scope, free in counted.items()):
        _purge_expired(now)
        db.session.commit()
        return
    db.session.rollback()
    until = db.session.scalar(
        select(func.max(LoginThrottle.blocked_until)).where(
            LoginThrottle.scope.in_(list(counted))
        )
    )
    db.session.rollback()
    raise LoginThrottled(max(until - now, timedelta(0)) if until else timedelta(0))


def refund_try(counted: dict[str, int], now: datetime | None = None) -> None:
    """A try :func:`claim_try` counted turned out right: take its failure
    back from every scope in ``counted`` (lifting a wait it set); the
    caller commits."""
    now = now or utcnow()
    for scope, free in counted.items():
        _refund(scope, free, now)


def _claim(scope: str, free: int, limits: ThrottleLimits, now: datetime) -> bool:
    """One more failure for ``scope`` unless it is waiting, in one atomic
    upsert; whether it was counted. An expired counter starts again at one."""
    table = LoginThrottle
    expired = table.expires_at <= now
    first_delay = limits.delay(1, free)
    values = {
        "scope": scope,
        "failures": 1,
        "blocked_until": now + first_delay,
        "expires_at": now + first_delay + limits.forget_after,
    }
    changes = {
        "failures": case((expired, 1), else_=table.failures + 1),
        "blocked_until": _after_delay(expired, free, limits, now),
        "expires_at": _after_delay(expired, free, limits, now + limits.forget_after),
    }
    statement = (
        upsert(LoginThrottle)
        .values(values)
        .on_conflict_do_update(
            index_elements=[table.scope],
            set_=changes,
            where=table.blocked_until <= now,
        )
        .returning(table.failures)
    )
    return db.session.execute(statement).first() is not None


def _after_delay(
    expired: ColumnElement[bool], free: int, limits: ThrottleLimits, start: datetime
) -> ColumnElement[datetime]:
    """``start`` plus the delay earned by the failure being counted, as SQL:
    one branch per doubling, so that no database needs date arithmetic."""

    def moment(count: int) -> ColumnElement[datetime]:
        return literal(start + limits.delay(count, free), UTCDateTime())

    failures = LoginThrottle.failures + 1
    count = max(free, 1)
    branches = [(expired, moment(1)), (failures < count, moment(0))]
    while (
        timedelta(0) < limits.delay(count, free) < limits.max_delay
        and count - free < MAX_DOUBLINGS
    ):
        branches.append((failures == count, moment(count)))
        count += 1
    return case(*branches, else_=moment(count))


def _take_back(
    scopes: Scopes, counted: dict[str, int], limits: ThrottleLimits, now: datetime
) -> None:
    """A right password: clear the pair's counter, refund the failure the
    claim counted for the address (and the account), lifting the wait it may
    have set, and mark the address known for the account."""
    table = LoginThrottle
    db.session.execute(
        delete(table)
        .where(table.scope == scopes.pair)
        .execution_options(synchronize_session=False)
    )
    known_until = now + limits.known_for
    db.session.execute(
        upsert(LoginThrottle)
        .values(
            scope=scopes.known, failures=0, blocked_until=now, expires_at=known_until
        )
        .on_conflict_do_update(
            index_elements=[table.scope], set_={"expires_at": known_until}
        )
    )
    for scope, free in counted.items():
        if scope != scopes.pair:
            _refund(scope, free, now)


def _refund(scope: str, free: int, now: datetime) -> None:
    """One failure fewer for ``scope``; its wait ends if it is back within
    its free failures."""
    table = LoginThrottle
    failures = table.failures - 1
    db.session.execute(
        update(table)
        .where(table.scope == scope, table.failures > 0)
        .values(
            failures=failures,
            blocked_until=case(
                (
                    and_(failures < free, table.blocked_until > now),
                    literal(now, UTCDateTime()),
                ),
                else_=table.blocked_until,
            ),
        )
        .execution_options(synchronize_session=False)
    )


def _purge_expired(now: datetime) -> None:
    """Delete forgotten counters, a batch at a time. On PostgreSQL rows that
    other logins hold are skipped, so that the purge never waits for them."""
    expired = (
        select(LoginThrottle.scope)
        .where(LoginThrottle.expires_at <= now)
        .limit(PURGE_BATCH)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        expired = expired.with_for_update(skip_locked=True)
    db.session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.scope.in_(expired))
        .execution_options(synchronize_session=False)
    )
