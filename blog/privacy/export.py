"""Export Personal Data: a zip of everything the site stores about one
email address, for the person (by their link) or an administrator.

The zip holds ``personal-data.json`` (every comment written with the
address, matched case-insensitively, with its post, status, date, name,
website, IP address, user agent, text and the fields sent to Akismet;
every follow-up subscription) and ``index.html``, the same for reading. It
is kept under the instance folder (never served by the web server) until
the link expires; the purge job then deletes it (:func:`purge_exports`),
leaving the log.
"""

from __future__ import annotations

import json
import os
import secrets
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from blog.comments.subscriptions import of_address
from blog.errors import require
from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    CommentSubscription,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
    User,
    utcnow,
)
from blog.privacy import audit, links
from blog.privacy.settings import EXPORT_FOLDER, PrivacySettings
from blog.privacy.states import (
    LIFETIME,
    MAIL_OFF,
    LinkInvalid,
    PrivacyError,
    link_works,
    written_with,
)
from blog.site import can_manage_settings

FORMAT = "personal-data-export/1"


def _utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC, to the second (``2026-05-01T09:30:00+00:00``)."""
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def personal_data(
    email: str, settings: PrivacySettings, now: datetime | None = None
) -> dict[str, Any]:
    """Everything stored about ``email`` (matched case-insensitively), as
    the export's ``personal-data.json`` says it."""
    comments = db.session.scalars(
        select(Comment)
        .where(written_with(email))
        .order_by(Comment.submitted_at, Comment.id)
    ).all()
    subscriptions = db.session.scalars(
        select(CommentSubscription)
        .where(of_address(email))
        .order_by(CommentSubscription.created_at, CommentSubscription.id)
    ).all()
    return {
        "format": FORMAT,
        "site": {"title": settings.site_title, "url": settings.site_url},
        "email": email,
        "generated_at": _utc(now or utcnow()),
        "comments": [_comment(comment, settings) for comment in comments],
        "subscriptions": [_subscription(row, settings) for row in subscriptions],
    }


def _comment(comment: Comment, settings: PrivacySettings) -> dict[str, Any]:
    post_url = settings.post_url(comment.post)
    shown = comment.status == CommentStatus.APPROVED
    return {
        "id": comment.id,
        "post": {"title": comment.post.title, "url": post_url},
        "url": f"{post_url}#comment-{comment.id}" if shown else None,
        "in_reply_to": comment.parent_id,
        "status": str(comment.status),
        "submitted_at": _utc(comment.submitted_at),
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_url,
        "ip_address": comment.author_ip,
        "user_agent": comment.author_user_agent,
        "text": comment.body_source,
        "html": comment.body_html,
        "sent_to_spam_check": dict(comment.submitted or {}),
    }


def _subscription(
    row: CommentSubscription, settings: PrivacySettings
) -> dict[str, Any]:
    return {
        "post": {"title": row.post.title, "url": settings.post_url(row.post)},
        "scope": str(row.scope),
        "status": str(row.status),
        "email": row.email,
        "created_at": _utc(row.created_at),
        "confirmed_at": _utc(row.confirmed_at),
        "ended_at": _utc(row.ended_at),
    }


def write_zip(data: dict[str, Any], path: Path) -> None:
    """Write the export to ``path`` (whole or not at all)."""
    page = current_app.jinja_env.get_template("privacy/export_index.html")
    html = page.render(data=data)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json", json.dumps(data, indent=2, ensure_ascii=False)
        )
        archive.writestr("index.html", html)
    os.chmod(partial, 0o600)
    os.replace(partial, path)


def export_path(request: PrivacyRequest, settings: PrivacySettings) -> Path | None:
    """The request's zip, if it has one on disk."""
    if not request.export_file:
        return None
    path = settings.export_folder / Path(request.export_file).name
    return path if path.is_file() else None


def _remove_file(request: PrivacyRequest, settings: PrivacySettings) -> None:
    if request.export_file:
        (settings.export_folder / Path(request.export_file).name).unlink(
            missing_ok=True
        )
        request.export_file = ""


def discard_exports_of(email: str, settings: PrivacySettings) -> int:
    """Delete the export files made for ``email`` (an erasure leaves no copy
    of what it erased); the caller commits. How many."""
    made = db.session.scalars(
        select(PrivacyRequest).where(
            func.lower(PrivacyRequest.email) == email.strip().lower(),
            PrivacyRequest.kind == PrivacyRequestKind.EXPORT,
            PrivacyRequest.export_file != "",
        )
    ).all()
    for request in made:
        _remove_file(request, settings)
    return len(made)


