"""What every view and template gets: the site settings (read once per
request), dates in the site's zone, the addresses of pages and posts, the
site menu on public pages, the staff's "Edit" link, and the settings objects
that services take, built from the app at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from sqlalchemy.exc import SQLAlchemyError

from blog import dates
from blog.comments import CommentSettings
from blog.events.when import short_when, when
from blog.extensions import db
from blog.media import Uploads
from blog.models import Post, PostKind
from blog.pages import page_segments
from blog.pages.paths import page_route
from blog.paging import paginate
from blog.posts.permissions import can_edit_post
from blog.site import DEFAULTS, load_settings, site_zone
from blog.site.menu import LinkKind, MenuLink, site_menu
from blog.views.arguments import page_number, text_arg

#: Query arguments that filter a listing, kept by its pager's links.
PAGER_FILTERS = (
    "status",
    "kind",
    "author",
    "category",
    "audience",
    "range",
    "role",
    "q",
)

#: Settings that templates never receive (only the forms that edit them do).
SECRET_SETTINGS = frozenset({"akismet_api_key"})


def current_settings() -> dict[str, Any]:
    """Site settings, read once per request.

    Falls back to the defaults when the database cannot answer, so that the
    error page itself can still be shown.
    """
    if "site_settings" not in g:
        try:
            g.site_settings = load_settings()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("Site settings unavailable; using defaults")
            g.site_settings = dict(DEFAULTS)
    settings: dict[str, Any] = g.site_settings
    return settings


def current_zone() -> ZoneInfo:
    """The site's time zone."""
    return site_zone(current_settings())


def comment_settings() -> CommentSettings:
    """What the comment services need, from the config and the site settings."""
    return CommentSettings.from_app(current_app.config, current_settings())


def uploads() -> Uploads:
    return Uploads.of(current_app)


def article_url(post: Post, **kwargs: Any) -> str:
    """``/YYYY/MM/slug/``, dated in the site's time zone (in UTC for a date
    that zone's clock cannot show: see :func:`blog.dates.to_zone`).

    The address is built once per request for each post and the query
    arguments (``cpage``, ``replytocom``) are added to it, as ``url_for``
    would add them: a thread's fifty "Reply" links cost one ``url_for``,
    not fifty (the profile of an uncached article page showed them).
    """
    path = _article_path(post)
    if not kwargs:
        return path
    if not _plain_query(kwargs):
        return _build_article_url(post, **kwargs)
    items = [(name, str(value)) for name, value in kwargs.items() if value is not None]
    return f"{path}?{urlencode(items, safe=QUERY_SAFE)}" if items else path


#: What ``url_for`` (werkzeug) leaves unquoted in a query string.
QUERY_SAFE = "!$'()*,/:;?@"
#: ``url_for`` arguments that are not query arguments (or are the rule's own).
_NOT_QUERY = frozenset({"year", "month", "slug"})


def _plain_query(kwargs: dict[str, Any]) -> bool:
    """Whether ``kwargs`` are only query arguments with one plain value each."""
    return all(
        not name.startswith("_")
        and name not in _NOT_QUERY
        and (value is None or isinstance(value, int | str))
        for name, value in kwargs.items()
    )


def _article_path(post: Post) -> str:
    """The post's address, remembered for the rest of the request (keyed by
    what it is made of, so a post saved meanwhile gets its new one)."""
    post_id: int | None = post.id
    if post_id is None:  # a preview of a post not saved yet
        return _build_article_url(post)
    key = (post_id, post.slug, post.published_at, current_zone().key)
    paths: dict[tuple[Any, ...], str] = g.setdefault("article_paths", {})
    if key not in paths:
        paths[key] = _build_article_url(post)
    return paths[key]


def _build_article_url(post: Post, **kwargs: Any) -> str:
    assert post.published_at is not None
    local = dates.to_zone(post.published_at, current_zone())
    return url_for(
        "public.article",
        year=local.year,
        month=f"{local.month:02d}",
        slug=post.slug,
        **kwargs,
    )


def public_url(post: Post, **kwargs: Any) -> str:
    """A post's public address: an article's dated permalink,
    ``/events/slug/``, or a page's ``/slug/`` (``/parent/slug/``...)."""
    if post.kind == PostKind.EVENT:
        return url_for("events.detail", slug=post.slug, **kwargs)
    if post.kind == PostKind.PAGE:
        return _page_address(page_segments(post), **kwargs)
    return article_url(post, **kwargs)


