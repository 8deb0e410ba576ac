"""Saving and previewing pages: the article's path (:func:`save_post`, so
revisions, locking and the editor's buttons work the same), plus the page's
own rules: who may, a slug that is not one of the site's addresses, the
parent, the order; no date, categories or tags, comments off unless asked.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from blog.errors import require
from blog.media import ImageInput, Uploads
from blog.models import Post, PostKind, User
from blog.pages.hierarchy import PageError, choose_parent
from blog.pages.paths import is_reserved, reserved_message
from blog.posts import PostInput, SaveAction, preview_post, save_post
from blog.posts.permissions import can_manage_pages
from blog.posts.slugs import slugify, unique_slug

SLUG_FIELD = "slug"
#: The Order field's bounds (WordPress takes any integer; these are plenty).
ORDER_MIN, ORDER_MAX = -9999, 9999


@dataclass
class PageInput:
    """What the page editor submits, as plain data."""

    title: str
    body: str
    slug: str = ""
    parent_id: int | None = None
    menu_order: int = 0
    comments_open: bool = False
    image: ImageInput = field(default_factory=ImageInput)
    #: The version the editor was opened on; a save over a newer one is
    #: refused (see :class:`blog.posts.PostInput`). ``None`` skips the check.
    base_version: int | None = None


def save_page(
    actor: User,
    data: PageInput,
    page: Post | None = None,
    *,
    reserved: Collection[str],
    action: SaveAction = SaveAction.UPDATE,
    uploads: Uploads | None = None,
) -> Post:
    """Create or update a page, then commit (see :func:`blog.posts.save_post`).

    :param reserved: words no page slug may take
        (:func:`blog.pages.paths.reserved_words` of the app's url_map).
    :raises PermissionDenied: only editors and admins manage pages.
    :raises PostError: a field is invalid (:class:`PageError` for the slug
        and the parent); nothing is written.
    """
    require(can_manage_pages(actor))
    return save_post(
        actor,
        _post_input(data, reserved),
        page,
        action=action,
        kind=PostKind.PAGE,
        uploads=uploads,
        details=lambda post: _apply_page_fields(post, data, reserved),
    )


def preview_page(
    actor: User,
    data: PageInput,
    page: Post | None = None,
    *,
    reserved: Collection[str],
) -> Post:
    """An unsaved copy of the page as readers would see it (nothing written).

    :raises PermissionDenied: only editors and admins manage pages.
    :raises PostError: a field is invalid.
    """
    require(can_manage_pages(actor))
    preview = preview_post(
        actor,
        _post_input(data, reserved),
        page,
        kind=PostKind.PAGE,
        details=lambda post: _apply_page_fields(post, data, reserved, page=page),
    )
    return preview


def _post_input(data: PageInput, reserved: Collection[str]) -> PostInput:
    """The fields a page shares with an article. A slug typed in the Slug
    field that the site uses is refused; one made from the title is moved
    aside (``events`` becomes ``events-2``) as WordPress does.

    :raises PageError: on the Slug field.
    """
    slug = data.slug.strip()
    if slug:
        wanted = slugify(slug)
        if is_reserved(wanted, reserved):
            raise PageError(reserved_message(wanted), SLUG_FIELD)
    else:
        wanted = slugify(data.title)
        if is_reserved(wanted, reserved):
            slug = unique_slug(wanted, lambda s: is_reserved(s, reserved))
    return PostInput(
        title=data.title,
        body=data.body,
        slug=slug,
        comments_open=data.comments_open,
        image=data.image,
        base_version=data.base_version,
    )


def _apply_page_fields(
    post: Post,
    data: PageInput,
    reserved: Collection[str],
    *,
    page: Post | None = None,
) -> None:
    """The page's own fields, after the shared ones (``save_post``'s
    ``details`` hook).

    :param page: the saved page a preview is made of (``post`` is a copy).
    :raises PageError: the slug the post ended with is reserved, or the
        parent is refused.
    """
    if is_reserved(post.slug, reserved):  # the numbered form of a taken slug
        raise PageError(reserved_message(post.slug), SLUG_FIELD)
    checked = page if page is not None else post
    post.parent = choose_parent(checked, data.parent_id)
    post.menu_order = max(ORDER_MIN, min(ORDER_MAX, data.menu_order))
