"""Login throttling: per (account, address) pair and per address, growing
waits instead of a lock-out, and claims that concurrent guesses cannot race.

Every call is given its time (``now``), so no test sleeps or measures time.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from blog.accounts import LoginThrottled, ThrottleLimits, authenticate, passwords
from blog.accounts.authentication import throttle_scopes
from blog.extensions import db
from blog.models import LoginThrottle, Role, User
from tests.conftest import PASSWORD

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
A, B = "203.0.113.7", "198.51.100.20"
WRONG = "not the password"
LIMITS = ThrottleLimits()


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def attempt(  # type: ignore[no-untyped-def]
    app,
    login: str,
    password: str = WRONG,
    ip: str = A,
    at: datetime = T0,
    limits: ThrottleLimits = LIMITS,
) -> str:
    """``"ok"``, ``"wrong"`` or ``"wait N"`` (seconds)."""
    with app.app_context():
        try:
            user = authenticate(login, password, ip, limits, now=at)
        except LoginThrottled as throttled:
            return f"wait {throttled.seconds}"
        return "ok" if user is not None else "wrong"


@pytest.fixture(autouse=True)
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords checked against a hash. The check is faked (argon2 is
    slow, and tested in ``test_passwords``) unless a test puts it back."""
    checked: list[str] = []

    def fake(stored_hash: str | None, password: str) -> bool:
        checked.append(password)
        return stored_hash is not None and password == PASSWORD

    monkeypatch.setattr(passwords, "verify_password", fake)
    return checked


