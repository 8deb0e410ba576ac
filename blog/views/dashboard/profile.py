"""``/dashboard/profile/``: every user's own account (name, email, bio,
password, sessions, two-factor login)."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_login import current_user

from blog.accounts import sessions, twofactor
from blog.accounts.authentication import LoginThrottled, ThrottleLimits
from blog.accounts.email_change import (
    EmailChangeFailed,
    cancel_email_change,
    confirm_email_change,
    email_change_link,
    pending_email,
)
from blog.accounts.mailing import mail_enabled
from blog.accounts.permissions import two_factor_required_for
from blog.accounts.profile import (
    change_own_password,
    devices,
    log_out_elsewhere,
    save_own_profile,
)
from blog.dates import wait_text
from blog.errors import FieldError
from blog.extensions import csrf
from blog.forms.common import ActionForm, show_errors
from blog.forms.profile import (
    AuthenticationCodeForm,
    DisableTwoFactorForm,
    PasswordChangeForm,
    ProfileForm,
)
from blog.views.context import current_settings, uploads

bp = Blueprint("profile", __name__, url_prefix="/profile")

#: The Flask session's key for a two-factor secret waiting for its first code.
PENDING_SECRET = "two_factor_setup"
TOO_MANY_TRIES = "Too many wrong tries. Wait {wait} and try again."
#: What stays reachable while the site requires two-factor login of someone
#: who has not set it up (see ``blog.views.dashboard.require_staff``).
SETUP_ENDPOINTS = frozenset(
    {
        "dashboard.profile.two_factor",
        "dashboard.profile.two_factor_qr",
        "dashboard.profile.enable_two_factor",
    }
)


def must_set_up_two_factor() -> bool:
    """The site requires two-factor login of the current user, who has not
    turned it on yet."""
    return not current_user.two_factor_enabled and _two_factor_required()


def _two_factor_required() -> bool:
    return two_factor_required_for(
        current_user, bool(current_settings().get("require_two_factor"))
    )


def _limits() -> ThrottleLimits:
    return ThrottleLimits.from_config(current_app.config)


def _page(
    profile_form: ProfileForm | None = None,
    password_form: PasswordChangeForm | None = None,
) -> str:
    """The profile page, with one of its forms as submitted."""
    if profile_form is None:
        profile_form = ProfileForm(
            data={
                "display_name": current_user.display_name,
                "email": current_user.email,
                "bio": current_user.bio,
                "website": current_user.website,
                "keyboard_shortcuts": current_user.keyboard_shortcuts,
            }
        )
    return render_template(
        "dashboard/profile/edit.html",
        form=profile_form,
        password_form=password_form or PasswordChangeForm(formdata=None),
        pending_email=pending_email(current_user),
        can_mail=mail_enabled(),
        devices=devices(current_user),
        two_factor_on=current_user.two_factor_enabled,
        codes_left=twofactor.recovery_codes_left(current_user)
        if current_user.two_factor_enabled
        else 0,
        action_form=ActionForm(),
    )


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit() -> ResponseReturnValue:
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(profile_form=form if form.is_submitted() else None)
    hours = float(current_app.config["EMAIL_CHANGE_HOURS"])
    try:
        new_email = save_own_profile(
            current_user,
            display_name=form.display_name.data or "",
            email=form.email.data or "",
            bio=form.bio.data or "",
            website=form.website.data or "",
            email_lifetime=timedelta(hours=hours),
            keyboard_shortcuts=bool(form.keyboard_shortcuts.data),
            picture=form.picture_change(),
            uploads=uploads(),
        )
    except FieldError as error:
        show_errors(form, error)
        return _page(profile_form=form)
    flash("Profile updated.", "success")
    if new_email:
        flash(
            f"To change your email, follow the link we sent to {new_email}. "
            "Until then your address stays as it was.",
            "info",
        )
    return redirect(url_for(".edit"))


@bp.post("/password")
@csrf.exempt  # the form checks its own token
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_own_password(
                current_user,
                form.current_password.data or "",
                form.new_password.data or "",
                _limits(),
            )
        except LoginThrottled as throttled:
            wait = wait_text(throttled.seconds)
            show_errors(
                form, FieldError(TOO_MANY_TRIES.format(wait=wait), "current_password")
            )
        except FieldError as error:
            show_errors(form, error)
        else:
            flash("Password changed. Your other sessions were logged out.", "success")
            return redirect(url_for(".edit"))
    return _page(password_form=form)


@bp.post("/email/cancel")
def cancel_email() -> ResponseReturnValue:
    cancel_email_change(current_user)
    flash("The email change was cancelled.", "info")
    return redirect(url_for(".edit"))


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> ResponseReturnValue:
    """The emailed link: GET shows a button (mail scanners open links and
    must not use them); POST applies the change."""
    form = ActionForm()
    try:
        if form.validate_on_submit():
            new_email = confirm_email_change(current_user, token)
            flash(f"Your email address is now {new_email}.", "success")
            return redirect(url_for(".edit"))
        address = email_change_link(current_user, token)
    except EmailChangeFailed as failed:
        return render_template(
            "dashboard/profile/confirm_email.html", failure=str(failed), form=form
        )
    return render_template(
        "dashboard/profile/confirm_email.html", address=address, form=form
    )


@bp.post("/sessions/<int:session_id>/end")
def end_session(session_id: int) -> ResponseReturnValue:
    if sessions.end_session(current_user, session_id):
        flash("That session was logged out.", "success")
    else:
        flash("That session had already ended.", "info")
    return redirect(url_for(".edit", _anchor="sessions"))


@bp.post("/sessions/end-others")
def end_other_sessions() -> ResponseReturnValue:
    ended = log_out_elsewhere(current_user)
    flash(
        f"Logged out {ended} other session{'s' if ended != 1 else ''}.",
        "success",
    )
    return redirect(url_for(".edit", _anchor="sessions"))


# -- Two-factor login ----------------------------------------------------------


def _pending_secret(create: bool = False) -> str | None:
    """The secret being set up for the current user: derived from a nonce
    kept in the session (the cookie never holds the secret)."""
    pending = session.get(PENDING_SECRET)
    nonce = None
    if isinstance(pending, dict) and pending.get("user") == current_user.id:
        nonce = pending.get("nonce")
    if not isinstance(nonce, str):
        if not create:
            return None
        nonce = twofactor.new_setup_nonce()
        session[PENDING_SECRET] = {"user": current_user.id, "nonce": nonce}
    return twofactor.setup_secret(
        current_user.id, nonce, str(current_app.config["SECRET_KEY"])
    )


def _setup_page(form: AuthenticationCodeForm, secret: str) -> str:
    return render_template(
        "dashboard/profile/two_factor_setup.html",
        form=form,
        secret=twofactor.grouped_secret(secret),
        required=_two_factor_required(),
    )


@bp.get("/two-factor/")
def two_factor() -> ResponseReturnValue:
    """Set two-factor login up, or (once on) renew codes or turn it off."""
    if current_user.two_factor_enabled:
        return _manage_page(DisableTwoFactorForm(formdata=None))
    secret = _pending_secret(create=True)
    assert secret is not None
    return _setup_page(AuthenticationCodeForm(formdata=None), secret)


def _manage_page(form: DisableTwoFactorForm) -> str:
    return render_template(
        "dashboard/profile/two_factor_manage.html",
        form=form,
        action_form=ActionForm(),
        codes_left=twofactor.recovery_codes_left(current_user),
        required=_two_factor_required(),
    )


@bp.get("/two-factor/qr.svg")
def two_factor_qr() -> ResponseReturnValue:
    """The QR code of the secret being set up, drawn here, never cached."""
    secret = _pending_secret()
    if secret is None or current_user.two_factor_enabled:
        return redirect(url_for(".two_factor"))
    uri = twofactor.provisioning_uri(
        current_user, secret, str(current_settings().get("title") or "")
    )
    return Response(
        twofactor.qr_code_svg(uri),
        mimetype="image/svg+xml",
        headers={"Cache-Control": "no-store"},
    )


@bp.post("/two-factor/enable")
@csrf.exempt  # the form checks its own token
def enable_two_factor() -> ResponseReturnValue:
    secret = _pending_secret()
    if secret is None or current_user.two_factor_enabled:
        return redirect(url_for(".two_factor"))
    form = AuthenticationCodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.enable_two_factor(
                current_user, secret, form.code.data or ""
            )
        except FieldError as error:
            show_errors(form, error)
        else:
            session.pop(PENDING_SECRET, None)
            return _codes_page(codes, "Two-factor login is on.")
    return _setup_page(form, secret)


def _codes_page(codes: list[str], message: str) -> str:
    """Recovery codes, shown this once (the response is never cached)."""
    return render_template(
        "dashboard/profile/recovery_codes.html", codes=codes, message=message
    )


@bp.post("/two-factor/recovery-codes")
def renew_recovery_codes() -> ResponseReturnValue:
    try:
        codes = twofactor.renew_recovery_codes(current_user)
    except FieldError as error:
        flash(str(error), "error")
        return redirect(url_for(".two_factor"))
    return _codes_page(codes, "New recovery codes made; the old ones no longer work.")


@bp.post("/two-factor/disable")
@csrf.exempt  # the form checks its own token
def disable_two_factor() -> ResponseReturnValue:
    if not current_user.two_factor_enabled:
        return redirect(url_for(".two_factor"))
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        try:
            twofactor.disable_two_factor(
                current_user,
                code=form.code.data or "",
                password=form.password.data or "",
                required_by_site=bool(current_settings().get("require_two_factor")),
                limits=_limits(),
            )
        except LoginThrottled as throttled:
            wait = wait_text(throttled.seconds)
            show_errors(form, FieldError(TOO_MANY_TRIES.format(wait=wait), "code"))
        except FieldError as error:
            show_errors(form, error)
        else:
            flash("Two-factor login is off.", "success")
            return redirect(url_for(".edit"))
    return _manage_page(form)
