"""The person's side of a personal data request: the confirmation link
sent to their address, and the download of their export.

The secret token in the address is the authority: no session, no cookie,
no CSRF token (the forms are ``csrf.exempt``; a forged post would need the
token). Opening a page changes nothing, since mail scanners open links:
"Confirm" and "Download" are buttons (POST). Every page is private
(``no-store``), out of search engines, and sends no ``Referer`` with the
token in it. An unknown link answers 404, an expired one 410.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue

from blog import privacy
from blog.extensions import csrf
from blog.models import PrivacyRequest, PrivacyRequestKind, utcnow
from blog.privacy import LinkInvalid, PrivacySettings
from blog.views.context import current_settings
from blog.views.hooks import secret_link_page

bp = Blueprint("privacy", __name__, url_prefix="/privacy/requests")

NOT_FOUND = 404
GONE = 410


bp.after_request(secret_link_page)


def _settings() -> PrivacySettings:
    return PrivacySettings.from_app(current_app, current_settings())


def _invalid(found: PrivacyRequest | None) -> ResponseReturnValue:
    """404 for a link we never made, 410 for one that has expired."""
    code = NOT_FOUND if found is None else GONE
    return render_template("privacy/link_invalid.html", expired=found is not None), code


@bp.get("/<token>/confirm")
def confirm(token: str) -> ResponseReturnValue:
    """What the person is confirming, and the "Confirm" button; once
    confirmed, where the request stands."""
    found = privacy.find_by_token(token)
    now = utcnow()
    if found is None or not privacy.link_works(found, now):
        return _invalid(found)
    return render_template(
        "privacy/confirm.html",
        request_=found,
        token=token,
        status=privacy.status_of(found, now),
        erase=found.kind == PrivacyRequestKind.ERASE,
        removes_text=bool(current_settings().get("privacy_erase_removes_text")),
        downloadable=privacy.downloadable(found, now),
    )


@bp.post("/<token>/confirm")
@csrf.exempt  # the token in the address is the authority (see above)
def do_confirm(token: str) -> ResponseReturnValue:
    try:
        found = privacy.confirm(token, _settings())
    except LinkInvalid:
        return _invalid(privacy.find_by_token(token))
    if found.kind == PrivacyRequestKind.EXPORT:
        return redirect(url_for(".download", token=token), 303)
    return redirect(url_for(".confirm", token=token), 303)


@bp.get("/<token>/download")
def download(token: str) -> ResponseReturnValue:
    """The "Download" button for the person's export."""
    found = privacy.find_by_token(token)
    now = utcnow()
    if found is None or not privacy.downloadable(found, now):
        return _invalid(found)
    return render_template("privacy/download.html", request_=found, token=token)


@bp.post("/<token>/download")
@csrf.exempt  # the token in the address is the authority (see above)
def do_download(token: str) -> ResponseReturnValue:
    try:
        path = privacy.person_download(token, _settings())
    except LinkInvalid:
        return _invalid(privacy.find_by_token(token))
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name="personal-data.zip",
        max_age=0,
    )