def build_export(
    request: PrivacyRequest,
    settings: PrivacySettings,
    actor: User | str,
    now: datetime | None = None,
) -> Path:
    """Make a fresh zip for ``request`` in place of any older one (the
    caller commits)."""
    now = now or utcnow()
    _remove_file(request, settings)
    name = f"{secrets.token_hex(16)}.zip"
    path = settings.export_folder / name
    data = personal_data(request.email, settings, now)
    write_zip(data, path)
    request.export_file = f"{EXPORT_FOLDER}/{name}"
    detail = (
        f"{len(data['comments'])} comment(s), "
        f"{len(data['subscriptions'])} subscription(s)"
    )
    audit.log(request, "export_built", actor, detail, now=now)
    return path


def complete_export(
    request: PrivacyRequest,
    token: str,
    settings: PrivacySettings,
    actor: User | str,
    now: datetime | None = None,
) -> None:
    """Make the export, mark the request completed and mail the download
    link, valid :data:`LIFETIME` from now (the caller commits)."""
    now = now or utcnow()
    request.expires_at = now + LIFETIME
    build_export(request, settings, actor, now)
    request.status = PrivacyRequestStatus.COMPLETED
    request.completed_at = now
    if links.queue_export_ready(request, token, settings):
        audit.log(request, "export_link_sent", actor, now=now)


def _check_export(actor: User, request: PrivacyRequest) -> None:
    require(can_manage_settings(actor))
    if request.kind != PrivacyRequestKind.EXPORT or request.status not in (
        PrivacyRequestStatus.CONFIRMED,
        PrivacyRequestStatus.COMPLETED,
    ):
        raise PrivacyError("Only a confirmed export request has data to download.")


def send_export_link(
    actor: User,
    request: PrivacyRequest,
    settings: PrivacySettings,
    now: datetime | None = None,
) -> None:
    """ "Email the link again": a fresh export and a new link (the old one
    stops working), valid :data:`LIFETIME` from now (commits).

    :raises PermissionDenied: only admins use the privacy tools.
    :raises PrivacyError: not a confirmed export, or mail is off.
    """
    _check_export(actor, request)
    if not settings.mail.enabled:
        raise PrivacyError(MAIL_OFF)
    token = links.new_token(request)
    complete_export(request, token, settings, actor, now)
    db.session.commit()


def admin_download(
    actor: User,
    request: PrivacyRequest,
    settings: PrivacySettings,
    now: datetime | None = None,
) -> Path:
    """The export's zip for an administrator, made now if it is gone (an
    expired one was deleted); logged (commits).

    :raises PermissionDenied: only admins use the privacy tools.
    :raises PrivacyError: not a confirmed export.
    """
    _check_export(actor, request)
    now = now or utcnow()
    path = export_path(request, settings) or build_export(request, settings, actor, now)
    audit.log(request, "downloaded", actor, now=now)
    db.session.commit()
    return path


def downloadable(request: PrivacyRequest | None, now: datetime) -> bool:
    """Whether the person's link offers their export now."""
    return (
        request is not None
        and request.kind == PrivacyRequestKind.EXPORT
        and request.status == PrivacyRequestStatus.COMPLETED
        and bool(request.export_file)
        and link_works(request, now)
    )


def person_download(
    token: str, settings: PrivacySettings, now: datetime | None = None
) -> Path:
    """The export for the person holding the link; logged (commits).

    :raises LinkInvalid: unknown or expired link, or no export to give.
    """
    now = now or utcnow()
    request = links.find_by_token(token)
    path = export_path(request, settings) if request is not None else None
    if request is None or path is None or not downloadable(request, now):
        raise LinkInvalid
    audit.log(request, "downloaded", audit.PERSON, now=now)
    db.session.commit()
    return path


def purge_exports(settings: PrivacySettings, now: datetime | None = None) -> int:
    """Delete the exports whose link has expired, and stray files left by
    an export that failed half-way (commits); how many exports."""
    now = now or utcnow()
    stale = db.session.scalars(
        select(PrivacyRequest).where(
            PrivacyRequest.export_file != "", PrivacyRequest.expires_at <= now
        )
    ).all()
    for request in stale:
        _remove_file(request, settings)
        audit.log(request, "export_deleted", audit.COMMAND_LINE, now=now)
    db.session.commit()
    _remove_strays(settings, now)
    return len(stale)


def _remove_strays(settings: PrivacySettings, now: datetime) -> None:
    """Files no request names, older than a link's lifetime."""
    folder = settings.export_folder
    if not folder.is_dir():
        return
    named = {
        Path(name).name
        for name in db.session.scalars(
            select(PrivacyRequest.export_file).where(PrivacyRequest.export_file != "")
        )
    }
    db.session.commit()
    cutoff = (now - LIFETIME).timestamp()
    for path in folder.iterdir():
        if path.name not in named and path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
