"""Readers' follow-up subscriptions: confirm (the double opt-in link), the
one-click unsubscribe (RFC 8058: a POST without a session), and the page
that lists and ends all of a reader's subscriptions.

The secret in the address is the authority: a subscription's token, or
the subscriptions page's key (the address, signed). So the POSTs take no
session CSRF token (a mail client's one-click POST has no cookie, and an
anonymous reader has no session); a forged request would need the secret
it acts on. GET changes nothing: mail scanners open links. Each page is for
the holder of its link alone: ``no-store``, ``noindex``, no ``Referer``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from blog.comments import subscriptions
from blog.comments.subscription_mail import SCOPE_WORDS, email_for_key, manage_key
from blog.comments.subscriptions import PageAction
from blog.extensions import csrf
from blog.models import CommentSubscription, SubscriptionStatus, utcnow
from blog.numbers import parse_int
from blog.views.hooks import secret_link_page

bp = Blueprint("subscriptions", __name__, url_prefix="/comments/subscriptions")

#: What the subscriptions page says after a button (``?done=``).
DONE = {
    "confirmed": "Subscription confirmed.",
    "ended": "Subscription ended: no more emails about that post.",
    "ended_all": "All your subscriptions are ended: no more follow-up emails.",
    "none": "That subscription was already ended.",
}


def _private(html: str) -> Response:
    return secret_link_page(Response(html, mimetype="text/html"))


def _subscription(token: str) -> CommentSubscription:
    return subscriptions.by_token(token) or abort(404)


def _page(template: str, subscription: CommentSubscription, **context: object) -> str:
    secret = str(current_app.config["SECRET_KEY"])
    return render_template(
        f"comments/subscriptions/{template}",
        subscription=subscription,
        post=subscription.post,
        post_visible=subscription.post.is_visible(utcnow()),
        scope_words=SCOPE_WORDS[subscription.scope],
        manage_url=url_for(".manage", key=manage_key(secret, subscription.email)),
        **context,
    )


@bp.route("/<token>/confirm", methods=["GET", "POST"])
@csrf.exempt  # the token in the address is the authority
def confirm(token: str) -> ResponseReturnValue:
    """The double opt-in link: a button (GET), which confirms (POST)."""
    subscription = _subscription(token)
    confirmed = request.method == "POST" and subscriptions.confirm(subscription)
    return _private(_page("confirm.html", subscription, confirmed=confirmed))


@bp.route("/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client's POST has no cookie
def unsubscribe(token: str) -> ResponseReturnValue:
    """The one-click unsubscribe (POST), and its page with a button (GET)."""
    subscription = _subscription(token)
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
    ended = request.method == "POST" or subscription.status == SubscriptionStatus.ENDED
    return _private(_page("unsubscribe.html", subscription, ended=ended))


def _email(key: str) -> str:
    return email_for_key(str(current_app.config["SECRET_KEY"]), key) or abort(404)


@bp.get("/manage/<key>/")
def manage(key: str) -> ResponseReturnValue:
    """An address's pending and active subscriptions, with their buttons."""
    email = _email(key)
    now = utcnow()
    rows = [
        (subscription, subscription.post.is_visible(now))
        for subscription in subscriptions.subscriptions_for(email)
    ]
    page = render_template(
        "comments/subscriptions/manage.html",
        email=email,
        key=key,
        rows=rows,
        scope_words=SCOPE_WORDS,
        done=DONE.get(request.args.get("done", ""), ""),
    )
    return _private(page)


@bp.post("/manage/<key>/", endpoint="change")
@csrf.exempt  # the key in the address is the authority; readers have no session
def change(key: str) -> ResponseReturnValue:
    """A button of the subscriptions page, then the page again (303)."""
    email = _email(key)
    action, subscription_id = _pressed()
    done = subscriptions.act(email, action, subscription_id)
    words = {PageAction.CONFIRM: "confirmed", PageAction.END: "ended"}
    outcome = "ended_all" if action == PageAction.END_ALL else words[action]
    return redirect(url_for(".manage", key=key, done=outcome if done else "none"), 303)


def _pressed() -> tuple[PageAction, int | None]:
    """Which button: ``end_all``, or ``end``/``confirm`` with an id; 400 else."""
    if request.form.get(PageAction.END_ALL.value):
        return PageAction.END_ALL, None
    for action in (PageAction.END, PageAction.CONFIRM):
        if (subscription_id := parse_int(request.form.get(action.value))) is not None:
            return action, subscription_id
    abort(400)
