"""Writing articles: the list, the editor, preview, trash."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.forms.common import ActionForm
from blog.forms.posts import PostFilterForm, PostForm
from blog.models import Post, PostKind, Taxonomy
from blog.paging import paginate
from blog.posts import SaveAction, preview_post, save_post
from blog.posts.listing import TABS, dashboard_posts, filter_choices, status_counts
from blog.posts.permissions import can_see_all_posts
from blog.posts.taxonomy import term_names
from blog.views.arguments import page_number
from blog.views.context import current_zone, menu_context, uploads
from blog.views.dashboard.access import load_post
from blog.views.dashboard.editor import Editor, add_editor_routes
from blog.views.dashboard.revisions import add_revision_routes

bp = Blueprint("posts", __name__, url_prefix="/posts")


class ArticleEditor(Editor[PostForm]):
    kind = PostKind.ARTICLE
    template = "dashboard/posts/editor.html"
    form_class = PostForm

    def filled(self, post: Post | None) -> PostForm:
        return PostForm.for_post(post, current_zone())

    def preview(self, form: PostForm, post: Post | None) -> str:
        data = form.to_input(current_zone())
        shown = preview_post(current_user, data, post)
        return render_template(
            "public/article.html", post=shown, preview=True, **menu_context()
        )

    def save(self, form: PostForm, post: Post | None, *, action: SaveAction) -> Post:
        data = form.to_input(current_zone())
        return save_post(current_user, data, post, action=action, uploads=uploads())

    def context(self) -> dict[str, Any]:
        return {
            "category_names": term_names(Taxonomy.CATEGORY),
            "tag_names": term_names(Taxonomy.TAG),
        }


@bp.get("/")
def index() -> ResponseReturnValue:
    form = PostFilterForm(request.args).offer(filter_choices())
    query = dashboard_posts(current_user, **form.filters())
    return render_template(
        "dashboard/posts/index.html",
        form=form,
        pagination=paginate(query, page=page_number(), per_page=20),
        counts=status_counts(current_user),
        status=form.status.data or "",
        tabs=TABS,
        show_authors=can_see_all_posts(current_user),
        action_form=ActionForm(),
    )


add_editor_routes(bp, ArticleEditor, load_post)
add_revision_routes(bp, load_post, PostKind.ARTICLE)
