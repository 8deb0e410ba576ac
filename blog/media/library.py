"""The media library's services: a page of uploads with where each is used,
uploading several files at once, editing an upload's words, deleting one.

Each checks who may do it (:mod:`blog.media.permissions`) and commits.
A page of the library costs the same number of queries whatever it shows:
the count, the uploads with their uploaders, their variants, the posts that
feature them and the posts whose bodies use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, lazyload, load_only

from blog.database import contains
from blog.errors import FieldError, require
from blog.extensions import db
from blog.media import variants
from blog.media.files import store_upload
from blog.media.images import DECODE_ERRORS, ImageRejected, Uploads
from blog.media.markup import posts_using, relink_posts
from blog.media.permissions import can_edit_media, can_upload
from blog.media.variants import stored_names
from blog.models import Media, Post, PostStatus, User, media_uses, utcnow
from blog.posts.permissions import can_edit_post
from blog.validation import single_line

PER_PAGE = 24
ALT_MAX = 300
CAPTION_MAX = 500
TITLE_MAX = 200
SEARCH_MAX = 200
#: How a use is described, as the library lists it.
FEATURED = "Featured image"
IN_BODY = "In the text"
PROMO = "Promotional block"


@dataclass(frozen=True)
class Use:
    """One place an upload is used."""

    #: The post's title; a neutral phrase for a post the viewer cannot see.
    label: str
    how: str
    post_id: int | None = None
    kind: str = ""
    status: str = ""
    #: May the viewer open the post's editor?
    editable: bool = False


@dataclass(frozen=True)
class LibraryItem:
    media: Media
    uses: list[Use]
    #: May the viewer change or delete it?
    editable: bool


@dataclass
class Library:
    """One page of the library, with its pager."""

    pagination: Pagination
    items: list[LibraryItem]


@dataclass
class UploadOutcome:
    """What happened to each file of an upload."""

    stored: list[Media] = field(default_factory=list)
    #: (file name, reason) of each file refused.
    refused: list[tuple[str, str]] = field(default_factory=list)


class MediaInUse(Exception):
    """Deleting needs a confirmation: the upload is used in these places."""

    def __init__(self, uses: list[Use]) -> None:
        super().__init__(f"used in {len(uses)} place(s)")
        self.uses = uses


def library_query(search: str = "") -> Select[Media]:
    """Uploads, newest first, whose file name, title or alt text contains ``search``."""
    query = select(Media).options(joinedload(Media.uploaded_by))
    words = " ".join(search.split())[:SEARCH_MAX]
    if words:
        query = query.where(
            contains(
                words, Media.original_name, Media.title, Media.alt_text, Media.filename
            )
        )
    return query.order_by(Media.created_at.desc(), Media.id.desc())


def library_page(
    actor: User,
    *,
    search: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    promo_image: str = "",
    images_only: bool = False,
) -> Library:
    """A page of the library (404 past the last one) with where each upload
    is used. Every member of staff may browse it.

    :param promo_image: the promotional block's image, also a use.
    :param images_only: leave attachments out (for choosing an image).
    """
    query = library_query(search)
    if images_only:
        query = query.where(Media.width.is_not(None))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=True)
    media: list[Media] = list(pagination.items)
    uses = uses_of(actor, media, promo_image=promo_image)
    items = [
        LibraryItem(item, uses.get(item.id, []), can_edit_media(actor, item))
        for item in media
    ]
    return Library(pagination, items)


def uses_of(
    actor: User, media: Iterable[Media], *, promo_image: str = ""
) -> dict[int, list[Use]]:
    """Where each upload is used: as a post's featured image, in a post's
    text, as the promotional block's image. Two queries."""
    by_id = {item.id: item for item in media}
    found: dict[int, list[Use]] = {media_id: [] for media_id in by_id}
    if not by_id:
        return found
    columns = (
        load_only(
            Post.id,
            Post.title,
            Post.kind,
            Post.status,
            Post.author_id,
            Post.published_at,
            Post.featured_image_id,
        ),
        lazyload("*"),
    )
    featured = (
        select(Post)
        .where(Post.featured_image_id.in_(by_id))
        .options(*columns)
        .order_by(Post.id)
    )
    for post in db.session.scalars(featured):
        found[post.featured_image_id or 0].append(_use(actor, post, FEATURED))
    in_body = (
        select(Post, media_uses.c.media_id)
        .join(media_uses, media_uses.c.post_id == Post.id)
        .where(media_uses.c.media_id.in_(by_id))
        .options(*columns)
        .order_by(Post.id)
    )
    for post, media_id in db.session.execute(in_body):
        found[media_id].append(_use(actor, post, IN_BODY))
    for media_id, item in by_id.items():
        if promo_image and item.filename == promo_image:
            found[media_id].append(Use("The promotional block", PROMO))
    return found


