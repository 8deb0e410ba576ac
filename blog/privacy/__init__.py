"""Personal data requests, as WordPress's privacy tools have them: Tools →
Export Personal Data and Erase Personal Data (administrators), confirmed by
the person through a link mailed to their address, and the log of every
step.

- :mod:`.requests`: making a request, resending its link, deleting it, the
  person's confirmation, expiry of those never confirmed;
- :mod:`.links`: the secret link and the two mails that carry it;
- :mod:`.export`: the zip of everything stored about an address, and its
  downloads (the person's, an administrator's), deleted when the link ends;
- :mod:`.erase`: anonymizing an address's comments, ending its
  subscriptions;
- :mod:`.audit`: the log;
- :mod:`.states`: statuses, the actions each allows, their words;
- :mod:`.settings`: what the tools need to know about the site.

Commenters' IP addresses and user agents expiring after the Discussion
setting's days is a comments job
(:func:`blog.comments.jobs.forget_commenter_details`). The screens are
:mod:`blog.views.dashboard.tools_privacy` and :mod:`blog.views.privacy`.
"""

from blog.privacy.audit import describe, log_page, recent_entries
from blog.privacy.erase import ErasePreview, erase_personal_data, erase_preview
from blog.privacy.export import (
    admin_download,
    downloadable,
    person_download,
    personal_data,
    purge_exports,
    send_export_link,
)
from blog.privacy.links import find_by_token
from blog.privacy.requests import (
    confirm,
    create_request,
    delete_request,
    expire_requests,
    request_page,
    resend_confirmation,
)
from blog.privacy.settings import PrivacySettings
from blog.privacy.states import (
    KIND_LABELS,
    LIFETIME,
    MAIL_OFF,
    LinkInvalid,
    PrivacyError,
    RequestRow,
    link_works,
    row_of,
    status_of,
)

__all__ = [
    "KIND_LABELS",
    "LIFETIME",
    "MAIL_OFF",
    "ErasePreview",
    "LinkInvalid",
    "PrivacyError",
    "PrivacySettings",
    "RequestRow",
    "admin_download",
    "confirm",
    "create_request",
    "delete_request",
    "describe",
    "downloadable",
    "erase_personal_data",
    "erase_preview",
    "expire_requests",
    "find_by_token",
    "link_works",
    "log_page",
    "person_download",
    "personal_data",
    "purge_exports",
    "recent_entries",
    "request_page",
    "resend_confirmation",
    "row_of",
    "send_export_link",
    "status_of",
]
