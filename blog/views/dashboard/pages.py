"""Writing static pages (editors and admins): the list in tree order, the
editor (the articles' flow and buttons), preview, trash."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.forms.common import ActionForm
from blog.forms.pages import PageForm
from blog.models import Post, PostKind
from blog.pages import parent_choices, preview_page, reserved_words, save_page
from blog.pages.hierarchy import in_tree_order
from blog.posts import SaveAction
from blog.posts.listing import TABS, dashboard_posts, status_counts
from blog.posts.permissions import can_manage_pages
from blog.views.arguments import text_arg
from blog.views.context import menu_context, uploads
from blog.views.dashboard.access import abort_unless, load_post
from blog.views.dashboard.editor import Editor, add_editor_routes
from blog.views.dashboard.revisions import add_revision_routes

bp = Blueprint("pages", __name__, url_prefix="/pages")


@bp.before_request
def require_page_managers() -> None:
    """Pages are the editors' and admins' (the services check it again)."""
    abort_unless(can_manage_pages(current_user))


def load_page(post_id: int) -> Post:
    """The page with ``post_id``, or 404."""
    return load_post(post_id, PostKind.PAGE)


def _reserved() -> frozenset[str]:
    return reserved_words(current_app.url_map)


class PageEditor(Editor[PageForm]):
    kind = PostKind.PAGE
    template = "dashboard/pages/editor.html"
    form_class = PageForm

    def filled(self, post: Post | None) -> PageForm:
        return PageForm.for_page(post)

    def offer(self, form: PageForm, post: Post | None) -> None:
        form.offer(parent_choices(post))

    def preview(self, form: PageForm, post: Post | None) -> str:
        shown = preview_page(current_user, form.to_input(), post, reserved=_reserved())
        return render_template(
            "public/page.html", post=shown, preview=True, **menu_context()
        )

    def save(self, form: PageForm, post: Post | None, *, action: SaveAction) -> Post:
        return save_page(
            current_user,
            form.to_input(),
            post,
            action=action,
            reserved=_reserved(),
            uploads=uploads(),
        )


@bp.get("/")
def index() -> ResponseReturnValue:
    status = text_arg("status")
    query = dashboard_posts(current_user, kind=PostKind.PAGE, status=status)
    return render_template(
        "dashboard/pages/index.html",
        pages=in_tree_order(query),
        counts=status_counts(current_user, kind=PostKind.PAGE),
        status=status,
        tabs=TABS,
        action_form=ActionForm(),
    )


add_editor_routes(bp, PageEditor, load_page)
add_revision_routes(bp, load_page, PostKind.PAGE)