def _page_address(parts: tuple[str, ...], **kwargs: Any) -> str:
    endpoint, values = page_route(parts)
    return url_for(endpoint, **{**values, **kwargs})


def _menu_address(kind: LinkKind, parts: tuple[str, ...]) -> str:
    """Where a menu item leads (:data:`blog.site.menu.LinkFor`)."""
    if kind == LinkKind.PAGE:
        return _page_address(parts)
    if kind == LinkKind.CATEGORY:
        return url_for("public.category", slug=parts[0])
    if kind == LinkKind.EVENTS:
        return url_for("events.index")
    return url_for("public.home")


#: Areas whose pages are not drawn in the public layout (no site menu).
NO_MENU_BLUEPRINTS = frozenset({"dashboard", "auth", "password"})


def menu_context() -> dict[str, list[MenuLink]]:
    """``menu``: the site menu, made once per request (one query at most).

    Empty when the database cannot answer, so that an error page still shows.
    """
    if "site_menu" not in g:
        try:
            g.site_menu = site_menu(current_settings(), _menu_address)
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("Site menu unavailable")
            g.site_menu = []
    return {"menu": g.site_menu}


@dataclass(frozen=True)
class EditLink:
    url: str
    label: str


EDIT_LINKS = {
    PostKind.ARTICLE: ("dashboard.posts.edit", "Edit Post"),
    PostKind.EVENT: ("dashboard.events.edit", "Edit Event"),
    PostKind.PAGE: ("dashboard.pages.edit", "Edit Page"),
}


def edit_link(post: Post) -> EditLink | None:
    """ "Edit Post" on a public page, for logged-in staff who may edit it;
    ``None`` for anyone else (an anonymous reader's session is not touched)."""
    if not current_user.is_authenticated or not can_edit_post(current_user, post):
        return None
    endpoint, label = EDIT_LINKS[post.kind]
    return EditLink(url_for(endpoint, post_id=post.id), label)


def absolute(path: str) -> str:
    """An address on the public site (``SITE_URL``), for calendars and JSON-LD."""
    return str(current_app.config["SITE_URL"]).rstrip("/") + path


def paginate_posts(query: Select[Post]) -> Pagination:
    """The page of ``query`` the request asks for (``?page=``), as many posts
    a page as the site's Reading setting says; 404 past the last page. The
    pager counts ten pages ahead ("Page 1 of 10+"), not every post."""
    return paginate(
        query,
        page=page_number(),
        per_page=int(current_settings()["posts_per_page"]),
        error_out=True,
    )


def page_url(page: int, **cursor: str) -> str:
    """This page's address at another page number, keeping its filters,
    with the pager's ``cursor`` (``after``/``before``: :mod:`blog.paging`).

    Only the query arguments named in :data:`PAGER_FILTERS` are kept: any
    other name could be one that ``url_for`` reads itself (``_external``,
    ``_anchor``, ``_method``, ``endpoint``).
    """
    kept = {name: value for name in PAGER_FILTERS if (value := text_arg(name))}
    args = {**kept, **(request.view_args or {}), "page": page, **cursor}
    return url_for(request.endpoint or "public.home", **args)


def local_date(value: datetime | None) -> str:
    return dates.local_date(value, current_zone())


def local_datetime(value: datetime | None) -> str:
    return dates.local_datetime(value, current_zone())


def local_datetime_zone(value: datetime | None) -> str:
    """``November 29, 2026 at 10:00 a.m. EST``: the site's zone named."""
    return dates.local_datetime(value, current_zone(), with_zone=True)


def _site_context() -> dict[str, Any]:
    public = {k: v for k, v in current_settings().items() if k not in SECRET_SETTINGS}
    staff = has_request_context() and current_user.is_authenticated
    context: dict[str, Any] = {"site": public, "is_staff": staff}
    if has_request_context() and not NO_MENU_BLUEPRINTS & set(request.blueprints):
        context.update(menu_context())  # the public pages' menu
    return context


def register(app: Flask) -> None:
    """Template filters and globals (every one of them formats; none queries)."""
    app.context_processor(_site_context)
    app.jinja_env.filters.update(
        localdate=local_date,
        localdatetime=local_datetime,
        localdatetime_zone=local_datetime_zone,
        isodate=dates.iso,
        event_when=when,
        event_when_short=short_when,
        event_date=dates.long_day,
    )
    app.jinja_env.globals.update(
        page_url=page_url, article_url=article_url, public_url=public_url
    )
