"""What the editor sends, copied onto a post: title, slug, Markdown (rendered
and sanitized here, once), categories and tags, and the featured image.

Nothing here commits or decides a status; :mod:`blog.posts.publishing` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import inspect, select

from blog import dates, rendering
from blog.errors import FieldError
from blog.extensions import db
from blog.media import ImageInput, ImageRejected, Uploads, store_image
from blog.media.markup import link_media
from blog.models import Media, Post, PostStatus, SlugRedirect, Taxonomy, User
from blog.posts.slugs import slugify, unique_slug
from blog.posts.taxonomy import terms_from_text
from blog.validation import clean_text, single_line

TITLE_MAX = 300
ALT_MAX = 300
CAPTION_MAX = 500


class PostError(FieldError):
    """A field of the editor is refused; nothing is written."""


@dataclass
class PostInput:
    """What the editor submits, as plain data."""

    title: str
    body: str
    slug: str = ""
    excerpt: str = ""
    categories: str = ""
    tags: str = ""
    comments_open: bool = True
    #: When to publish (aware, in years 1900 to 2200); ``None`` means now, or
    #: keep the current date.
    publish_at: datetime | None = None
    image: ImageInput = field(default_factory=ImageInput)
    #: "Stick to the top of the blog" (articles; editors only); ``None``
    #: leaves it as it is.
    sticky: bool | None = None
    #: The post's version the editor was opened on: a save from an older one
    #: is refused (:class:`blog.posts.revisions.EditConflict`). ``None``
    #: skips the check.
    base_version: int | None = None


def apply_input(post: Post, data: PostInput, *, create_terms: bool = True) -> None:
    """Copy the editor's fields onto ``post`` and render its Markdown.

    :param create_terms: ``False`` for a preview: new names stay unsaved.
    :raises PostError: with the field at fault.
    """
    # The forms clean what people type; this covers every other caller.
    title = single_line(data.title, "title", max_length=TITLE_MAX)
    if not title:
        raise PostError("Give the post a title.", "title")
    if data.publish_at is not None and not dates.in_range(data.publish_at):
        raise PostError(dates.RANGE_MESSAGE, "publish_at")
    post.title = title
    _apply_slug(post, data.slug.strip() or title)
    post.body_source = clean_text(data.body)
    post.excerpt_source = clean_text(data.excerpt).strip()
    try:
        render(post)
    except rendering.ContentRejected as error:
        raise PostError(str(error), "body") from error
    post.comments_open = data.comments_open
    if data.publish_at is not None:
        post.published_at = data.publish_at
    post.terms = terms_from_text(
        Taxonomy.CATEGORY, data.categories, create=create_terms
    ) + terms_from_text(Taxonomy.TAG, data.tags, create=create_terms)


def render(post: Post) -> None:
    """Store the sanitized HTML of the body and excerpt, with the renderer's version.

    :raises rendering.ContentRejected: the Markdown is refused.
    """
    excerpt = post.excerpt_source
    linked = link_media(  # library images get srcset, sizes, width, height
        rendering.render_post(post.body_source),
        rendering.render_post(excerpt) if excerpt else "",
    )
    post.body_html = linked.body
    post.excerpt_html = (
        linked.excerpt if excerpt else rendering.excerpt_html(linked.body)
    )
    post.media_refs = linked.media
    post.rendered_version = rendering.RENDERER_VERSION


def _apply_slug(post: Post, wanted: str) -> None:
    """Set a unique slug; a published post's old slug keeps a 301."""
    base = slugify(wanted)
    if base == post.slug:
        return

    saved = inspect(post).has_identity  # a new post has no id yet

    def taken(slug: str) -> bool:
        query = select(Post.id).where(Post.kind == post.kind, Post.slug == slug)
        if saved:
            query = query.where(Post.id != post.id)
        return db.session.scalar(query) is not None

    new_slug = unique_slug(base, taken)
    if post.slug and saved and post.status == PostStatus.PUBLISHED:
        db.session.add(
            SlugRedirect(kind=post.kind, old_slug=post.slug, post_id=post.id)
        )
    # An address that once redirected may be taken back by a post.
    stale = db.session.scalar(
        select(SlugRedirect).where(
            SlugRedirect.kind == post.kind, SlugRedirect.old_slug == new_slug
        )
    )
    if stale is not None:
        db.session.delete(stale)
    post.slug = new_slug


def check_image_input(post: Post | None, image: ImageInput) -> tuple[str, str]:
    """Validate the featured image's fields before anything is written; the
    alt text and caption, each on one line without bidi controls.

    :raises PostError: alt text missing or too long, caption too long.
    """
    try:
        alt = single_line(image.alt, "featured_image_alt", max_length=ALT_MAX)
        caption = single_line(
            image.caption, "featured_image_caption", max_length=CAPTION_MAX
        )
    except FieldError as error:
        raise PostError(str(error), error.field) from error
    chosen = library_image(image)
    if chosen is not None and not alt:
        alt = chosen.alt_text  # the library's words, unless the editor gave some
    will_have_image = (
        image.upload is not None
        or chosen is not None
        or (
            post is not None and post.featured_image_id is not None and not image.remove
        )
    )
    if will_have_image and not alt:
        raise PostError(
            "Describe the image for people who cannot see it (alt text).",
            "featured_image_alt",
        )
    return alt, caption


def library_image(image: ImageInput) -> Media | None:
    """The media library's image chosen as the featured image (an upload wins).

    :raises PostError: there is no image with that number.
    """
    if image.upload is not None or image.media_id is None:
        return None
    chosen = db.session.get(Media, image.media_id)
    if chosen is None or not chosen.is_image:
        raise PostError(
            "There is no image with that number in the media library.",
            "featured_image_id",
        )
    return chosen


def apply_featured_image(
    post: Post, image: ImageInput, *, uploads: Uploads | None, uploader: User
) -> Media | None:
    """Store an upload and set the post's image fields (the caller commits).

    :returns: the newly stored image, for the caller to remove if the post is
        not saved after all.
    :raises PostError: bad alt text, or a file that is not an image we accept.
    """
    alt, caption = check_image_input(post, image)
    stored: Media | None = None
    if image.upload is not None:
        if uploads is None:
            raise ValueError("an upload needs a folder to be stored in")
        try:
            stored = store_image(
                image.upload, uploads, original_name=image.filename, uploader=uploader
            )
        except ImageRejected as error:
            raise PostError(str(error), "featured_image") from error
        stored.alt_text, stored.caption = alt, caption  # the library keeps them
        post.featured_image = stored
    elif (chosen := library_image(image)) is not None:
        post.featured_image = chosen
    elif image.remove:
        post.featured_image = None
    if post.featured_image is None and image.remove:
        post.featured_image_alt = ""
        post.featured_image_caption = ""
    else:
        post.featured_image_alt, post.featured_image_caption = alt, caption
    return stored
