"""``/dashboard/media/``: the media library. A grid of uploads with where
each is used, search, uploading several files (a plain file field; with
JavaScript, dropped files are sent one by one), each upload's page (its
words, variants and uses), deleting, and the list the editor's "Add Media"
dialog shows. The rules are the services' (``blog.media.library``)."""

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
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BuildError

from blog.errors import FieldError
from blog.extensions import csrf, db
from blog.forms.common import show_errors
from blog.forms.media import (
    ACCEPT,
    DeleteMediaForm,
    MediaForm,
    MediaSearchForm,
    UploadForm,
)
from blog.media.library import (
    MediaInUse,
    UploadOutcome,
    Use,
    delete_media,
    library_page,
    update_media,
    upload_files,
    uses_of,
)
from blog.media.markup import markdown_reference, thumbnail_url
from blog.media.permissions import can_edit_media, can_upload
from blog.models import Media
from blog.views.arguments import page_number
from blog.views.context import current_settings, uploads

bp = Blueprint("media", __name__, url_prefix="/media")

#: Each kind of post's editor, for the links under "Used in".
EDITORS = {
    "article": "dashboard.posts.edit",
    "event": "dashboard.events.edit",
    "page": "dashboard.pages.edit",
}


def load_media(media_id: int) -> Media:
    """The upload with ``media_id``, or 404 (every member of staff may see it)."""
    return db.session.get(Media, media_id) or abort(404)


def editor_url(use: Use) -> str | None:
    """Where to edit the post of ``use``, if the viewer may."""
    if not use.editable or use.post_id is None or use.kind not in EDITORS:
        return None
    try:
        return url_for(EDITORS[use.kind], post_id=use.post_id)
    except BuildError:  # that kind's editor is not installed
        return None


def _promo_image() -> str:
    return str(current_settings().get("promo_image") or "")


def _context() -> dict[str, Any]:
    return {
        "editor_url": editor_url,
        "markdown_reference": markdown_reference,
        "can_upload": can_upload(current_user),
        "accept": ACCEPT,
        "max_upload": current_app.config["MAX_CONTENT_LENGTH"],
    }


@bp.get("/")
def index() -> ResponseReturnValue:
    search = MediaSearchForm(request.args)
    library = library_page(
        current_user,
        search=search.search(),
        page=page_number(),
        promo_image=_promo_image(),
    )
    return render_template(
        "dashboard/media/index.html",
        library=library,
        search_form=search,
        upload_form=UploadForm(),
        **_context(),
    )


@bp.post("/upload")
@csrf.exempt  # the form checks its own token, so an expired one is a message
def upload() -> ResponseReturnValue:
    wants_json = request.accept_mimetypes.best == "application/json"
    try:  # reading the request is what finds it too large
        form = UploadForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return _too_large(wants_json)
    if not valid:
        message = "This form had expired. Choose the files again and press Upload."
        outcome = UploadOutcome(refused=[("", message)])
    else:
        try:
            outcome = upload_files(current_user, form.uploads(), uploads())
        except FieldError as error:
            outcome = UploadOutcome(refused=[("", str(error))])
    if wants_json:
        return jsonify(
            stored=[_choice(media) for media in outcome.stored],
            refused=[{"name": n, "message": m} for n, m in outcome.refused],
        )
    _flash_outcome(outcome)
    return redirect(url_for(".index"))


def _too_large(wants_json: bool) -> ResponseReturnValue:
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    message = (
        f"Those files are more than {limit} MB together, more than the site "
        "accepts at once. Upload fewer at a time, or smaller copies."
    )
    if wants_json:
        return jsonify(stored=[], refused=[{"name": "", "message": message}]), 413
    flash(message, "error")
    return redirect(url_for(".index"))


def _flash_outcome(outcome: UploadOutcome) -> None:
    if outcome.stored:
        names = ", ".join(media.label for media in outcome.stored)
        count = len(outcome.stored)
        flash(f"Uploaded {count} file{'s' if count != 1 else ''}: {names}.", "success")
    for name, message in outcome.refused:
        flash(f"{name}: {message}" if name else message, "error")


@bp.route("/<int:media_id>/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def item(media_id: int) -> ResponseReturnValue:
    media = load_media(media_id)
    form = MediaForm.for_media(media if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = update_media(current_user, media, **form.values())
        except FieldError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash("Media updated." if changed else "Nothing changed.", "success")
            return redirect(url_for(".item", media_id=media.id))
    uses = uses_of(current_user, [media], promo_image=_promo_image())[media.id]
    return render_template(
        "dashboard/media/item.html",
        media=media,
        form=form,
        uses=uses,
        editable=can_edit_media(current_user, media),
        delete_form=DeleteMediaForm(),
        **_context(),
    )


@bp.post("/<int:media_id>/delete")
def delete(media_id: int) -> ResponseReturnValue:
    media = load_media(media_id)
    form = DeleteMediaForm()
    label = media.label
    try:
        delete_media(
            current_user,
            media,
            uploads(),
            confirmed=form.confirmed.data == "yes",
            promo_image=_promo_image(),
        )
    except MediaInUse as used:
        return render_template(
            "dashboard/media/delete.html",
            media=media,
            uses=used.uses,
            delete_form=DeleteMediaForm(confirmed="yes"),
            **_context(),
        )
    flash(f"Deleted {label}.", "success")
    return redirect(url_for(".index"))


@bp.get("/choose.json")
def choose() -> ResponseReturnValue:
    """A page of the library for the editor's "Add Media" dialog (``?q=``,
    ``?page=``; ``?images=1`` for images only)."""
    search = MediaSearchForm(request.args)
    library = library_page(
        current_user,
        search=search.search(),
        page=page_number(),
        images_only=request.args.get("images") == "1",
    )
    return jsonify(
        items=[_choice(item.media) for item in library.items],
        page=library.pagination.page,
        has_next=library.pagination.has_next,
        total=library.pagination.total,
    )


def _choice(media: Media) -> dict[str, Any]:
    """An upload as the "Add Media" dialog and the uploader's script show it."""
    return {
        "id": media.id,
        "label": media.label,
        "alt": media.alt_text,
        "is_image": media.is_image,
        "width": media.width,
        "height": media.height,
        "url": url_for("media.file", filename=media.filename),
        "thumbnail": thumbnail_url(media) if media.is_image else None,
        "markdown": markdown_reference(media),
        "page": url_for(".item", media_id=media.id),
    }
