"""Readers' side of comments: the form, the thread, the held-comment page.

:func:`comment_context` builds everything ``comments/_thread.html`` shows;
article and event pages both call it.

Forgery: an anonymous reader's form carries no session CSRF token (the
page sets no cookie, so caches can keep it). A browser posting from
another site's page says so (``Origin``, ``Sec-Fetch-Site``), and such a
post is refused; the signed timestamp (``ts``, bound to the post and its
age) decides, as before, whether the comment may skip moderation. Logged-in
staff keep their session CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from blog.comments import (
    CommentError,
    CommentInvalid,
    Duplicate,
    Flooded,
    Submission,
    awaiting,
    submit_comment,
    threads,
)
from blog.comments.checks import comments_open, form_age, form_token
from blog.comments.permissions import staff_member
from blog.comments.submit import held_comment, open_post
from blog.extensions import comment_rate, csrf, limiter
from blog.forms.comments import CommentForm
from blog.forms.common import show_errors
from blog.models import Comment, CommentStatus, Post, User, utcnow
from blog.views.arguments import int_arg
from blog.views.caching import cacheable, note_form_token
from blog.views.context import absolute, comment_settings, current_settings, public_url
from blog.views.sharing import page_meta

bp = Blueprint("comments", __name__)

REMEMBER_COOKIE = "comment_author"
REMEMBER_DAYS = 365
CROSS_SITE_MESSAGE = (
    "This comment was sent from a page on another site, so it was not posted. "
    "If you wrote it, check it and post it again from this page."
)


@dataclass
class Discussion:
    """What the comments partial shows for one post."""

    post: Post
    thread: threads.Thread
    open: bool
    form: CommentForm | None
    reply_to: Comment | None
    akismet: bool
    staff: bool

    @property
    def post_url(self) -> str:
        return public_url(self.post)

    def page_url(self, page: int) -> str:
        return public_url(self.post, cpage=page) + "#comments"

    def reply_url(self, comment: Comment) -> str:
        return public_url(self.post, replytocom=comment.id) + "#respond"

    def badge(self, comment: Comment) -> str:
        if comment.user_id is None:
            return ""
        return "Author" if comment.user_id == self.post.author_id else "Staff"


def _remembered() -> dict[str, str]:
    """The name, email and website this browser asked us to remember."""
    raw = request.cookies.get(REMEMBER_COOKIE)
    if not raw:
        return {}
    try:
        value = _cookie_serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: str(value.get(k, ""))[:254] for k in ("name", "email", "url")}


def _cookie_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="comment-author")


def _private_page() -> None:
    @after_this_request
    def no_store(response: Response) -> Response:
        response.headers["Cache-Control"] = "private, no-store"
        return response


def comment_context(
    post: Post, viewer: Any, form: CommentForm | None = None
) -> dict[str, Any]:
    """The ``discussion`` for a post's page (one query for the whole thread).

    :param viewer: ``current_user``; logged-in staff comment as themselves.
    :param form: a submitted form to show again with its errors.
    """
    staff = staff_member(viewer)
    is_open = comments_open(post, current_settings(), utcnow())
    thread = _thread(post)
    held = _held_for_author(post)
    if held is not None:
        awaiting.place(thread, held)
        _held_page()
    parent_id = form.parent_id if form else int_arg("replytocom")
    reply_to = thread.reply_target(parent_id) if parent_id else None
    if is_open:
        form = _stamped(form or _blank_form(staff), post, reply_to)
    akismet = comment_settings().akismet.enabled
    shown = form if is_open else None
    discussion = Discussion(
        post, thread, is_open, shown, reply_to, akismet, bool(staff)
    )
    return {"discussion": discussion}


def _held_for_author(post: Post) -> Comment | None:
    """The held comment the address asks to show its author
    (``?unapproved=ID&moderation-hash=…``), when the hash matches."""
    given = request.args.get("moderation-hash", "")
    if not given:
        return None
    return awaiting.held_for_author(
        post.id,
        int_arg("unapproved"),
        given,
        current_app.config["SECRET_KEY"],
    )


def _thread(post: Post) -> threads.Thread:
    """The page of the post's approved comments the request asks for."""
    return threads.load(
        post.id,
        max_depth=int(current_app.config["COMMENT_THREAD_DEPTH"]),
        per_page=int(current_app.config["COMMENTS_PER_PAGE"]),
        page=int_arg("cpage"),
    )


def _stamped(form: CommentForm, post: Post, reply_to: Comment | None) -> CommentForm:
    """The form with a fresh signed timestamp, its parent, an empty honeypot."""
    form.ts.data = form_token(current_app.config["SECRET_KEY"], post.id)
    note_form_token(form.ts.data, post.id)
    form.comment_parent.data = str(reply_to.id) if reply_to else ""
    form.fax_number.data = ""
    return form


def _blank_form(staff: User | None) -> CommentForm:
    """The form, filled with what this browser asked us to remember."""
    if staff is not None:
        return CommentForm(formdata=None).for_staff()
    remembered = _remembered()
    if remembered:
        _private_page()
    return CommentForm.for_reader(
        formdata=None, data={**remembered, "remember": bool(remembered)}
    )


def _held_page() -> None:
    """The post with one person's held comment in it: theirs alone (no
    cache keeps it), not indexed, and its address (which holds the hash)
    not sent on as a ``Referer``."""

    @after_this_request
    def mark(response: Response) -> Response:
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


