"""Readers' side of comments: the form, the thread, the held-comment page.

:func:`comment_context` builds everything ``public/_comments.html`` shows;
article and event pages both call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from flask.wrappers import Response
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from blog import comments, spam, threads
from blog.extensions import comment_rate, csrf, db, limiter
from blog.forms import CommentForm
from blog.models import Comment, CommentStatus, Post, User, utcnow
from blog.views.hooks import current_settings
from blog.views.links import public_url

bp = Blueprint("comments", __name__)

REMEMBER_COOKIE = "comment_author"
REMEMBER_DAYS = 365


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
    max_depth: int
    post_url: str

    def page_url(self, page: int) -> str:
        return public_url(self.post, cpage=page) + "#comments"

    def reply_url(self, comment: Comment) -> str:
        return public_url(self.post, replytocom=comment.id) + "#respond"

    def badge(self, comment: Comment) -> str:
        if comment.user_id is None:
            return ""
        return "Author" if comment.user_id == self.post.author_id else "Staff"


def _viewer(viewer: Any) -> User | None:
    return viewer if viewer is not None and viewer.is_authenticated else None


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
    settings = current_settings()
    config = current_app.config
    staff = _viewer(viewer)
    is_open = comments.comments_open(post, settings, utcnow())
    thread = threads.build(
        threads.approved_comments(post.id),
        max_depth=int(config["COMMENT_THREAD_DEPTH"]),
        per_page=int(config["COMMENTS_PER_PAGE"]),
        page=request.args.get("cpage", type=int),
    )
    parent_id = request.args.get("replytocom", type=int)
    if form is not None and form.comment_parent.data:
        parent_id = (
            int(form.comment_parent.data)
            if form.comment_parent.data.isdigit()
            else None
        )
    reply_to = thread.by_id.get(parent_id) if parent_id else None
    if is_open and form is None:
        remembered = {} if staff else _remembered()
        form = CommentForm(
            formdata=None, data={**remembered, "remember": bool(remembered)}
        )
        if remembered:
            _private_page()
        if staff:
            form.for_staff()
    if form is not None:
        form.ts.data = comments.form_token(config["SECRET_KEY"], post.id)
        form.comment_parent.data = str(reply_to.id) if reply_to else ""
        form.fax_number.data = ""
    return {
        "discussion": Discussion(
            post=post,
            thread=thread,
            open=is_open,
            form=form if is_open else None,
            reply_to=reply_to,
            akismet=spam.akismet_config(config, settings).enabled,
            staff=staff is not None,
            max_depth=int(config["COMMENT_THREAD_DEPTH"]),
            post_url=public_url(post),
        )
    }


def comment_url(comment: Comment) -> str:
    """Where the commenter lands after posting: on the comment itself."""
    if comment.status != CommentStatus.APPROVED:
        return url_for("comments.held", token=comment.token) + f"#comment-{comment.id}"
    approved = threads.approved_comments(comment.post_id)
    page = (
        threads.root_index(approved, comment.id)
        // int(current_app.config["COMMENTS_PER_PAGE"])
        + 1
    )
    kwargs = {"cpage": page} if page > 1 else {}
    return public_url(comment.post, **kwargs) + f"#comment-{comment.id}"


def _form_page(post: Post, form: CommentForm, status: int, message: str = ""):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "public/comment_form.html",
            post=post,
            message=message,
            **comment_context(post, current_user, form),
        ),
        status,
        {"Cache-Control": "private, no-store"},
    )


@bp.post("/comments/post/<int:post_id>")
@limiter.limit(comment_rate)
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def submit(post_id: int):  # type: ignore[no-untyped-def]
    post = db.session.get(Post, post_id)
    settings = current_settings()
    now = utcnow()
    if post is None or not comments.comments_open(post, settings, now):
        abort(404)
    staff = _viewer(current_user)
    form = CommentForm()
    if staff:
        form.for_staff()
    if not form.validate_on_submit():
        return _form_page(post, form, 400)
    author = (
        {}
        if staff
        else {
            "name": form.name.data or "",
            "email": form.email.data or "",
            "url": form.url.data or "",
        }
    )
    data = comments.Submission(
        **author,
        body=form.comment.data or "",
        parent_id=_int(form.comment_parent.data),
        ip=request.remote_addr or "",
        user_agent=request.user_agent.string,
        referrer=request.referrer or "",
        permalink=current_app.config["SITE_URL"].rstrip("/") + public_url(post),
        honeypot=form.fax_number.data or "",
        form_age=comments.form_age(
            current_app.config["SECRET_KEY"], form.ts.data or "", post.id, now
        ),
    )
    try:
        comment = comments.submit_comment(post, data, staff, settings, now=now)
    except comments.CommentsClosed:
        abort(404)
    except comments.CommentInvalid as error:
        for name, text in error.errors.items():
            getattr(form, name).errors = [*getattr(form, name).errors, text]
        return _form_page(post, form, 400)
    except comments.Flooded as error:
        return _form_page(post, form, 429, str(error))
    except comments.Duplicate as error:
        form.comment.errors = [str(error)]
        return _form_page(post, form, 409)
    response = redirect(comment_url(comment), 303)
    if not staff:
        _remember(response, form)
    return response


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


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
def held(token: str):  # type: ignore[no-untyped-def]
    """The author's own view of a held comment (unguessable, noindex, no-store)."""
    if not 20 <= len(token) <= 64:
        abort(404)
    comment = db.session.scalar(select(Comment).where(Comment.token == token))
    if comment is None:
        abort(404)
    response = make_response(
        render_template(
            "public/comment_held.html",
            comment=comment,
            post=comment.post,
            post_visible=comment.post.is_visible(utcnow()),
        )
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/privacy/")
def privacy():  # type: ignore[no-untyped-def]
    return render_template("public/privacy.html")
