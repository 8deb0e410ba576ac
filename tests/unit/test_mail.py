"""blog.mail: its settings, the outbox's back-off and what a failure records."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from blog.mail import MailConfig
from blog.mail.outbox import LEASE, describe, retry_delay


def test_mail_config():
    config = MailConfig.from_config(
        {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": "2525", "MAIL_TIMEOUT": 2}
    )
    assert config.enabled and config.port == 2525 and config.timeout == 2.0
    assert config.sender == "blog@localhost"
    assert not MailConfig.from_config({"MAIL_SERVER": ""}).enabled


def test_back_off_doubles_up_to_four_hours():
    delays = [retry_delay(attempts) for attempts in range(1, 12)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[-1] == timedelta(hours=4) == max(delays)
    assert delays == sorted(delays)
    assert retry_delay(1000) == timedelta(hours=4)  # no overflow


def test_a_lease_outlasts_a_slow_exchange():
    # Each SMTP step waits at most MAIL_TIMEOUT (5 s); a message takes a few.
    assert LEASE >= timedelta(seconds=5 * 10)


def test_a_failure_is_described_by_its_kind_and_code_only():
    refused = smtplib.SMTPSenderRefused(550, b"user s3cret@example.org", "me@x")
    assert describe(refused) == "SMTPSenderRefused 550"
    auth = smtplib.SMTPAuthenticationError(535, b"password hunter2 rejected")
    assert describe(auth) == "SMTPAuthenticationError 535"
    assert describe(ConnectionRefusedError(111, "refused")) == "ConnectionRefusedError"
