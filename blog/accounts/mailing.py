"""Account mail: the one-use links (reset, invitation, email change) and
the notices (password changed, email changed), queued in the outbox in the
transaction that made the change, so no request waits on the mail server.

Links are absolute, built on ``SITE_URL``, so mail sent by a command says
the same as mail sent by a request.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from blog import mail
from blog.mail import MailConfig, outbox
from blog.models import User


def mail_enabled() -> bool:
    """Whether the site can send mail (``MAIL_SERVER`` is set)."""
    return MailConfig.from_config(current_app.config).enabled


def absolute_url(endpoint: str, **values: Any) -> str:
    """``SITE_URL`` plus the path of ``endpoint`` (works outside requests)."""
    site = str(current_app.config["SITE_URL"]).rstrip("/")
    with current_app.test_request_context(base_url=site or "http://localhost"):
        return url_for(endpoint, _external=True, **values)


def queue_account_mail(to: str, subject: str, template: str, **context: Any) -> bool:
    """Queue ``templates/email/<template>`` for ``to`` (the caller commits);
    False, and nothing queued, when the site cannot send mail."""
    if not mail_enabled() or not to:
        return False
    from blog.site.settings import load_settings  # settings import accounts

    site_title = str(load_settings().get("title") or "")
    body = mail.render_text(template, site_title=site_title, **context)
    prefix = f"[{' '.join(site_title.split())}] " if site_title.strip() else ""
    outbox.enqueue(to=[to], subject=prefix + subject, body=body)
    return True


def password_changed_notice(user: User) -> bool:
    """Tell the user their password changed (the caller commits)."""
    return queue_account_mail(
        user.email,
        "Your password was changed",
        "password_changed.txt",
        user=user,
        reset_url=absolute_url("password.request_reset"),
    )
