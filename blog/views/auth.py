"""Logging in and out, and the first-run set-up."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from blog.accounts import (
    LoginThrottled,
    SetupRefused,
    ThrottleLimits,
    authenticate,
    needs_setup,
    setup_site,
    twofactor,
)
from blog.accounts.authentication import AccountDeactivated
from blog.accounts.sessions import SessionLifetimes, end_all_sessions, start_session
from blog.dates import wait_text
from blog.errors import FieldError
from blog.extensions import csrf, limiter, login_rate
from blog.forms.accounts import LoginForm, SetupForm
from blog.forms.common import show_errors
from blog.forms.profile import AuthenticationCodeForm
from blog.models import User, utcnow
from blog.validation import local_path
from blog.views.form_page import form_page

bp = Blueprint("auth", __name__)

#: Flask-Login's session key saying what to do with the remember-me cookie.
REMEMBER_FLAG = "_remember"

#: The same answer for an unknown account and a wrong password.
UNKNOWN_LOGIN = "Unknown username or email, or wrong password."
THROTTLED = "Too many failed attempts. Wait {wait} and try again."
DEACTIVATED = "This account is deactivated. Ask an administrator to reactivate it."
LOGIN_EXPIRED = "Your login timed out before the code was entered. Log in again."
RECOVERY_CODE_USED = (
    "You logged in with a recovery code, which now no longer works. "
    "If your app is lost, make new codes or turn two-factor login off in your profile."
)
#: The Flask session's key for a right password waiting for its code.
PENDING_LOGIN = "pending_login"


def safe_next(target: str | None) -> str:
    """Only a local path: never another host, scheme or protocol-relative URL."""
    return local_path(target) or url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate, methods=["POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def login() -> ResponseReturnValue:
    if needs_setup():
        return redirect(url_for("auth.setup"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = _authenticate(form)
        except LoginThrottled as throttled:
            flash(THROTTLED.format(wait=wait_text(throttled.seconds)), "error")
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(throttled.seconds)}
        if user is not None and user.two_factor_enabled:
            _await_code(user, remember=bool(form.remember.data), target=form.next.data)
            return redirect(url_for("auth.two_factor"))
        if user is not None:
            _start_session(user, remember=bool(form.remember.data))
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


def _await_code(user: User, *, remember: bool, target: str | None) -> None:
    """A right password for a user with two-factor login: no session yet,
    only the pending login (for :data:`twofactor.PENDING_LOGIN`)."""
    session.clear()
    pending = twofactor.PendingLogin(
        user_id=user.id,
        remember=remember,
        next=local_path(target) or "",
        started=utcnow().timestamp(),
    )
    session[PENDING_LOGIN] = pending.to_session()


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(login_rate, methods=["POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def two_factor() -> ResponseReturnValue:
    """The login's second step: a code from the app or a recovery code."""
    pending = twofactor.PendingLogin.from_session(session.get(PENDING_LOGIN), utcnow())
    user = twofactor.pending_user(pending)
    if pending is None or user is None:
        session.pop(PENDING_LOGIN, None)
        flash(LOGIN_EXPIRED, "info")
        return redirect(url_for("auth.login"))
    form = AuthenticationCodeForm()
    if form.validate_on_submit():
        try:
            used = twofactor.check_login_code(
                user,
                form.code.data or "",
                request.remote_addr or "unknown",
                ThrottleLimits.from_config(current_app.config),
            )
        except LoginThrottled as throttled:
            flash(THROTTLED.format(wait=wait_text(throttled.seconds)), "error")
            page = render_template("auth/two_factor.html", form=form)
            return page, 429, {"Retry-After": str(throttled.seconds)}
        if used is None:
            show_errors(form, FieldError(twofactor.WRONG_CODE, "code"))
        else:
            _start_session(user, remember=pending.remember)
            if used == "recovery":
                flash(RECOVERY_CODE_USED, "info")
            return redirect(safe_next(pending.next))
    return render_template("auth/two_factor.html", form=form)


def _authenticate(form: LoginForm) -> User | None:
    """The account the form names, if the password is right (else an error
    on the form). :raises LoginThrottled:"""
    try:
        user = authenticate(
            form.login.data or "",
            form.password.data or "",
            request.remote_addr or "unknown",
            ThrottleLimits.from_config(current_app.config),
        )
    except AccountDeactivated:
        show_errors(form, FieldError(DEACTIVATED, "login"))
        return None
    if user is None:
        show_errors(form, FieldError(UNKNOWN_LOGIN, "password"))
    return user


def _start_session(user: User, *, remember: bool = False) -> None:
    """A fresh session for ``user`` (nothing of the anonymous one is kept),
    recorded server-side so that it can be listed and ended."""
    session.clear()
    start_session(
        user,
        ip=request.remote_addr or "",
        user_agent=request.user_agent.string,
        remember=remember,
        lifetimes=SessionLifetimes.from_config(current_app.config),
    )
    login_user(user, remember=remember)
    if not remember:
        # A remember-me cookie left by someone else's earlier login on this
        # browser must not outlive this session (Flask-Login deletes it).
        session[REMEMBER_FLAG] = "clear"


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    # SECURITY.md: logging out ends every session of the account.
    end_all_sessions(current_user)
    session.clear()
    logout_user()  # after clear(): it marks the remember-me cookie for deletion
    flash("You are now logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def setup() -> ResponseReturnValue:
    if not needs_setup():
        abort(404)
    form = SetupForm()
    return form_page(
        form,
        lambda: _install(form),
        template="auth/setup.html",
        done="Your site is ready. Write your first post!",
        then=url_for("dashboard.home"),
    )


def _install(form: SetupForm) -> None:
    """Set the site up and log its first administrator in."""
    try:
        user = setup_site(
            form.site_title.data or "",
            form.username.data or "",
            form.email.data or "",
            form.password.data or "",
        )
    except SetupRefused:  # another request installed the site meanwhile
        abort(404)
    _start_session(user)
