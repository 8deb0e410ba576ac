"""Moderating comments at ``/dashboard/comments/``.

Editors and admins moderate every comment; authors those on their own
posts. Every action is a POST with a CSRF token. Without JavaScript each
one redirects back to the list (its tab, search and page kept by ``next``)
with a message and an "Undo" button; ``comment-moderation.js`` (keyboard
shortcuts) sends the same forms asking for JSON, and gets the message, the
undo token and the comment's new row.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from blog.comments import Action, TransitionRefused, undo
from blog.comments.moderation import (
    MATCHING_LIMIT,
    UNLISTED,
    Outcome,
    author_records,
    count_matching,
    edit_comment,
    moderate,
    moderate_ids,
    moderate_matching,
    queue,
    recheck_held,
    status_counts,
)
from blog.comments.moderation import (
    reply as reply_to,
)
from blog.comments.permissions import can_moderate_all, can_moderate_some
from blog.comments.spam_stats import panel_for
from blog.comments.states import allowed_actions, describe
from blog.extensions import csrf
from blog.forms.comments import CommentEditForm, ReplyForm
from blog.forms.common import ActionForm
from blog.forms.moderation import ModerationBulkForm, UndoForm
from blog.models import Comment, CommentStatus, utcnow
from blog.numbers import parse_ids
from blog.paging import AtLeast, paginate
from blog.validation import local_path
from blog.views.arguments import page_number, text_arg
from blog.views.context import comment_settings
from blog.views.dashboard.access import abort_unless, load_comment
from blog.views.form_page import form_page

bp = Blueprint("comments", __name__, url_prefix="/comments")
PER_PAGE = 20
#: The statuses each tab lists (for the script: does a row stay?).
TAB_STATUSES = {
    "": " ".join(s.value for s in CommentStatus if s not in UNLISTED),
    **{s.value: s.value for s in CommentStatus},
}


@bp.before_request
def require_moderator() -> None:
    abort_unless(can_moderate_some(current_user))


def _back() -> str:
    target = local_path(request.form.get("next"))
    if target and target.startswith("/dashboard/comments/"):
        return target
    return url_for(".index")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/")
def index() -> ResponseReturnValue:
    status, search = text_arg("status"), text_arg("q")
    status = status if status in set(CommentStatus) else ""
    query = queue(current_user, status, search)
    pagination = paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    counts = status_counts(current_user)
    # The tabs' counts leave the search out; a search is counted on its own.
    matching = (
        count_matching(current_user, status, search)
        if search
        else counts[status or "all"]
    )
    return render_template(
        "dashboard/comments/index.html",
        pagination=pagination,
        status=status,
        search=search,
        counts=counts,
        matching=matching,
        matching_capped=isinstance(matching, AtLeast),
        matching_limit=f"{MATCHING_LIMIT:,}",
        tab_statuses=TAB_STATUSES[status],
        bulk_form=ModerationBulkForm(data={"status": status, "q": search}),
        akismet=comment_settings().akismet.enabled,
        can_recheck=can_moderate_all(current_user),
        spam_panel=panel_for(
            current_user, utcnow(), checking_on=comment_settings().akismet.enabled
        ),
        shortcuts=bool(current_user.keyboard_shortcuts),
        **_row_context(pagination.items, request.full_path.rstrip("?")),
    )


def _row_context(comments: list[Comment], back: str) -> dict[str, Any]:
    """What a row of the list shows besides its comment: its author's
    record, its actions, where its forms come back to."""
    return {
        "records": author_records(comments),
        "allowed": allowed_actions,
        "describe": describe,
        "back": back,
    }


def _row(comment: Comment) -> str:
    """One row of the list, for the script to put in place of the old one."""
    return render_template(
        "dashboard/comments/_row.html",
        comment=comment,
        **_row_context([comment], _back()),
    )


@bp.post("/<int:comment_id>/<action>")
def act(comment_id: int, action: str) -> ResponseReturnValue:
    chosen = Action.from_slug(action) or abort(404)
    comment = load_comment(comment_id)
    outcome = moderate(current_user, [comment], chosen, comment_settings())
    if _wants_json():
        gone = chosen == Action.DELETE and outcome.done > 0
        return jsonify(
            {
                **_answer(outcome, chosen),
                "id": comment_id,
                "status": None if gone else comment.status.value,
                "row": None if gone else _row(comment),
            }
        )
    _report(outcome, chosen)
    return redirect(_back())


@bp.post("/bulk")
def bulk() -> ResponseReturnValue:
    form = ModerationBulkForm()
    chosen = form.chosen if form.validate_on_submit() else None
    ids = parse_ids(request.form.getlist("ids"))
    if chosen is not None and form.all_matching.data:
        outcome = moderate_matching(
            current_user,
            chosen,
            comment_settings(),
            status=form.status.data or "",
            search=(form.q.data or "").strip(),
        )
        _report(outcome, chosen, everywhere=True)
    elif chosen is None or not ids:
        flash("Choose an action and at least one comment.", "error")
    else:
        _report(moderate_ids(current_user, ids, chosen, comment_settings()), chosen)
    return redirect(_back())


def _messages(
    outcome: Outcome, action: Action, *, everywhere: bool = False
) -> list[tuple[str, str]]:
    """What to tell the moderator, as (category, text)."""
    said = []
    if outcome.done:
        noun = "comment" if outcome.done == 1 else "comments"
        said.append(("success", f"{outcome.done:,} {noun} {action.done}."))
    elif everywhere:
        said.append(("info", f"No comment in this view could be {action.past}."))
    if outcome.more_left:
        said.append(
            (
                "info",
                "More comments in this view remain: apply the action again to go on.",
            )
        )
    said += [("error", reason) for reason in sorted(set(outcome.refused))]
    if outcome.akismet_failed:
        said.append(
            ("info", "Akismet could not be told about this; the action still stands.")
        )
    return said


def _undo_token(outcome: Outcome, action: Action) -> str | None:
    return undo.offer(
        current_user, action, outcome.undoable, str(current_app.config["SECRET_KEY"])
    )


def _report(outcome: Outcome, action: Action, *, everywhere: bool = False) -> None:
    """Flash the messages; the success one with an "Undo" button, which
    sends the list's undo form (``form="undo-form"``): a flashed message is
    text in a paragraph, where a form of its own cannot go."""
    token = _undo_token(outcome, action)
    for category, text in _messages(outcome, action, everywhere=everywhere):
        if category == "success" and token:
            flash(
                Markup(
                    "{} <button type=submit form=undo-form name=token"
                    ' value="{}" class="undo-button">Undo</button>'
                ).format(text, token),
                category,
            )
        else:
            flash(text, category)


def _answer(outcome: Outcome, action: Action) -> dict[str, Any]:
    """The messages and undo token as JSON, and the tabs' new counts."""
    token = _undo_token(outcome, action)
    return {
        "messages": [
            {"category": category, "text": text}
            for category, text in _messages(outcome, action)
        ],
        "undo": {"url": url_for(".undo_action"), "token": token} if token else None,
        "counts": {tab: str(n) for tab, n in status_counts(current_user).items()},
    }


@bp.post("/undo")
def undo_action() -> ResponseReturnValue:
    form = UndoForm()
    try:
        if not form.validate_on_submit():
            raise undo.UndoRefused("This undo is no longer available.")
        result = undo.undo(
            current_user,
            form.token.data or "",
            secret=str(current_app.config["SECRET_KEY"]),
            settings=comment_settings(),
        )
    except undo.UndoRefused as error:
        if _wants_json():
            return jsonify(messages=[{"category": "error", "text": str(error)}]), 400
        flash(str(error), "error")
        return redirect(_back())
    said = [("success" if result.restored else "info", result.message)]
    if result.akismet_failed:
        said.append(("info", "Akismet could not be told about this."))
    if _wants_json():
        return jsonify(
            messages=[{"category": c, "text": t} for c, t in said],
            restored=[
                {"id": c.id, "status": c.status.value, "row": _row(c)}
                for c in result.comments
            ],
            counts={tab: str(n) for tab, n in status_counts(current_user).items()},
        )
    for category, text in said:
        flash(text, category)
    return redirect(_back())


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
