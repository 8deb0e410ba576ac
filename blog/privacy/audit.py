"""The privacy log: every step of every personal data request (who, what,
when, for which address), kept when the request itself is deleted, so an
administrator can show what was done and when. Tokens are never logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from blog.errors import require
from blog.extensions import db
from blog.models import PrivacyLogEntry, PrivacyRequest, User, utcnow
from blog.paging import KeyedPagination, paginate
from blog.site import can_manage_settings

#: Who did it, when not a member of staff.
PERSON = "the person"
COMMAND_LINE = "command line"

#: action -> what the log says
ACTIONS = {
    "requested": "Request created",
    "confirmation_sent": "Confirmation email sent",
    "confirmation_resent": "Confirmation email sent again",
    "confirmed": "Confirmed by the person",
    "export_built": "Export file made",
    "export_link_sent": "Download link emailed",
    "downloaded": "Export downloaded",
    "erased": "Personal data erased",
    "expired": "Not confirmed in time: expired",
    "export_deleted": "Export file deleted",
    "deleted": "Request deleted",
}
PER_PAGE = 50


def log(
    request: PrivacyRequest,
    action: str,
    actor: User | str,
    detail: str = "",
    *,
    now: datetime | None = None,
) -> PrivacyLogEntry:
    """Record a step of ``request`` (the caller commits).

    :param actor: the member of staff, or :data:`PERSON` /
        :data:`COMMAND_LINE`.
    """
    db.session.flush()  # a new request gets the id the entry names
    entry = PrivacyLogEntry(
        request_id=request.id,
        email=request.email,
        action=action,
        actor_id=actor.id if isinstance(actor, User) else None,
        actor_name=(actor.username if isinstance(actor, User) else actor)[:60],
        detail=detail[:500],
        at=now or utcnow(),
    )
    db.session.add(entry)
    return entry


def describe(entry: PrivacyLogEntry) -> str:
    """The log line: "Personal data erased: 3 comments anonymized, ..."."""
    text = ACTIONS.get(entry.action, entry.action)
    return f"{text}: {entry.detail}" if entry.detail else text


def recent_entries(actor: User, limit: int = 10) -> list[PrivacyLogEntry]:
    """The newest entries, for the requests screen.

    :raises PermissionDenied: only admins see the privacy tools.
    """
    require(can_manage_settings(actor))
    return list(
        db.session.scalars(
            select(PrivacyLogEntry)
            .order_by(PrivacyLogEntry.at.desc(), PrivacyLogEntry.id.desc())
            .limit(limit)
        )
    )


def log_page(actor: User, page: int = 1, per_page: int = PER_PAGE) -> KeyedPagination:
    """One page of the whole log, newest first.

    :raises PermissionDenied: only admins see the privacy tools.
    """
    require(can_manage_settings(actor))
    query = select(PrivacyLogEntry).order_by(
        PrivacyLogEntry.at.desc(), PrivacyLogEntry.id.desc()
    )
    return paginate(query, page=page, per_page=per_page, error_out=False, cap=None)