def scopes(app) -> set[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return set(db.session.scalars(select(LoginThrottle.scope)))


def test_the_delay_doubles_from_the_first_up_to_the_cap():
    limits = ThrottleLimits(first_delay=seconds(5), max_delay=seconds(900))
    waits = [limits.delay(failures, free=5) for failures in range(1, 16)]
    assert waits[:4] == [timedelta(0)] * 4
    assert (
        waits[4:]
        == [seconds(s) for s in (5, 10, 20, 40, 80, 160, 320, 640)] + [seconds(900)] * 3
    )
    assert ThrottleLimits(first_delay=timedelta(0)).delay(100, free=5) == timedelta(0)


def test_a_strangers_failures_do_not_stop_the_owner_from_elsewhere(
    app, make_user, checks
):
    make_user(Role.EDITOR, "grace")
    tries = [attempt(app, "grace", ip=A) for _ in range(30)]
    assert tries == ["wrong"] * 5 + ["wait 5"] * 25
    assert len(checks) == 5  # the refused tries were never checked
    # The owner, from another address, at the very same moment:
    assert attempt(app, "grace", PASSWORD, ip=B) == "ok"
    # ...while the stranger's address still waits, even with the right password.
    assert attempt(app, "grace", PASSWORD, ip=A) == "wait 5"


def test_username_and_email_share_one_counter_in_any_case(app, make_user):
    make_user(Role.EDITOR, "grace")
    logins = ["grace", "GRACE@example.org", " Grace ", "grace@EXAMPLE.org", "gRaCe"]
    assert [attempt(app, login) for login in logins] == ["wrong"] * 5
    assert attempt(app, "grace@example.org") == "wait 5"
    assert attempt(app, "grace") == "wait 5"


def test_unknown_logins_are_throttled_like_known_ones(app, make_user):
    make_user(Role.EDITOR, "grace")
    known = [attempt(app, "grace", ip=A) for _ in range(7)]
    unknown = [attempt(app, " Nobody", ip=B) for _ in range(3)] + [
        attempt(app, "nobody", ip=B) for _ in range(4)
    ]
    assert known == unknown == ["wrong"] * 5 + ["wait 5"] * 2


def test_each_further_failure_makes_the_next_try_wait_longer(app, make_user, checks):
    make_user(Role.EDITOR, "grace")
    limits = ThrottleLimits(
        free_failures=2, first_delay=seconds(5), max_delay=seconds(60)
    )
    at = T0
    assert [attempt(app, "grace", at=at, limits=limits) for _ in range(2)] == [
        "wrong",
        "wrong",
    ]
    waits = []
    for _ in range(6):
        refused = attempt(app, "grace", PASSWORD, at=at, limits=limits)
        waits.append(refused)
        wait = seconds(int(refused.split()[1]))
        # Just before the end of the wait, even the right password is refused.
        almost = at + wait - seconds(0.001)
        assert attempt(app, "grace", PASSWORD, at=almost, limits=limits) == "wait 1"
        at += wait
        assert attempt(app, "grace", at=at, limits=limits) == "wrong"
    assert waits == ["wait 5", "wait 10", "wait 20", "wait 40", "wait 60", "wait 60"]
    assert len(checks) == 2 + 6  # nothing refused was checked
    at += seconds(60)
    assert attempt(app, "grace", PASSWORD, at=at, limits=limits) == "ok"
    # The right password cleared the pair's counter: two free failures again.
    tries = [attempt(app, "grace", at=at, limits=limits) for _ in range(3)]
    assert tries == ["wrong", "wrong", "wait 5"]


def test_the_address_is_limited_across_many_accounts(app, make_user):
    for n in range(5):
        make_user(Role.AUTHOR, f"author{n}")
    logins = [f"author{n}" for n in range(5)] + [f"guess{n}" for n in range(15)]
    assert [attempt(app, login, ip=A) for login in logins] == ["wrong"] * 20
    # Every account has failed once only, but the address has used its 20.
    assert attempt(app, "someone-else", ip=A) == "wait 5"
    assert attempt(app, "author0", PASSWORD, ip=A) == "wait 5"
    assert attempt(app, "author0", PASSWORD, ip=B) == "ok"


def test_ipv6_addresses_count_by_their_64_prefix():
    one = throttle_scopes("user:1", "2001:db8:1:2::1")
    two = throttle_scopes("user:1", "2001:db8:1:2:ffff::9")
    assert one.address == two.address == "ip:2001:db8:1:2::/64"
    assert one.pair == two.pair and one.pair.startswith("pair:")
    assert throttle_scopes("user:1", "2001:db8:1:3::1").address != one.address
    assert throttle_scopes("user:1", "::ffff:203.0.113.7").address == f"ip:{A}"
    assert throttle_scopes("user:1", A).address == f"ip:{A}"
    # Typed logins are never stored as such.
    assert not any("user:1" in scope for scope in vars(one).values())


def test_a_right_password_refunds_its_claim_on_the_address(app, make_user):
    make_user(Role.EDITOR, "grace")
    limits = ThrottleLimits(free_failures_per_ip=3)
    assert attempt(app, "x1", limits=limits) == attempt(app, "x2", limits=limits)
    assert attempt(app, "grace", PASSWORD, limits=limits) == "ok"
    # The success did not count: the address still has one free failure.
    assert attempt(app, "x3", limits=limits) == "wrong"
    assert attempt(app, "x4", limits=limits) == "wait 5"


def test_old_counters_are_forgotten_and_deleted(app, make_user):
    grace = make_user(Role.EDITOR, "grace")
    limits = ThrottleLimits(forget_after=timedelta(hours=1))
    for _ in range(5):
        attempt(app, "grace", ip=A, limits=limits)
    at_a = throttle_scopes(f"user:{grace.id}", A)
    grace_at_a = {at_a.pair, at_a.address, at_a.account}
    assert scopes(app) == grace_at_a
    # Still remembered an hour after the failures: the wait ended at T0 + 5 s.
    later = T0 + timedelta(hours=1)
    assert attempt(app, "grace", ip=A, at=later, limits=limits) == "wrong"
    assert attempt(app, "grace", ip=A, at=later, limits=limits) == "wait 10"
    # Forgotten an hour after the last wait ended, and deleted by any login.
    much_later = later + seconds(10) + timedelta(hours=1)
    assert attempt(app, "nobody", ip=B, at=much_later, limits=limits) == "wrong"
    nobody = throttle_scopes("login:nobody", B)
    assert scopes(app) == {nobody.pair, nobody.address, nobody.account}
    tries = [
        attempt(app, "grace", ip=A, at=much_later, limits=limits) for _ in range(6)
    ]
    assert tries == ["wrong"] * 5 + ["wait 5"]


def test_concurrent_wrong_guesses_beyond_the_allowance_are_refused(
    app, make_user, monkeypatch
):
    """15 guesses at once (threads, each with its own connection, on a real
    SQLite file or PostgreSQL): only the 5 free ones are checked."""
    make_user(Role.EDITOR, "grace")
    real, checked = passwords.verify_password, []

    def slow_and_real(stored_hash: str | None, password: str) -> bool:
        checked.append(password)
        return real(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", slow_and_real)
    barrier = threading.Barrier(15)
    outcomes: list[str] = []

    def guess() -> None:
        barrier.wait()
        try:
            outcomes.append(attempt(app, "grace"))
        except Exception as error:  # noqa: BLE001 - shown by the assertion
            outcomes.append(repr(error))

    threads = [threading.Thread(target=guess) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["wait 5"] * 10 + ["wrong"] * 5
    assert len(checked) == 5
    with app.app_context():
        failures = db.session.scalars(select(LoginThrottle.failures)).all()
    assert sorted(failures) == [5, 5, 5]  # the pair, the address, the account


def test_a_right_password_with_an_old_hash_is_hashed_again(app, make_user):
    from argon2 import PasswordHasher

    old_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    grace = make_user(Role.EDITOR, "grace")
    with app.app_context():
        db.session.get(User, grace.id).password_hash = old_hash
        db.session.commit()
    assert attempt(app, "grace", PASSWORD) == "ok"
    with app.app_context():
        stored = db.session.get(User, grace.id).password_hash
    assert stored != old_hash and not passwords.needs_rehash(stored)


def many_addresses(count: int) -> list[str]:
    return [f"192.0.2.{n}" for n in range(1, count + 1)]


ACCOUNT_LIMITS = ThrottleLimits(free_failures_per_account=6)


def test_guesses_from_many_addresses_are_slowed_for_the_account(app, make_user):
    """Two guesses from each of three addresses use the account's free six;
    the next address, new to the account, waits although it never failed."""
    make_user(Role.EDITOR, "grace")
    tries = [
        attempt(app, "grace", ip=ip, limits=ACCOUNT_LIMITS)
        for ip in many_addresses(3)
        for _ in range(2)
    ]
    assert tries == ["wrong"] * 6
    assert attempt(app, "grace", ip="192.0.2.99", limits=ACCOUNT_LIMITS) == "wait 5"
    # Slowed, not locked: once the wait is over, a try is checked again.
    later = T0 + seconds(5)
    assert attempt(app, "grace", PASSWORD, ip=B, at=later, limits=ACCOUNT_LIMITS) == (
        "ok"
    )


def test_the_owner_at_a_known_address_never_waits_for_the_account(app, make_user):
    make_user(Role.EDITOR, "grace")
    assert attempt(app, "grace", PASSWORD, ip=B, limits=ACCOUNT_LIMITS) == "ok"
    for ip in many_addresses(3):
        for _ in range(2):
            attempt(app, "grace", ip=ip, at=T0 + seconds(1), limits=ACCOUNT_LIMITS)
    at = T0 + seconds(2)
    assert attempt(app, "grace", ip="192.0.2.99", at=at, limits=ACCOUNT_LIMITS) == (
        "wait 4"
    )
    assert attempt(app, "grace", PASSWORD, ip=B, at=at, limits=ACCOUNT_LIMITS) == "ok"


def test_a_known_address_is_forgotten_after_a_while(app, make_user):
    make_user(Role.EDITOR, "grace")
    limits = ThrottleLimits(free_failures_per_account=1, known_for=timedelta(days=30))
    assert attempt(app, "grace", PASSWORD, ip=B, limits=limits) == "ok"
    assert attempt(app, "grace", ip=A, limits=limits) == "wrong"
    assert attempt(app, "grace", PASSWORD, ip=B, limits=limits) == "ok"  # known
    month = T0 + timedelta(days=31)
    assert attempt(app, "grace", ip=A, at=month, limits=limits) == "wrong"
    assert attempt(app, "grace", PASSWORD, ip=B, at=month, limits=limits) == "wait 5"
