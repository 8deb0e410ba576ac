"""Moderating comments at ``/dashboard/comments/``.

Editors and admins moderate every comment; authors those on their own
posts. Every action is a POST with a CSRF token.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.comments import Action, TransitionRefused
from blog.comments.moderation import (
    Outcome,
    author_records,
    edit_comment,
    moderate,
    moderate_ids,
    queue,
    recheck_held,
    status_counts,
)
from blog.comments.moderation import (
    reply as reply_to,
)
from blog.comments.permissions import can_moderate_all, can_moderate_some
from blog.comments.states import allowed_actions, describe
from blog.extensions import csrf
from blog.forms.comments import BulkForm, CommentEditForm, ReplyForm
from blog.forms.common import ActionForm
from blog.models import Comment, CommentStatus
from blog.numbers import parse_ids
from blog.paging import paginate
from blog.validation import local_path
from blog.views.arguments import page_number, text_arg
from blog.views.context import comment_settings
from blog.views.dashboard.access import abort_unless, load_comment
from blog.views.form_page import form_page

bp = Blueprint("comments", __name__, url_prefix="/comments")


@bp.before_request
def require_moderator() -> None:
    abort_unless(can_moderate_some(current_user))


def _back() -> str:
    target = local_path(request.form.get("next"))
    if target and target.startswith("/dashboard/comments/"):
        return target
    return url_for(".index")


@bp.get("/")
def index() -> ResponseReturnValue:
    status, search = text_arg("status"), text_arg("q")
    query = queue(current_user, status, search)
    pagination = paginate(query, page=page_number(), per_page=20, error_out=False)
    return render_template(
        "dashboard/comments/index.html",
        pagination=pagination,
        status=status if status in set(CommentStatus) else "",
        search=search,
        **_list_context(pagination.items),
    )


def _list_context(comments: list[Comment]) -> dict[str, Any]:
    """What the list shows besides the page of comments: the tabs' counts,
    each author's record, the actions, the forms."""
    return {
        "counts": status_counts(current_user),
        "records": author_records(comments),
        "allowed": allowed_actions,
        "describe": describe,
        "action_form": ActionForm(),
        "bulk_form": BulkForm(),
        "akismet": comment_settings().akismet.enabled,
        "can_recheck": can_moderate_all(current_user),
    }


@bp.post("/<int:comment_id>/<action>")
def act(comment_id: int, action: str) -> ResponseReturnValue:
    chosen = Action.from_slug(action) or abort(404)
    comment = load_comment(comment_id)
    _report(moderate(current_user, [comment], chosen, comment_settings()), chosen)
    return redirect(_back())


@bp.post("/bulk")
def bulk() -> ResponseReturnValue:
    form = BulkForm()
    chosen = form.chosen if form.validate_on_submit() else None
    ids = parse_ids(request.form.getlist("ids"))
    if chosen is None or not ids:
        flash("Choose an action and at least one comment.", "error")
    else:
        _report(moderate_ids(current_user, ids, chosen, comment_settings()), chosen)
    return redirect(_back())


def _report(outcome: Outcome, action: Action) -> None:
    if outcome.done:
        noun = "comment" if outcome.done == 1 else "comments"
        flash(f"{outcome.done} {noun} {action.done}.", "success")
    for reason in sorted(set(outcome.refused)):
        flash(reason, "error")
    if outcome.akismet_failed:
        flash("Akismet could not be told about this; the action still stands.", "info")


@bp.route("/<int:comment_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    form = CommentEditForm.for_comment(comment if request.method == "GET" else None)
    return form_page(
        form,
        lambda: edit_comment(current_user, comment, form.to_submission()),
        template="dashboard/comments/edit.html",
        done="Comment updated.",
        then=url_for(".index"),
        comment=comment,
    )


@bp.route("/<int:comment_id>/reply", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def reply(comment_id: int) -> ResponseReturnValue:
    parent, form = load_comment(comment_id), ReplyForm()
    try:
        return form_page(
            form,
            lambda: reply_to(
                current_user,
                parent,
                form.comment.data or "",
                settings=comment_settings(),
            ),
            template="dashboard/comments/reply.html",
            done="Reply published.",
            then=url_for(".index"),
            comment=parent,
        )
    except TransitionRefused as error:  # the comment became spam meanwhile
        flash(str(error), "error")
        return redirect(url_for(".index"))


@bp.post("/recheck")
def recheck() -> ResponseReturnValue:
    abort_unless(ActionForm().validate_on_submit())
    result = recheck_held(current_user, comment_settings())
    if result.stopped:
        flash(
            f"Checked {result.checked} comment(s); Akismet is still unreachable, "
            "the rest will be retried.",
            "error",
        )
    else:
        flash(
            f"Checked {result.checked} comment(s) for spam; any others are "
            "checked by the scheduled job.",
            "success",
        )
    return redirect(url_for(".index", status="pending"))
