"""Avatars made on this server: ``/avatars/<hash>.svg``, drawn from a keyed
hash of a commenter's email, and staff profile pictures at
``/avatars/users/<name>``. Both are the same for everyone and never change
at one address, so browsers and shared caches keep them a year; neither
reads the database, the session or a cookie.

``avatar_url(comment_or_user, size)`` in every template gives the address
of the picture to show (:func:`avatar_url`); ``macros/avatar.html`` draws it.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from sqlalchemy import inspect

from blog.accounts import avatar as pictures
from blog.comments import avatars
from blog.models import Comment, User
from blog.views.context import current_settings, uploads

bp = Blueprint("avatars", __name__, url_prefix="/avatars")
ONE_YEAR = 365 * 24 * 3600
#: Stands for the digest in the generated avatars' address, built once a request.
_PLACEHOLDER = "0" * avatars.DIGEST_LENGTH
#: Nothing but the image: no script, style or request from inside an SVG.
IMAGE_POLICY = "default-src 'none'; sandbox"


def avatar_url(subject: Comment | User, size: int = 48) -> str:
    """The address of the picture shown for a comment's author (or a user):
    formatting only, from what is loaded already (a comment's ``user`` is
    used when the query loaded it, never fetched here)."""
    email, picture = _identity(subject)
    choice = avatars.choose(
        email,
        picture=picture,
        secret_key=str(current_app.config["SECRET_KEY"]),
        gravatar=bool(current_settings().get("comments_gravatar")),
        size=size,
    )
    if choice.source == avatars.Source.PICTURE:
        return url_for("avatars.picture", filename=choice.value)
    if choice.source == avatars.Source.GRAVATAR:
        return choice.value
    if "avatar_base" not in g:  # one url_for for a thread's fifty avatars
        g.avatar_base = url_for("avatars.generated", digest=_PLACEHOLDER)
    return str(g.avatar_base).replace(_PLACEHOLDER, choice.value)


def _identity(subject: Comment | User) -> tuple[str, str]:
    """The email and uploaded picture an avatar is chosen by."""
    if isinstance(subject, User):
        return subject.email, subject.avatar_file
    if subject.user_id is not None and "user" not in inspect(subject).unloaded:
        user = subject.user
        if user is not None:
            return user.email, user.avatar_file
    return subject.author_email, ""


bp.add_app_template_global(avatar_url, "avatar_url")


@bp.get("/<digest>.svg")
def generated(digest: str) -> ResponseReturnValue:
    """The pattern drawn for one digest (no query: the digest is all it needs)."""
    if not avatars.DIGEST_PATTERN.fullmatch(digest):
        abort(404)
    response = Response(avatars.identicon_svg(digest), mimetype="image/svg+xml")
    response.set_etag(avatars.etag(digest))
    _cache_for_ever(response)
    return response.make_conditional(request)


@bp.get("/users/<filename>")
def picture(filename: str) -> ResponseReturnValue:
    """A staff member's uploaded picture (random names, never reused)."""
    if pictures.stored_path(uploads(), filename) is None:
        abort(404)
    response = send_from_directory(
        pictures.folder(uploads()), filename, mimetype="image/webp", max_age=ONE_YEAR
    )
    _cache_for_ever(response)
    return response


def _cache_for_ever(response: Response) -> None:
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.headers["Content-Security-Policy"] = IMAGE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
