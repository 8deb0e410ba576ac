"""The person's side of a request: the secret link mailed to their address,
and the two mails that carry it (confirm the request; your export is
ready).

The link carries a random token; the request keeps its SHA-256 only
(``token_hash``), as account links do (:mod:`blog.accounts.tokens`). The
same token confirms the request and then downloads its export: the person
already holds it, and nobody else does. "Resend confirmation" and "Email
the link again" put a new token in place of the old, whose link then stops
working.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from blog import mail
from blog.accounts.tokens import token_hash
from blog.dates import local_datetime
from blog.extensions import db
from blog.mail import outbox
from blog.models import PrivacyRequest, PrivacyRequestKind
from blog.privacy.settings import PrivacySettings

#: Longer than any token we make; anything longer is not looked up.
TOKEN_MAX = 100


def new_token(request: PrivacyRequest) -> str:
    """Give ``request`` a new secret (the caller commits); the raw token,
    for the link. Any older link of the request stops working."""
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    return token


def find_by_token(token: str) -> PrivacyRequest | None:
    """The request whose link carries ``token``, whatever its state (the
    caller decides what an expired one shows). Reading it changes nothing:
    mail scanners open links."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return db.session.scalar(
        select(PrivacyRequest).where(PrivacyRequest.token_hash == token_hash(token))
    )


def _subject(settings: PrivacySettings, text: str) -> str:
    prefix = f"[{settings.site_title}] " if settings.site_title else ""
    return prefix + text


def queue_confirmation(
    request: PrivacyRequest, token: str, settings: PrivacySettings
) -> None:
    """Mail the person the link that confirms ``request`` (the caller
    commits; the caller has checked that mail is on)."""
    erase = request.kind == PrivacyRequestKind.ERASE
    body = mail.render_text(
        "privacy_confirm.txt",
        request=request,
        erase=erase,
        site_title=settings.site_title,
        site_url=settings.site_url,
        removes_text=settings.erase_removes_text,
        confirm_url=settings.link("privacy.confirm", token=token),
        privacy_url=settings.link("comments.privacy"),
        expires=local_datetime(request.expires_at, settings.zone, with_zone=True),
    )
    action = "erase" if erase else "export"
    outbox.enqueue(
        to=[request.email],
        subject=_subject(
            settings, f"Confirm the request to {action} your personal data"
        ),
        body=body,
    )


def queue_export_ready(
    request: PrivacyRequest, token: str, settings: PrivacySettings
) -> bool:
    """Mail the person the link to download their export (the caller
    commits); False, and nothing queued, when the site cannot send mail."""
    if not settings.mail.enabled:
        return False
    body = mail.render_text(
        "privacy_export_ready.txt",
        request=request,
        site_title=settings.site_title,
        site_url=settings.site_url,
        download_url=settings.link("privacy.download", token=token),
        expires=local_datetime(request.expires_at, settings.zone, with_zone=True),
    )
    outbox.enqueue(
        to=[request.email],
        subject=_subject(settings, "Your personal data export is ready"),
        body=body,
    )
    return True
