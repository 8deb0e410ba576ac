"""Personal data requests: an administrator makes one for an email address
(export or erase), the person confirms it by the link mailed to that
address, and the purge job expires those never confirmed.

Without mail there are no requests: the mailed link is the only proof
that the person asking owns the address (an administrator handing the
link over some other way would be vouching for that themselves).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from blog.database import rowcount
from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import (
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
    User,
    utcnow,
)
from blog.paging import KeyedPagination, paginate
from blog.privacy import audit, export, links
from blog.privacy.settings import PrivacySettings
from blog.privacy.states import (
    KIND_LABELS,
    LIFETIME,
    MAIL_OFF,
    LinkInvalid,
    PrivacyError,
    link_works,
)
from blog.site import can_manage_settings
from blog.validation import email_address

PER_PAGE = 20
EMAIL_MESSAGE = "Enter a valid email address, such as name@example.com."


def create_request(
    actor: User,
    email: str,
    kind: PrivacyRequestKind | str,
    settings: PrivacySettings,
    now: datetime | None = None,
) -> PrivacyRequest:
    """ "Send Request": a pending request and the mail asking the person to
    confirm it, in one transaction (commits).

    :raises PermissionDenied: only admins use the privacy tools.
    :raises FieldError: a bad address or kind, an open request of the same
        kind for the address, or mail is off; nothing is stored.
    """
    require(can_manage_settings(actor))
    try:
        kind = PrivacyRequestKind(kind)
    except ValueError:
        raise FieldError("Choose export or erase.", "kind") from None
    address = email_address(email, "email", message=EMAIL_MESSAGE)
    if not settings.mail.enabled:
        raise FieldError(MAIL_OFF, "")
    now = now or utcnow()
    if _open_request(address, kind, now) is not None:
        raise FieldError(
            f"A request to {KIND_LABELS[kind].lower()} of {address} is already "
            "open: see the list below.",
            "email",
        )
    request = PrivacyRequest(
        email=address,
        kind=kind,
        status=PrivacyRequestStatus.PENDING,
        requested_by_id=actor.id,
        requested_at=now,
        expires_at=now + LIFETIME,
    )
    token = links.new_token(request)
    db.session.add(request)
    audit.log(request, "requested", actor, now=now)
    links.queue_confirmation(request, token, settings)
    audit.log(request, "confirmation_sent", actor, now=now)
    db.session.commit()
    return request


def _open_request(
    address: str, kind: PrivacyRequestKind, now: datetime
) -> PrivacyRequest | None:
    """A request of ``kind`` for ``address`` that is still under way."""
    return db.session.scalar(
        select(PrivacyRequest)
        .where(
            func.lower(PrivacyRequest.email) == address.lower(),
            PrivacyRequest.kind == kind,
            (PrivacyRequest.status == PrivacyRequestStatus.CONFIRMED)
            | (
                (PrivacyRequest.status == PrivacyRequestStatus.PENDING)
                & (PrivacyRequest.expires_at > now)
            ),
        )
        .limit(1)
    )


def resend_confirmation(
    actor: User,
    request: PrivacyRequest,
    settings: PrivacySettings,
    now: datetime | None = None,
) -> None:
    """ "Resend confirmation": a new link (the old one stops working), valid
    :data:`LIFETIME` from now, for a request not confirmed yet (commits).

    :raises PermissionDenied: only admins use the privacy tools.
    :raises PrivacyError: the request was confirmed already, or mail is off.
    """
    require(can_manage_settings(actor))
    if request.status not in (
        PrivacyRequestStatus.PENDING,
        PrivacyRequestStatus.EXPIRED,
    ):
        raise PrivacyError("This request has been confirmed already.")
    if not settings.mail.enabled:
        raise PrivacyError(MAIL_OFF)
    now = now or utcnow()
    request.status = PrivacyRequestStatus.PENDING
    request.expires_at = now + LIFETIME
    token = links.new_token(request)
    links.queue_confirmation(request, token, settings)
    audit.log(request, "confirmation_resent", actor, now=now)
    db.session.commit()


def delete_request(
    actor: User, request: PrivacyRequest, settings: PrivacySettings
) -> None:
    """ "Delete request": the request and its export file go; the log stays
    (commits). Nothing already erased comes back.

    :raises PermissionDenied: only admins use the privacy tools.
    """
    require(can_manage_settings(actor))
    if request.export_file:
        path = export.export_path(request, settings)
        if path is not None:
            path.unlink(missing_ok=True)
    audit.log(request, "deleted", actor)
    db.session.flush()  # the entry first; deleting sets its request_id NULL
    db.session.delete(request)
    db.session.commit()


def confirm(
    token: str, settings: PrivacySettings, now: datetime | None = None
) -> PrivacyRequest:
    """The person's "Confirm" (commits). An export is made at once and its
    download link mailed; an erasure waits for an administrator. Confirming
    twice (a double click) changes nothing the second time.

    :raises LinkInvalid: unknown or expired link.
    """
    now = now or utcnow()
    request = links.find_by_token(token)
    if request is None or not link_works(request, now):
        raise LinkInvalid
    # Claimed with one conditional UPDATE: of two racing clicks, one confirms.
    claimed = db.session.execute(
        update(PrivacyRequest)
        .where(
            PrivacyRequest.id == request.id,
            PrivacyRequest.status == PrivacyRequestStatus.PENDING,
        )
        .values(status=PrivacyRequestStatus.CONFIRMED, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed):
        db.session.refresh(request)
        audit.log(request, "confirmed", audit.PERSON, now=now)
        if request.kind == PrivacyRequestKind.EXPORT:
            export.complete_export(request, token, settings, audit.PERSON, now)
    db.session.commit()
    return request


def expire_requests(now: datetime | None = None) -> int:
    """Mark requests not confirmed in time as expired (commits); how many."""
    now = now or utcnow()
    stale = db.session.scalars(
        select(PrivacyRequest).where(
            PrivacyRequest.status == PrivacyRequestStatus.PENDING,
            PrivacyRequest.expires_at <= now,
        )
    ).all()
    for request in stale:
        request.status = PrivacyRequestStatus.EXPIRED
        audit.log(request, "expired", audit.COMMAND_LINE, now=now)
    db.session.commit()
    return len(stale)


def request_page(
    actor: User,
    kind: PrivacyRequestKind | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> KeyedPagination:
    """One page of the requests (of one kind, or all), newest first.

    :raises PermissionDenied: only admins use the privacy tools.
    """
    require(can_manage_settings(actor))
    query = select(PrivacyRequest).order_by(
        PrivacyRequest.requested_at.desc(), PrivacyRequest.id.desc()
    )
    if kind is not None:
        query = query.where(PrivacyRequest.kind == kind)
    return paginate(query, page=page, per_page=per_page, error_out=False, cap=None)
