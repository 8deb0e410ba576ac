"""Tools → Export Personal Data and Erase Personal Data
(``/dashboard/tools/privacy/``, admins; ``tools.bp`` checks, and every
service again): make a request for an email address, follow it through
the person's confirmation to its download or erasure, and read the log.
``?kind=export`` or ``?kind=erase`` shows one kind, as WordPress's two
screens do. Every change is a POST with the CSRF token; so are downloads,
so that no link prefetcher makes or logs one."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog import privacy
from blog.extensions import csrf, db
from blog.forms.common import ActionForm
from blog.forms.privacy import PrivacyRequestForm
from blog.models import PrivacyRequest, PrivacyRequestKind, utcnow
from blog.privacy import PrivacyError, PrivacySettings
from blog.views.arguments import page_number, text_arg
from blog.views.context import current_settings
from blog.views.form_page import form_page

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


def settings() -> PrivacySettings:
    return PrivacySettings.from_app(current_app, current_settings())


def load_request(request_id: int) -> PrivacyRequest:
    """The request with ``request_id``, or 404."""
    return db.session.get(PrivacyRequest, request_id) or abort(404)


def _kind() -> PrivacyRequestKind | None:
    try:
        return PrivacyRequestKind(text_arg("kind"))
    except ValueError:
        return None


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def index() -> ResponseReturnValue:
    kind = _kind()
    form = PrivacyRequestForm(data={"kind": kind.value} if kind else None)
    config = settings()
    now = utcnow()
    pagination = privacy.request_page(current_user, kind, page_number())
    return form_page(
        form,
        lambda: privacy.create_request(
            current_user, form.email.data or "", form.kind.data or "", config
        ),
        template="dashboard/tools/privacy/index.html",
        done=f"Request sent: {form.email.data or ''} has been emailed a link "
        "to confirm it.",
        then=url_for(".index", kind=kind.value if kind else None),
        kind=kind,
        kinds=privacy.KIND_LABELS,
        mail_enabled=config.mail.enabled,
        pagination=pagination,
        rows=[privacy.row_of(item, now) for item in pagination.items],
        log=privacy.recent_entries(current_user),
        describe=privacy.describe,
    )


@bp.get("/log")
def log() -> ResponseReturnValue:
    return render_template(
        "dashboard/tools/privacy/log.html",
        pagination=privacy.log_page(current_user, page_number()),
        describe=privacy.describe,
    )


def _done(message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for(".index"))


def _refused(error: PrivacyError) -> ResponseReturnValue:
    flash(str(error), "error")
    return redirect(url_for(".index"))


@bp.post("/<int:request_id>/resend")
def resend(request_id: int) -> ResponseReturnValue:
    found = load_request(request_id)
    try:
        privacy.resend_confirmation(current_user, found, settings())
    except PrivacyError as error:
        return _refused(error)
    return _done(f"A new confirmation link has been emailed to {found.email}.")


@bp.post("/<int:request_id>/send-link")
def send_link(request_id: int) -> ResponseReturnValue:
    found = load_request(request_id)
    try:
        privacy.send_export_link(current_user, found, settings())
    except PrivacyError as error:
        return _refused(error)
    return _done(f"A new download link has been emailed to {found.email}.")


@bp.post("/<int:request_id>/download")
def download(request_id: int) -> ResponseReturnValue:
    found = load_request(request_id)
    try:
        path = privacy.admin_download(current_user, found, settings())
    except PrivacyError as error:
        return _refused(error)
    response = send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"personal-data-export-{found.id}.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:request_id>/erase", methods=["GET", "POST"])
def erase(request_id: int) -> ResponseReturnValue:
    """The confirmation page (what will change), then the erasure."""
    found = load_request(request_id)
    config = settings()
    form = ActionForm()
    try:
        if form.validate_on_submit():
            result = privacy.erase_personal_data(current_user, found, config)
            return _done(f"Personal data of {found.email} erased: {result}.")
        preview = privacy.erase_preview(current_user, found, config)
    except PrivacyError as error:
        return _refused(error)
    return render_template(
        "dashboard/tools/privacy/erase.html",
        request_=found,
        preview=preview,
        form=form,
    )


@bp.post("/<int:request_id>/delete")
def delete(request_id: int) -> ResponseReturnValue:
    found = load_request(request_id)
    email = found.email
    privacy.delete_request(current_user, found, settings())
    return _done(f"Deleted the request for {email}. The log keeps its steps.")
