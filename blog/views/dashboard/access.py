"""Loading what a dashboard page works on: 404 when it does not exist, 403
when the logged-in person may not touch it (the rules are the services')."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from blog.comments.permissions import can_moderate
from blog.extensions import db
from blog.models import Comment, Post, PostKind
from blog.posts.permissions import can_edit_post


def abort_unless(allowed: bool) -> None:
    """403 unless ``allowed``."""
    if not allowed:
        abort(403)


def load_post(post_id: int, kind: PostKind = PostKind.ARTICLE) -> Post:
    """The post (or event) the current user may edit, or 404/403."""
    post = db.session.get(Post, post_id)
    if post is None or post.kind != kind:
        abort(404)
    abort_unless(can_edit_post(current_user, post))
    return post


def load_event(post_id: int) -> Post:
    return load_post(post_id, PostKind.EVENT)


def load_comment(comment_id: int) -> Comment:
    """The comment the current user may moderate, or 404/403."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    abort_unless(can_moderate(current_user, comment))
    return comment
