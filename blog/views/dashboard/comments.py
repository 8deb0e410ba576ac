"""Moderating comments at ``/dashboard/comments/``, and the Discussion settings.

Editors and admins moderate every comment; authors those on their own
posts. Every action is a POST with a CSRF token.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from blog import comment_state, comments, moderation, rendering, site_settings, spam
from blog.extensions import csrf, db
from blog.forms import (
    ActionForm,
    BulkForm,
    CommentEditForm,
    DiscussionForm,
    ReplyForm,
)
from blog.models import Comment
from blog.permissions import (
    abort_unless,
    can_manage_settings,
    can_moderate,
    can_moderate_some,
)
from blog.views.hooks import current_settings

bp = Blueprint("comments", __name__, url_prefix="/comments")
discussion_bp = Blueprint("discussion", __name__, url_prefix="/settings/discussion")

#: URL spelling -> state-machine action
ACTIONS = {
    "approve": "approve",
    "unapprove": "unapprove",
    "spam": "spam",
    "not-spam": "not_spam",
    "trash": "trash",
    "restore": "restore",
    "delete": "delete",
}
DONE = {
    "approve": "approved",
    "unapprove": "unapproved",
    "spam": "marked as spam",
    "not_spam": "restored from spam",
    "trash": "moved to the trash",
    "restore": "restored",
    "delete": "deleted permanently",
}


def nav_counts() -> dict[str, Any]:
    """The pending count beside "Comments" in the dashboard menu (one query),
    and whether to warn that Akismet refused the key (from cached settings)."""
    if not current_user.is_authenticated or not can_moderate_some(current_user):
        return {"pending_comments": None, "akismet_key_warning": False}
    return {
        "pending_comments": moderation.pending_count(current_user),
        "akismet_key_warning": bool(current_settings().get("akismet_key_invalid")),
    }


@bp.before_request
def require_moderator():  # type: ignore[no-untyped-def]
    abort_unless(can_moderate_some(current_user))


def get_comment(comment_id: int) -> Comment:
    """The comment the current user may moderate, or 404/403."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    abort_unless(can_moderate(current_user, comment))
    return comment


def _back() -> str:
    target = request.form.get("next", "")
    if target.startswith("/dashboard/comments/") and "//" not in target:
        return target
    return url_for(".index")


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    status = request.args.get("status", "")
    search = request.args.get("q", "")[:200]
    pagination = db.paginate(
        moderation.queue(current_user, status, search), per_page=20, error_out=False
    )
    settings = current_settings()
    return render_template(
        "dashboard/comments.html",
        pagination=pagination,
        status=status if status in moderation.STATUSES else "",
        search=search,
        counts=moderation.status_counts(current_user),
        records=moderation.author_records(pagination.items),
        allowed=comment_state.allowed_actions,
        describe=comment_state.describe,
        action_form=ActionForm(),
        bulk_form=BulkForm(),
        akismet=spam.akismet_config(current_app.config, settings).enabled,
    )


@bp.post("/<int:comment_id>/<action>")
def act(comment_id: int, action: str):  # type: ignore[no-untyped-def]
    if action not in ACTIONS:
        abort(404)
    comment = get_comment(comment_id)
    outcome = moderation.moderate(
        current_user, [comment], ACTIONS[action], current_settings()
    )
    _report(outcome, ACTIONS[action])
    return redirect(_back())


@bp.post("/bulk")
def bulk():  # type: ignore[no-untyped-def]
    form = BulkForm()
    action = form.action.data if form.validate_on_submit() else ""
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()][:200]
    if action not in DONE or not ids:
        flash("Choose an action and at least one comment.", "error")
        return redirect(_back())
    found = db.session.scalars(select(Comment).where(Comment.id.in_(ids))).all()
    for comment in found:
        abort_unless(can_moderate(current_user, comment))
    outcome = moderation.moderate(current_user, found, action, current_settings())
    _report(outcome, action)
    return redirect(_back())


def _report(outcome: moderation.Outcome, action: str) -> None:
    if outcome.done:
        noun = "comment" if outcome.done == 1 else "comments"
        flash(f"{outcome.done} {noun} {DONE[action]}.", "success")
    for reason in sorted(set(outcome.refused)):
        flash(reason, "error")
    if outcome.akismet_failed:
        flash("Akismet could not be told about this; the action still stands.", "info")


