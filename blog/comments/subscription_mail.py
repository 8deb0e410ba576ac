"""The mail of follow-up subscriptions (:mod:`blog.comments.subscriptions`):
the confirmation, the follow-up, the approval notice, and their links.

Links are absolute, on the public site's address (``SITE_URL``), so mail
queued by a command says the same as mail queued by a request. Every mail
to a subscriber carries RFC 8058's one-click unsubscribe (the
``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers, and the same
link in the text) and the link to the page of all the address's
subscriptions, whose key is the address signed with the site's secret.
Messages are queued in the caller's transaction (:mod:`blog.mail.outbox`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from flask import current_app, request, url_for
from itsdangerous import BadData, URLSafeSerializer

from blog import mail
from blog.comments import threads
from blog.comments.settings import CommentSettings
from blog.mail import outbox
from blog.models import Comment, CommentSubscription, Post, SubscriptionScope

ONE_CLICK = "List-Unsubscribe=One-Click"
_MANAGE_SALT = "comment-subscriptions-manage"

#: What a subscription sends, in the mail's words.
SCOPE_WORDS = {
    SubscriptionScope.REPLIES: "replies to your comment",
    SubscriptionScope.ALL: "new comments",
}


def manage_key(secret: str, email: str) -> str:
    """The key of an address's subscriptions page: the address (lower
    case), signed with the site's secret. It never expires, as the
    unsubscribe links do not."""
    return str(URLSafeSerializer(secret, salt=_MANAGE_SALT).dumps(email.lower()))


def email_for_key(secret: str, key: str) -> str | None:
    """The address a :func:`manage_key` was made for, or None if forged."""
    try:
        email = URLSafeSerializer(secret, salt=_MANAGE_SALT).loads(key)
    except (BadData, UnicodeError, ValueError):
        return None
    return email if isinstance(email, str) and email else None


@dataclass(frozen=True)
class Links:
    """Absolute addresses on the public site; made by :func:`links`."""

    settings: CommentSettings
    secret: str

    def external(self, endpoint: str, **values: Any) -> str:
        return url_for(endpoint, _external=True, **values)

    def post(self, post: Post, **values: Any) -> str:
        """A post's public address (:func:`blog.views.context.public_url`)."""
        from blog.views import context  # it imports blog.site, which imports us

        return urljoin(request.host_url, context.public_url(post, **values))

    def comment(self, comment: Comment) -> str:
        """An approved comment in its post's thread, on the page showing it."""
        page = threads.page_of(
            comment,
            max_depth=int(current_app.config["COMMENT_THREAD_DEPTH"]),
            per_page=int(current_app.config["COMMENTS_PER_PAGE"]),
        )
        values = {"cpage": page} if page > 1 else {}
        return self.post(comment.post, **values) + f"#comment-{comment.id}"

    def unsubscribe(self, subscription: CommentSubscription) -> str:
        return self.external("subscriptions.unsubscribe", token=subscription.token)

    def footer(self, subscription: CommentSubscription) -> dict[str, str]:
        """The unsubscribe and subscriptions-page links every mail carries."""
        key = manage_key(self.secret, subscription.email)
        return {
            "unsubscribe_url": self.unsubscribe(subscription),
            "manage_url": self.external("subscriptions.manage", key=key),
        }

    def list_headers(self, subscription: CommentSubscription) -> dict[str, str]:
        """RFC 8058's one-click unsubscribe (RFC 2369's header, plus POST)."""
        return {
            "List-Unsubscribe": f"<{self.unsubscribe(subscription)}>",
            "List-Unsubscribe-Post": ONE_CLICK,
        }


@contextmanager
def links(settings: CommentSettings) -> Iterator[Links]:
    """:class:`Links` inside a request context for the public site's address
    (``url_for`` needs one; inside a request, its app context and ``g`` are
    kept, so settings read once per request stay read once). A writer's
    request, as the callers are: on SQLite a transaction begun inside it
    takes the write lock at once (:func:`blog.database.write_intent`)."""
    base = settings.site_url or "http://localhost"
    with current_app.test_request_context("/", base_url=base, method="POST"):
        yield Links(settings, str(current_app.config["SECRET_KEY"]))


def queue_confirmation(
    subscription: CommentSubscription,
    post: Post,
    settings: CommentSettings,
    now: datetime,
) -> None:
    """The double opt-in mail: nothing else is sent until its link is used."""
    title = _title(post)
    with links(settings) as made:
        body = mail.render_text(
            "subscription_confirm.txt",
            post_title=title,
            post_url=made.post(post),
            scope_words=SCOPE_WORDS[subscription.scope],
            confirm_url=made.external(
                "subscriptions.confirm", token=subscription.token
            ),
            **made.footer(subscription),
        )
        headers = made.list_headers(subscription)
    outbox.enqueue(
        to=[subscription.email],
        subject=_subject(settings, f"Please confirm: emails about “{title}”"),
        body=body,
        headers=headers,
        now=now,
    )


def queue_follow_up(
    made: Links,
    subscription: CommentSubscription,
    comment: Comment,
    comment_url: str,
    *,
    is_reply: bool,
    now: datetime,
) -> None:
    """One subscriber's mail about an approved comment, with its text."""
    title = _title(comment.post)
    body = mail.render_text(
        "comment_follow_up.txt",
        is_reply=is_reply,
        author_name=" ".join(comment.author_name.split()),
        body=comment.body_source,
        post_title=title,
        comment_url=comment_url,
        scope_words=SCOPE_WORDS[subscription.scope],
        **made.footer(subscription),
    )
    what = "New reply to your comment" if is_reply else "New comment"
    outbox.enqueue(
        to=[subscription.email],
        subject=_subject(made.settings, f"{what} on “{title}”"),
        body=body,
        headers=made.list_headers(subscription),
        now=now,
    )


def queue_approval_notice(
    made: Links, comment: Comment, comment_url: str, *, now: datetime
) -> None:
    """Tell a reader that their held comment was approved."""
    title = _title(comment.post)
    body = mail.render_text(
        "comment_approved.txt",
        name=" ".join(comment.author_name.split()),
        post_title=title,
        comment_url=comment_url,
    )
    outbox.enqueue(
        to=[comment.author_email],
        subject=_subject(made.settings, f"Your comment on “{title}” was approved"),
        body=body,
        now=now,
    )


def _title(post: Post) -> str:
    return " ".join(post.title.split())[:150]


def _subject(settings: CommentSettings, text: str) -> str:
    """``[Site title] text``, so a reader knows which site writes."""
    site_title = " ".join(str(settings.site.get("title") or "").split())
    return f"[{site_title}] {text}" if site_title else text
