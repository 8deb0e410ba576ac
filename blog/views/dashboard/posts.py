"""Writing articles: the list, the editor, preview, trash."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from blog import featured_images, publishing, rendering, taxonomy
from blog.extensions import csrf, db
from blog.forms import ActionForm, PostFilterForm, PostForm
from blog.models import Post, PostKind, Taxonomy, Term, User
from blog.permissions import abort_unless, can_edit_post, can_publish, can_see_all_posts
from blog.presentation import zone_of
from blog.views.dashboard.trash import add_trash_routes
from blog.views.hooks import current_settings
from blog.views.media import upload_dir

bp = Blueprint("posts", __name__, url_prefix="/posts")


def get_post(post_id: int, kind: str = PostKind.ARTICLE) -> Post:
    """The post the current user may edit, or 404/403."""
    post = db.session.get(Post, post_id)
    if post is None or post.kind != kind:
        abort(404)
    abort_unless(can_edit_post(current_user, post))
    return post


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    form = PostFilterForm(request.args)
    form.author.choices = [SelectChoice("", "All authors")] + [
        SelectChoice(str(u.id), u.display_name)
        for u in db.session.scalars(select(User).order_by(User.display_name))
    ]
    form.category.choices = [SelectChoice("", "All categories")] + [
        SelectChoice(str(t.id), t.name)
        for t in db.session.scalars(
            select(Term).where(Term.taxonomy == Taxonomy.CATEGORY).order_by(Term.name)
        )
    ]
    query = publishing.dashboard_posts(
        current_user,
        status=form.status.data or "",
        author_id=_int(form.author.data),
        category_id=_int(form.category.data),
        search=form.q.data or "",
    )
    pagination = db.paginate(query, per_page=20)
    return render_template(
        "dashboard/posts.html",
        form=form,
        pagination=pagination,
        counts=publishing.status_counts(current_user),
        show_authors=can_see_all_posts(current_user),
        action_form=ActionForm(),
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def new():  # type: ignore[no-untyped-def]
    return _editor(None)


@bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(post_id: int):  # type: ignore[no-untyped-def]
    return _editor(get_post(post_id))


def _editor(post: Post | None):  # type: ignore[no-untyped-def]
    form = PostForm(obj=_form_data(post) if post and request.method == "GET" else None)
    action = request.form.get("action", "draft")
    if form.validate_on_submit():
        data = _post_input(form)
        try:
            if action == "preview":
                preview = publishing.preview_post(current_user, data, post)
                return render_template(
                    "public/article.html", post=preview, preview=True
                )
            post = featured_images.save_article(
                current_user,
                data,
                _image_input(form),
                post,
                publish=action == "publish",
                folder=upload_dir(),
            )
        except (publishing.PostError, rendering.ContentRejected) as error:
            db.session.rollback()
            field = getattr(error, "field", "body")
            getattr(form, field).errors.append(str(error))
        else:
            flash(_saved_message(post), "success")
            return redirect(url_for(".edit", post_id=post.id))
    return render_template(
        "dashboard/editor.html",
        form=form,
        post=post,
        can_publish=can_publish(current_user, post),
        category_names=taxonomy.term_names(Taxonomy.CATEGORY),
        tag_names=taxonomy.term_names(Taxonomy.TAG),
        action_form=ActionForm(),
    )


def _saved_message(post: Post) -> str:
    if post.status == "published":
        return "Post scheduled." if post.is_scheduled else "Post published."
    if post.status == "pending":
        return "Post submitted for review."
    return "Draft saved."


def _form_data(post: Post) -> SimpleNamespace:
    local = (
        post.published_at.astimezone(zone_of(current_settings()))
        if post.published_at
        else None
    )
    return SimpleNamespace(
        title=post.title,
        slug=post.slug,
        body=post.body_source,
        excerpt=post.excerpt_source,
        categories=", ".join(t.name for t in post.categories),
        tags=", ".join(t.name for t in post.tags),
        publish_at=local.replace(tzinfo=None) if local else None,
        comments_open=post.comments_open,
        featured_image_alt=post.featured_image_alt,
        featured_image_caption=post.featured_image_caption,
    )


def _image_input(form: PostForm) -> featured_images.ImageInput:
    upload = form.featured_image.data
    has_upload = upload is not None and bool(getattr(upload, "filename", ""))
    return featured_images.ImageInput(
        upload=upload.stream if has_upload else None,
        filename=upload.filename if has_upload else "",
        alt=form.featured_image_alt.data or "",
        caption=form.featured_image_caption.data or "",
        remove=form.remove_image.data,
    )


def _post_input(form: PostForm) -> publishing.PostInput:
    publish_at: datetime | None = None
    if form.publish_at.data:
        publish_at = form.publish_at.data.replace(tzinfo=zone_of(current_settings()))
    return publishing.PostInput(
        title=form.title.data or "",
        body=form.body.data or "",
        slug=form.slug.data or "",
        excerpt=form.excerpt.data or "",
        categories=form.categories.data or "",
        tags=form.tags.data or "",
        comments_open=form.comments_open.data,
        publish_at=publish_at,
    )


add_trash_routes(bp, get_post, "Post")
