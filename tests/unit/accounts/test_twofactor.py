"""Two-factor login's rules: the TOTP step rule (drift, once only), recovery
codes (format, hashing, single use), the pending login, and the admin reset."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from blog.accounts import twofactor
from blog.accounts.authentication import ThrottleLimits
from blog.extensions import db
from blog.models import AccountEvent, RecoveryCode, Role, User

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 3, 1, 12, 0, 10, tzinfo=UTC)


def code_at(moment: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


def step_of(moment: datetime) -> int:
    return int(moment.timestamp()) // twofactor.STEP_SECONDS


def test_the_current_code_is_accepted_for_its_step():
    assert twofactor.accepted_step(SECRET, code_at(NOW), NOW, None) == step_of(NOW)
    spaced = code_at(NOW)[:3] + " " + code_at(NOW)[3:]
    assert twofactor.accepted_step(SECRET, spaced, NOW, None) == step_of(NOW)


@pytest.mark.parametrize("shift", [-30, 30])
def test_one_step_of_clock_drift_either_way_is_accepted(shift):
    moment = NOW + timedelta(seconds=shift)
    assert twofactor.accepted_step(SECRET, code_at(moment), NOW, None) == step_of(
        moment
    )


@pytest.mark.parametrize("shift", [-90, -60, 60, 90])
def test_codes_two_steps_away_are_refused(shift):
    moment = NOW + timedelta(seconds=shift)
    assert twofactor.accepted_step(SECRET, code_at(moment), NOW, None) is None


def test_a_code_works_once_and_never_after_a_later_one():
    current = step_of(NOW)
    assert twofactor.accepted_step(SECRET, code_at(NOW), NOW, current) is None
    earlier = NOW - timedelta(seconds=30)
    # The previous step's code, after the current one was used: refused.
    assert twofactor.accepted_step(SECRET, code_at(earlier), NOW, current) is None
    # The next step's code is still fine.
    later = NOW + timedelta(seconds=30)
    assert twofactor.accepted_step(SECRET, code_at(later), NOW, current) == current + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12345x"])
def test_malformed_codes_are_refused(code):
    assert twofactor.accepted_step(SECRET, code, NOW, None) is None


def test_recovery_codes_read_like_ab2cd_ef3gh_and_differ():
    codes = [twofactor.new_recovery_code() for _ in range(200)]
    alphabet = re.escape(twofactor.RECOVERY_ALPHABET)
    for code in codes:
        assert re.fullmatch(rf"[{alphabet}]{{5}}-[{alphabet}]{{5}}", code), code
    assert len(set(codes)) == len(codes)
    assert not set("01lio") & set("".join(codes))


def test_recovery_codes_are_hashed_as_typed_in_any_case_or_spacing():
    code = "ab2cd-ef3gh"
    digest = twofactor.recovery_code_hash(code)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and code not in digest
    for typed in ("AB2CD-EF3GH", "ab2cdef3gh", " ab2cd ef3gh ", "ab2cd - ef3gh"):
        assert twofactor.recovery_code_hash(typed) == digest
    assert twofactor.recovery_code_hash("ab2cd-ef3gj") != digest
    assert twofactor.looks_like_recovery_code("AB2CD EF3GH")
    assert not twofactor.looks_like_recovery_code("123456")


def test_the_qr_code_is_an_svg_without_style_attributes():
    svg = twofactor.qr_code_svg("otpauth://totp/Blog:ada?secret=" + SECRET).decode()
    assert "<svg" in svg and "<path" in svg
    assert "style" not in svg.lower() and "<script" not in svg.lower()


def test_the_secret_is_grouped_for_typing():
    assert twofactor.grouped_secret("ABCDEFGHIJ") == "ABCD EFGH IJ"


def test_a_pending_login_lasts_five_minutes():
    pending = twofactor.PendingLogin(
        user_id=3, remember=True, next="/dashboard/posts/", started=NOW.timestamp()
    )
    stored = pending.to_session()
    assert twofactor.PendingLogin.from_session(stored, NOW) == pending
    later = NOW + timedelta(minutes=4, seconds=59)
    assert twofactor.PendingLogin.from_session(stored, later) == pending
    assert (
        twofactor.PendingLogin.from_session(stored, NOW + timedelta(minutes=5)) is None
    )
    before = NOW - timedelta(seconds=1)  # from the future: refused
    assert twofactor.PendingLogin.from_session(stored, before) is None
    for bad in (None, "x", {}, {"user": "3", "at": NOW.timestamp()}, {"user": 3}):
        assert twofactor.PendingLogin.from_session(bad, NOW) is None


@pytest.fixture
def with_two_factor(app, make_user):
    """An editor with two-factor login on (secret SECRET) and recovery codes."""
    user = make_user(Role.EDITOR, "eve")
    with app.app_context():
        found = db.session.get(User, user.id)
        codes = twofactor.enable_two_factor(found, SECRET, code_at(NOW), now=NOW)
    return user, codes


def test_enabling_stores_the_secret_and_ten_hashed_codes(app, with_two_factor):
    user, codes = with_two_factor
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT == 10
    with app.app_context():
        found = db.session.get(User, user.id)
        assert found.totp_secret == SECRET and found.totp_last_step == step_of(NOW)
        stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
        assert stored == {twofactor.recovery_code_hash(code) for code in codes}
        actions = list(db.session.scalars(select(AccountEvent.action)))
        assert actions == ["two_factor_enabled"]
        details = " ".join(db.session.scalars(select(AccountEvent.detail)))
        assert SECRET not in details


def test_login_codes_work_once(app, with_two_factor):
    user, codes = with_two_factor
    limits = ThrottleLimits()
    later = NOW + timedelta(seconds=60)
    with app.app_context():
        found = db.session.get(User, user.id)
        code = code_at(later)
        assert (
            twofactor.check_login_code(found, code, "10.0.0.1", limits, later) == "app"
        )
        assert (
            twofactor.check_login_code(found, code, "10.0.0.1", limits, later) is None
        )
        assert (
            twofactor.check_login_code(found, codes[0], "10.0.0.1", limits, later)
            == "recovery"
        )
        assert (
            twofactor.check_login_code(found, codes[0], "10.0.0.1", limits, later)
            is None
        )
        assert twofactor.recovery_codes_left(found) == 9
        used = db.session.scalar(
            select(func.count())
            .select_from(AccountEvent)
            .where(AccountEvent.action == "recovery_code_used")
        )
        assert used == 1


def test_admin_reset_clears_everything_and_is_recorded(app, make_user, with_two_factor):
    user, _codes = with_two_factor
    admin = make_user(Role.ADMIN, "root")
    with app.app_context():
        found = db.session.get(User, user.id)
        twofactor.reset_two_factor(found, actor=db.session.get(User, admin.id))
        db.session.expire_all()
        found = db.session.get(User, user.id)
        assert not found.two_factor_enabled
        assert found.totp_secret is None and found.totp_last_step is None
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
        event = db.session.scalar(
            select(AccountEvent).where(AccountEvent.action == "two_factor_reset")
        )
        assert event.user_id == user.id and event.actor_name == "root"
        # From the command line: no actor.
        twofactor.reset_two_factor(found, actor=None)
        names = list(
            db.session.scalars(
                select(AccountEvent.actor_name)
                .where(AccountEvent.action == "two_factor_reset")
                .order_by(AccountEvent.id)
            )
        )
        assert names == ["root", "command line"]