def _use(actor: User, post: Post, how: str) -> Use:
    editable = can_edit_post(actor, post)
    shown = editable or post.is_visible(utcnow())
    return Use(
        label=post.title if shown else "A post you cannot see",
        how=how,
        post_id=post.id,
        kind=str(post.kind),
        status=str(post.status) if shown else "",
        editable=editable and post.status != PostStatus.TRASH,
    )


def upload_files(
    actor: User, files: Sequence[tuple[BinaryIO, str]], uploads: Uploads
) -> UploadOutcome:
    """Store each file (an image, cleaned, with its variants; or a PDF); a
    file that is refused is reported by name and the others are kept.
    Commits.

    :raises PermissionDenied: the actor may not upload.
    :raises FieldError: no file at all.
    """
    require(can_upload(actor))
    if not files:
        raise FieldError("Choose one or more files to upload.", "files")
    outcome = UploadOutcome()
    try:
        for stream, name in files:
            try:
                media = store_upload(
                    stream, uploads, original_name=name, uploader=actor
                )
            except ImageRejected as error:
                outcome.refused.append((name or "A file without a name", str(error)))
            else:
                outcome.stored.append(media)
        db.session.commit()
    except Exception:
        db.session.rollback()
        for media in outcome.stored:
            uploads.remove(media)
        raise
    return outcome


def update_media(
    actor: User, media: Media, *, alt_text: str, caption: str, title: str
) -> bool:
    """Change an upload's alt text, caption and title (one line each).
    Posts whose text shows the image without alt text of their own take the
    new one. Commits.

    :returns: whether anything changed.
    :raises PermissionDenied: the actor may not edit this upload.
    :raises FieldError: a value is too long or spans lines.
    """
    require(can_edit_media(actor, media))
    values = {
        "alt_text": single_line(alt_text, "alt_text", max_length=ALT_MAX),
        "caption": single_line(caption, "caption", max_length=CAPTION_MAX),
        "title": single_line(title, "title", max_length=TITLE_MAX),
    }
    changed = {key for key, value in values.items() if getattr(media, key) != value}
    for key in changed:
        setattr(media, key, values[key])
    if "alt_text" in changed:
        relink_posts(posts_using([media.id]))
    db.session.commit()
    return bool(changed)


def delete_media(
    actor: User,
    media: Media,
    uploads: Uploads,
    *,
    confirmed: bool = False,
    promo_image: str = "",
) -> None:
    """Delete an upload, its variants and their files. Posts featuring it
    lose their featured image; posts showing it in their text keep its alt
    text in its place. Commits, then removes the files.

    :raises PermissionDenied: the actor may not delete this upload.
    :raises MediaInUse: it is used and ``confirmed`` is false.
    """
    require(can_edit_media(actor, media))
    uses = uses_of(actor, [media], promo_image=promo_image)[media.id]
    if uses and not confirmed:
        raise MediaInUse(uses)
    in_body = posts_using([media.id])
    names = stored_names(media)
    db.session.delete(media)
    db.session.flush()
    relink_posts(in_body)
    db.session.commit()
    uploads.remove_names(names)


@dataclass
class VariantsFilled:
    """What :func:`fill_variants` did, by file name."""

    made: list[str] = field(default_factory=list)
    #: Unreadable: left without variants.
    refused: list[str] = field(default_factory=list)
    #: Uploads whose size was counted.
    sized: int = 0
    #: Posts whose stored HTML now has the new variants.
    relinked: int = 0


def fill_variants(uploads: Uploads) -> VariantsFilled:
    """Make the variants that images stored by older versions lack (or whose
    files went missing), count the size of files stored without it, then
    link again the posts showing those images. Commits; running it again
    changes nothing.
    """
    done = VariantsFilled()
    made_ids: list[int] = []
    for media in db.session.scalars(select(Media).order_by(Media.id)):
        path = uploads.folder / media.filename
        if not path.is_file():
            continue
        if media.byte_size == 0:
            media.byte_size = path.stat().st_size
            done.sized += 1
        if variants.complete(media, uploads.folder):
            continue
        try:
            variants.remake(media, path.read_bytes(), uploads.folder)
        except DECODE_ERRORS:
            done.refused.append(media.filename)
            continue
        done.made.append(media.filename)
        made_ids.append(media.id)
    db.session.flush()
    done.relinked = relink_posts(posts_using(made_ids))
    db.session.commit()
    return done
