"""A post's featured image: upload, alt text (required), caption, removal.

Articles and events share this: :func:`apply_featured_image` changes the
post without committing; :func:`save_article` wraps the article editor's
save so that the image and the post are written in one commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from blog import publishing
from blog.extensions import db
from blog.media import ImageRejected, store_image
from blog.models import Post, PostKind, User
from blog.permissions import can_edit_post, require

MAX_ALT = 300
MAX_CAPTION = 500


@dataclass
class ImageInput:
    """The editor's image fields, as plain data."""

    upload: BinaryIO | None = None
    filename: str = ""
    alt: str = ""
    caption: str = ""
    remove: bool = False


def check_image_input(post: Post | None, image: ImageInput) -> None:
    """Validate before anything is written.

    :raises PostError: alt text missing or too long.
    """
    alt = image.alt.strip()
    will_have_image = image.upload is not None or (
        post is not None and post.featured_image_id is not None and not image.remove
    )
    if will_have_image and not alt:
        raise publishing.PostError(
            "Describe the image for people who cannot see it (alt text).",
            "featured_image_alt",
        )
    if len(alt) > MAX_ALT:
        raise publishing.PostError(
            f"Keep the alt text under {MAX_ALT} characters.", "featured_image_alt"
        )
    if len(image.caption.strip()) > MAX_CAPTION:
        raise publishing.PostError(
            f"Keep the caption under {MAX_CAPTION} characters.",
            "featured_image_caption",
        )


def apply_featured_image(
    post: Post, image: ImageInput, *, folder: Path | None, uploader: User
) -> None:
    """Store an upload and set the post's image fields (the caller commits).

    :raises PostError: bad alt text, or a file that is not an image we accept.
    """
    check_image_input(post, image)
    if image.upload is not None:
        if folder is None:
            raise ValueError("an upload needs a folder to be stored in")
        try:
            media = store_image(
                image.upload,
                folder,
                original_name=image.filename,
                uploader=uploader,
            )
        except ImageRejected as error:
            raise publishing.PostError(str(error), "featured_image") from error
        post.featured_image = media
    elif image.remove:
        post.featured_image = None
    if post.featured_image is None and image.upload is None and image.remove:
        post.featured_image_alt = ""
        post.featured_image_caption = ""
    else:
        post.featured_image_alt = " ".join(image.alt.split())
        post.featured_image_caption = " ".join(image.caption.split())


def save_article(
    actor: User,
    data: publishing.PostInput,
    image: ImageInput,
    post: Post | None = None,
    *,
    publish: bool = False,
    folder: Path,
) -> Post:
    """:func:`publishing.save_post` with the featured image, in one commit.

    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid (nothing is written).
    """
    if post is None:
        post = Post(kind=PostKind.ARTICLE, author=actor, author_id=actor.id)
    else:
        require(can_edit_post(actor, post))
    check_image_input(post, image)
    with db.session.no_autoflush:
        apply_featured_image(post, image, folder=folder, uploader=actor)
    stored = post.featured_image if image.upload is not None else None
    try:
        return publishing.save_post(actor, data, post, publish=publish)
    except Exception:
        # The post was refused (or not written): its new file would be an orphan.
        if stored is not None:
            (folder / stored.filename).unlink(missing_ok=True)
        raise