@bp.route("/<int:comment_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(comment_id: int):  # type: ignore[no-untyped-def]
    comment = get_comment(comment_id)
    form = CommentEditForm(
        data=None
        if request.method == "POST"
        else {
            "name": comment.author_name,
            "email": comment.author_email,
            "url": comment.author_url,
            "comment": comment.body_source,
        }
    )
    if form.validate_on_submit():
        data = comments.Submission(
            name=form.name.data or "",
            email=form.email.data or "",
            url=form.url.data or "",
            body=form.comment.data or "",
        )
        try:
            moderation.edit_comment(current_user, comment, data)
        except comments.CommentInvalid as error:
            db.session.rollback()
            for name, text in error.errors.items():
                getattr(form, name).errors = [*getattr(form, name).errors, text]
        else:
            flash("Comment updated.", "success")
            return redirect(url_for(".index"))
    return render_template("dashboard/comment_edit.html", form=form, comment=comment)


@bp.route("/<int:comment_id>/reply", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def reply(comment_id: int):  # type: ignore[no-untyped-def]
    parent = get_comment(comment_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            moderation.reply(current_user, parent, form.comment.data or "")
        except (comments.CommentInvalid, comments.Duplicate) as error:
            db.session.rollback()
            form.comment.errors = [str(error)]
        except comment_state.TransitionRefused as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for(".index"))
        else:
            flash("Reply published.", "success")
            return redirect(url_for(".index"))
    return render_template("dashboard/comment_reply.html", form=form, comment=parent)


@bp.post("/recheck")
def recheck():  # type: ignore[no-untyped-def]
    abort_unless(ActionForm().validate_on_submit())
    result = moderation.recheck(current_settings())
    if result.stopped:
        flash(
            f"Checked {result.checked} comment(s); Akismet is still unreachable, "
            "the rest will be retried.",
            "error",
        )
    else:
        flash(f"Checked {result.checked} comment(s) for spam.", "success")
    return redirect(url_for(".index", status="pending"))


# Discussion settings (admins) --------------------------------------------------

DISCUSSION_FIELDS = (
    "comments_manual_approval",
    "comments_previously_approved",
    "comments_max_links",
    "comments_moderation_words",
    "comments_disallowed_words",
    "comments_close_after_days",
    "akismet_api_key",
    "privacy_text",
)


@discussion_bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit_discussion():  # type: ignore[no-untyped-def]
    abort_unless(can_manage_settings(current_user))
    settings = current_settings()
    form = DiscussionForm(data=settings)
    if form.validate_on_submit():
        values = {name: form[name].data for name in DISCUSSION_FIELDS}
        values["comments_max_links"] = values["comments_max_links"] or 0
        values["comments_close_after_days"] = values["comments_close_after_days"] or 0
        values["akismet_api_key"] = (values["akismet_api_key"] or "").strip()
        try:
            values["privacy_html"] = (
                rendering.render_post(values["privacy_text"])
                if (values["privacy_text"] or "").strip()
                else ""
            )
            if values["akismet_api_key"] != settings.get("akismet_api_key"):
                values["akismet_key_invalid"] = False
            site_settings.change_settings(current_user, values)
        except site_settings.SettingsError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        except rendering.ContentRejected as error:
            db.session.rollback()
            form.privacy_text.errors.append(str(error))
        else:
            db.session.commit()
            flash("Discussion settings saved.", "success")
            return redirect(url_for(".edit_discussion"))
    return render_template(
        "dashboard/discussion.html",
        form=form,
        action_form=ActionForm(),
        key_from_config=bool(current_app.config.get("AKISMET_API_KEY")),
    )


@discussion_bp.post("/verify-key")
def verify_key():  # type: ignore[no-untyped-def]
    abort_unless(can_manage_settings(current_user))
    abort_unless(ActionForm().validate_on_submit())
    conf = spam.akismet_config(current_app.config, current_settings())
    if not conf.key:
        flash("There is no Akismet key to check yet.", "error")
    else:
        db.session.commit()  # no transaction (no write lock) while Akismet answers
        valid = spam.verify_key(conf, conf.key)
        if valid is None:
            flash("Akismet could not be reached; try again later.", "error")
        else:
            site_settings.change_settings(
                current_user, {"akismet_key_invalid": not valid}
            )
            db.session.commit()
            if valid:
                flash("Akismet accepted the key.", "success")
            else:
                flash("Akismet refused the key. Check it and save again.", "error")
    return redirect(url_for(".edit_discussion"))
