"""What readers see of events: listings, event pages and calendar files."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select
from werkzeug.wrappers import Response as WerkzeugResponse

from blog.events import calendar, listings
from blog.events.schema import json_ld
from blog.events.when import when
from blog.models import Post, PostKind, Taxonomy, utcnow
from blog.posts import reading
from blog.site import current_promo
from blog.views.arguments import text_arg
from blog.views.caching import cacheable
from blog.views.comments import comment_context
from blog.views.context import (
    absolute,
    current_settings,
    edit_link,
    paginate_posts,
    public_url,
)
from blog.views.sharing import event_breadcrumbs, listing_meta, post_meta

bp = Blueprint("events", __name__)

ICS_TYPE = "text/calendar; charset=utf-8"
FEED_LIMIT = 500


def _listing(query: Select[Post], *, heading: str, past: bool) -> str:
    pagination = paginate_posts(query)
    return render_template(
        "events/index.html",
        heading=heading,
        past=past,
        pagination=pagination,
        meta=listing_meta(pagination, heading),
        months=listings.group_by_month(pagination.items),
        filters=listings.filter_terms(),
        chosen={k: v or "" for k, v in _filters().items()},
    )


def _filters() -> dict[str, str | None]:
    return {
        "category": text_arg("category") or None,
        "audience": text_arg("audience") or None,
    }


@bp.get("/events/")
@cacheable
def index() -> ResponseReturnValue:
    query = listings.upcoming(utcnow(), **_filters())
    return _listing(query, heading="Upcoming events", past=False)


@bp.get("/events/past/")
@cacheable
def past() -> ResponseReturnValue:
    return _listing(
        listings.past(utcnow(), **_filters()), heading="Past events", past=True
    )


def _event_or_redirect(slug: str, endpoint: str) -> Post | WerkzeugResponse:
    """The visible event, or a 301 from an old slug, or 404."""
    post = listings.get_visible_event(slug)
    if post is not None:
        return post
    moved = reading.redirected_post(PostKind.EVENT, slug) or abort(404)
    return redirect(url_for(endpoint, slug=moved.slug), 301)


@bp.get("/events/<slug>/")
@cacheable
def detail(slug: str) -> ResponseReturnValue:
    post = _event_or_redirect(slug, "events.detail")
    if not isinstance(post, Post):
        return post
    return render_template(
        "events/detail.html",
        **event_page_context(post),
        **comment_context(post, current_user),
        edit_link=edit_link(post),
        meta=post_meta(post),
        breadcrumbs=event_breadcrumbs(post),
    )


def event_page_context(post: Post, *, preview: bool = False) -> dict[str, Any]:
    """What the event page shows, for readers and for the editor's preview."""
    url = absolute(public_url(post))
    settings = current_settings()
    return {
        "post": post,
        "event": calendar.details_of(post),
        "preview": preview,
        "when": when(calendar.details_of(post)),
        "outlook_url": calendar.outlook_link(post, url=url),
        "google_url": calendar.google_link(post, url=url),
        "ics_url": url_for("events.ics", slug=post.slug),
        "json_ld": _json_ld(post, url, settings["title"]),
        "promo": current_promo(settings),
    }


def _json_ld(post: Post, url: str, site_title: str) -> dict[str, Any]:
    """The page's schema.org data, with absolute addresses."""
    image = post.featured_image
    image_url = url_for("media.file", filename=image.filename) if image else ""
    return json_ld(
        post,
        url=url,
        image_url=absolute(image_url) if image_url else "",
        organizer_name=site_title,
        organizer_url=absolute("/"),
    )


def _ics_response(posts: list[Post], filename: str, name: str = "") -> Response:
    cal = calendar.calendar(
        posts,
        url_for_post=lambda p: absolute(public_url(p)),
        site_url=current_app.config["SITE_URL"],
        name=name,
        now=utcnow(),
    )
    response = Response(calendar.ics(cal), mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{_safe(filename)}"'
    return response  # Cache-Control: as every public page (blog.views.caching)


def _safe(filename: str) -> str:
    """A file name fit for a header: ASCII letters, digits, ``-_.`` (a slug
    stored by an importer may hold anything, line breaks included)."""
    return "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in filename
    )


@bp.get("/events/<slug>.ics")
@cacheable
def ics(slug: str) -> ResponseReturnValue:
    post = _event_or_redirect(slug, "events.ics")
    if not isinstance(post, Post):
        return post
    return _ics_response([post], f"{post.slug}.ics")


@bp.get("/events/category/<slug>.ics")
@cacheable
def category_feed(slug: str) -> ResponseReturnValue:
    term = reading.get_term(Taxonomy.CATEGORY, slug) or abort(404)
    posts = listings.upcoming_events(FEED_LIMIT, category=term.slug)
    name = f"{current_settings()['title']}: {term.name}"
    return _ics_response(posts, f"events-{term.slug}.ics", name)


@bp.get("/events.ics")
@cacheable
def feed() -> ResponseReturnValue:
    name = f"{current_settings()['title']}: events"
    return _ics_response(listings.upcoming_events(FEED_LIMIT), "events.ics", name)
