"""Where a personal data request stands, what may be done with it there,
and the words the dashboard shows for it.

A request starts ``pending``: the person has been mailed a link. Following
it and pressing "Confirm" makes it ``confirmed``; an export is then made at
once and the request is ``completed``; an erasure waits for an
administrator's "Erase personal data", then is ``completed``. A request
not confirmed within :data:`LIFETIME` is ``expired`` (the purge job marks
it; until then it only shows so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func

from blog.models import (
    Comment,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)

#: How long the person's link works: to confirm, then to download an export
#: (counted again from the moment the export was made), as in WordPress.
LIFETIME = timedelta(days=7)

KIND_LABELS = {
    PrivacyRequestKind.EXPORT: "Export Personal Data",
    PrivacyRequestKind.ERASE: "Erase Personal Data",
}
STATUS_LABELS = {
    PrivacyRequestStatus.PENDING: "Pending",
    PrivacyRequestStatus.CONFIRMED: "Confirmed",
    PrivacyRequestStatus.COMPLETED: "Completed",
    PrivacyRequestStatus.EXPIRED: "Expired",
}
MAIL_OFF = (
    "This site cannot send email (MAIL_SERVER is not set). A request is "
    "confirmed by a link sent to the person's address, the only proof that "
    "it comes from whoever owns it: set up mail first."
)


class PrivacyError(Exception):
    """The request is not in a state for this action (the message says why)."""


class LinkInvalid(Exception):
    """The person's link is unknown, expired, or does not lead here."""


def status_of(request: PrivacyRequest, now: datetime) -> PrivacyRequestStatus:
    """The request's status as it stands now: a pending request past its
    time is expired even before the purge job has marked it."""
    if request.status == PrivacyRequestStatus.PENDING and request.expires_at <= now:
        return PrivacyRequestStatus.EXPIRED
    return request.status


def link_works(request: PrivacyRequest, now: datetime) -> bool:
    """Whether the person's link still opens its page."""
    return request.status != PrivacyRequestStatus.EXPIRED and request.expires_at > now


@dataclass(frozen=True)
class RequestRow:
    """One line of the requests list: the request, its status now, and the
    actions that apply to it."""

    request: PrivacyRequest
    status: PrivacyRequestStatus

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.request.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_export(self) -> bool:
        return self.request.kind == PrivacyRequestKind.EXPORT

    @property
    def can_resend(self) -> bool:
        """ "Resend confirmation": not confirmed yet (expired included)."""
        return self.status in (
            PrivacyRequestStatus.PENDING,
            PrivacyRequestStatus.EXPIRED,
        )

    @property
    def can_download(self) -> bool:
        """ "Download" and "Email the link again": a confirmed export."""
        return self.is_export and self.status in (
            PrivacyRequestStatus.CONFIRMED,
            PrivacyRequestStatus.COMPLETED,
        )

    @property
    def can_erase(self) -> bool:
        return not self.is_export and self.status == PrivacyRequestStatus.CONFIRMED


def row_of(request: PrivacyRequest, now: datetime) -> RequestRow:
    return RequestRow(request, status_of(request, now))


def written_with(email: str) -> ColumnElement[bool]:
    """Comments that give ``email``, however its letters were typed: what a
    request about that address covers."""
    return func.lower(Comment.author_email) == email.strip().lower()
