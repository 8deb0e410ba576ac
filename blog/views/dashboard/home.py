"""The dashboard's home (``/dashboard/``): "At a glance", "Your recent
drafts", "Recent activity", the "Quick Draft" box and, for editors and
admins, the "Spam" panel.

Everyone sees only what they manage (contributors and authors their own
posts; comments only for those who moderate some; the site-wide spam
numbers only for those who moderate all). The page takes the same number
of queries however much there is.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.comments.moderation import queue
from blog.comments.permissions import can_moderate_some
from blog.comments.spam_stats import panel_for
from blog.errors import FieldError
from blog.extensions import csrf, db
from blog.forms.common import show_errors
from blog.forms.posts import QuickDraftForm
from blog.models import Comment, utcnow
from blog.posts import SaveAction, save_post
from blog.posts.listing import activity, counts_by_kind, recent_drafts
from blog.views.context import comment_settings

#: How many rows each list on the home page shows.
HOME_ROWS = 5


def add_home_routes(bp: Blueprint) -> None:
    """Register ``home`` (GET ``/``) and ``quick_draft`` (POST
    ``/quick-draft``) on the dashboard's blueprint."""

    @bp.get("/")
    def home() -> ResponseReturnValue:
        return home_page(QuickDraftForm(formdata=None))

    @bp.post("/quick-draft")
    @csrf.exempt  # the form checks its own token, so an expired one keeps the text
    def quick_draft() -> ResponseReturnValue:
        form = QuickDraftForm()
        if form.validate_on_submit():
            try:
                post = save_post(current_user, form.to_input(), action=SaveAction.DRAFT)
            except FieldError as error:
                show_errors(form, error)
            else:
                flash(f"Draft saved: “{post.title}”.", "success")
                return redirect(url_for("dashboard.home"))
        return home_page(form)


def home_page(form: QuickDraftForm) -> str:
    """The home page, with the Quick Draft box as given (errors and all)."""
    now = utcnow()
    comments: list[Comment] | None = None
    if can_moderate_some(current_user):
        # The moderation list's "All" (pending and approved), newest first.
        recent = queue(current_user).limit(HOME_ROWS)
        comments = list(db.session.scalars(recent))
    return render_template(
        "dashboard/home.html",
        counts=counts_by_kind(current_user, now=now),
        drafts=recent_drafts(current_user, HOME_ROWS),
        activity=activity(current_user, HOME_ROWS, now),
        recent_comments=comments,
        spam_panel=panel_for(
            current_user, now, checking_on=comment_settings().akismet.enabled
        ),
        quick_draft=form,
    )