def comment_url(comment: Comment) -> str:
    """Where the commenter lands after posting: on the comment itself, in
    the post's thread; a held comment there too, shown to its author alone
    (on a post readers cannot see, on its private page)."""
    shape = {
        "max_depth": int(current_app.config["COMMENT_THREAD_DEPTH"]),
        "per_page": int(current_app.config["COMMENTS_PER_PAGE"]),
    }
    anchor = f"#comment-{comment.id}"
    if comment.status == CommentStatus.APPROVED:
        page = threads.page_of(comment, **shape)
        kwargs: dict[str, Any] = {"cpage": page} if page > 1 else {}
        return public_url(comment.post, **kwargs) + anchor
    if not comment.post.is_visible(utcnow()):
        return url_for("comments.held", token=comment.token) + anchor
    page = awaiting.page_for(comment, **shape)
    kwargs = {"cpage": page} if page > 1 else {}
    kwargs["unapproved"] = comment.id
    kwargs["moderation-hash"] = awaiting.moderation_hash(
        comment, current_app.config["SECRET_KEY"]
    )
    return public_url(comment.post, **kwargs) + anchor


def _form_page(
    post: Post, form: CommentForm, status: int, message: str = ""
) -> ResponseReturnValue:
    """The form again, with what went wrong and everything typed."""
    page = render_template(
        "comments/form.html",
        post=post,
        message=message,
        **comment_context(post, current_user, form),
    )
    return page, status, {"Cache-Control": "private, no-store"}


@bp.post("/comments/post/<int:post_id>")
@limiter.limit(comment_rate)
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def submit(post_id: int) -> ResponseReturnValue:
    now = utcnow()
    post = open_post(post_id, current_settings(), now) or abort(404)
    staff = staff_member(current_user)
    form = CommentForm().for_staff() if staff else CommentForm.for_reader()
    if _cross_site():
        return _form_page(post, form, 403, CROSS_SITE_MESSAGE)
    if not form.validate_on_submit():
        return _form_page(post, form, 400)
    data = _submission(form, post, now)
    try:
        comment = submit_comment(post, data, staff, comment_settings(), now=now)
    except (CommentError, CommentInvalid) as error:
        return _refused(post, form, error)
    response = redirect(comment_url(comment), 303)
    if not staff:
        _remember(response, form)
    return response


def _cross_site() -> bool:
    """The browser says the form was sent from another site's page.

    ``Sec-Fetch-Site: cross-site``, or an ``Origin`` other than this site's
    (the address asked for, over HTTP or HTTPS, or ``SITE_URL``). Without
    either header (curl, older browsers) the post is taken.
    """
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    site = urlsplit(str(current_app.config["SITE_URL"]))
    own = {
        _origin(site.scheme, site.netloc),
        _origin("http", request.host),
        _origin("https", request.host),
    }
    sent = urlsplit(origin.strip())
    return _origin(sent.scheme, sent.netloc) not in own


def _origin(scheme: str, netloc: str) -> str:
    """``scheme://host[:port]``, lower case, without the scheme's default port."""
    scheme, netloc = scheme.lower(), netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return f"{scheme}://{netloc}"


def _refused(
    post: Post, form: CommentForm, error: CommentError | CommentInvalid
) -> ResponseReturnValue:
    """The form again, saying why the comment was not taken."""
    if isinstance(error, CommentInvalid):
        show_errors(form, error)
        return _form_page(post, form, 400)
    if isinstance(error, Flooded):
        return _form_page(post, form, 429, str(error))
    if isinstance(error, Duplicate):
        form.comment.errors = [str(error)]
        return _form_page(post, form, 409)
    abort(404)  # CommentsClosed: closed since the form was checked


def _submission(form: CommentForm, post: Post, now: datetime) -> Submission:
    """The form's data plus what the request says about where it came from."""
    secret = current_app.config["SECRET_KEY"]
    return form.to_submission(
        ip=request.remote_addr or "",
        user_agent=request.user_agent.string,
        referrer=request.referrer or "",
        permalink=absolute(public_url(post)),
        form_age=form_age(secret, form.ts.data or "", post.id, now),
    )


def _remember(response: Response, form: CommentForm) -> None:
    """The "Save my name..." checkbox: a cookie only this site's server reads."""
    if form.remember.data:
        value = {
            "name": form.name.data,
            "email": form.email.data,
            "url": form.url.data or "",
        }
        response.set_cookie(
            REMEMBER_COOKIE,
            _cookie_serializer().dumps(value),
            max_age=REMEMBER_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["ENV"] == "production",
        )
    elif request.cookies.get(REMEMBER_COOKIE):
        response.delete_cookie(REMEMBER_COOKIE, httponly=True, samesite="Lax")


@bp.get("/comments/<token>/")
def held(token: str) -> ResponseReturnValue:
    """The author's own view of a held comment (unguessable, noindex, no-store)."""
    comment = held_comment(token) or abort(404)
    response = make_response(
        render_template(
            "comments/held.html",
            comment=comment,
            post=comment.post,
            post_visible=comment.post.is_visible(utcnow()),
        )
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/privacy/")
@cacheable
def privacy() -> ResponseReturnValue:
    return render_template("comments/privacy.html", meta=page_meta("Privacy"))
