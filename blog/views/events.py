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
    request,
    url_for,
)
from flask_login import current_user

from blog import calendar, events, reading
from blog.extensions import db
from blog.models import Post, PostKind, Taxonomy, utcnow
from blog.promo import current_promo
from blog.views.comments import comment_context
from blog.views.hooks import current_settings
from blog.views.links import public_url

bp = Blueprint("events", __name__)

ICS_TYPE = "text/calendar; charset=utf-8"
FEED_LIMIT = 500


@bp.app_template_filter("event_when")
def event_when(event: Any) -> str:
    return calendar.when(event)


@bp.app_template_filter("event_when_short")
def event_when_short(event: Any) -> str:
    return calendar.short_when(event)


@bp.app_template_filter("event_date")
def event_date(value: Any) -> str:
    return calendar.long_date(value)


def absolute(path: str) -> str:
    """An address on the public site (``SITE_URL``), for calendars and JSON-LD."""
    return current_app.config["SITE_URL"].rstrip("/") + path


def _listing(query: Any, *, heading: str, past: bool) -> str:
    pagination = db.paginate(
        query,
        page=request.args.get("page", 1, type=int),
        per_page=int(current_settings()["posts_per_page"]),
        error_out=True,
    )
    return render_template(
        "public/events.html",
        heading=heading,
        past=past,
        pagination=pagination,
        months=events.group_by_month(pagination.items),
        filters=events.filter_terms(),
        chosen={k: v or "" for k, v in _filters().items()},
        categories=reading.navigation_categories(),
    )


def _filters() -> dict[str, str | None]:
    return {
        "category": request.args.get("category") or None,
        "audience": request.args.get("audience") or None,
    }


@bp.get("/events/")
def index():  # type: ignore[no-untyped-def]
    return _listing(
        events.upcoming(utcnow(), **_filters()), heading="Upcoming events", past=False
    )


@bp.get("/events/past/")
def past():  # type: ignore[no-untyped-def]
    return _listing(
        events.past(utcnow(), **_filters()), heading="Past events", past=True
    )


def _event_or_redirect(slug: str, endpoint: str) -> Post | Response:
    post = events.get_visible_event(slug)
    if post is not None:
        return post
    moved = reading.redirected_post(PostKind.EVENT, slug)
    if moved is None:
        abort(404)
    return redirect(url_for(endpoint, slug=moved.slug), 301)


@bp.get("/events/<slug>/")
def detail(slug: str):  # type: ignore[no-untyped-def]
    post = _event_or_redirect(slug, "events.detail")
    if not isinstance(post, Post):
        return post
    return render_template(
        "public/event.html",
        **event_page_context(post),
        **comment_context(post, current_user),
    )


def event_page_context(post: Post, *, preview: bool = False) -> dict[str, Any]:
    """What the event page shows, for readers and for the editor's preview."""
    url = absolute(public_url(post))
    image_url = (
        absolute(url_for("media.file", filename=post.featured_image.filename))
        if post.featured_image
        else ""
    )
    settings = current_settings()
    return {
        "post": post,
        "event": post.event,
        "preview": preview,
        "when": calendar.when(post.event),
        "outlook_url": calendar.outlook_link(post, url=url),
        "google_url": calendar.google_link(post, url=url),
        "ics_url": url_for("events.ics", slug=post.slug),
        "json_ld": calendar.json_ld(
            post,
            url=url,
            image_url=image_url,
            organizer_name=settings["title"],
            organizer_url=absolute("/"),
        ),
        "promo": current_promo(settings),
        "categories": reading.navigation_categories(),
    }


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


def _calendar(posts: list[Post], name: str = "") -> bytes:
    cal = calendar.calendar(
        posts,
        url_for_post=lambda p: absolute(public_url(p)),
        site_url=current_app.config["SITE_URL"],
        name=name,
        now=utcnow(),
    )
    return calendar.ics(cal)


@bp.get("/events/<slug>.ics")
def ics(slug: str):  # type: ignore[no-untyped-def]
    post = _event_or_redirect(slug, "events.ics")
    if not isinstance(post, Post):
        return post
    return _ics_response(_calendar([post]), f"{post.slug}.ics")


@bp.get("/events/category/<slug>.ics")
def category_feed(slug: str):  # type: ignore[no-untyped-def]
    term = reading.get_term(Taxonomy.CATEGORY, slug) or abort(404)
    posts = db.session.scalars(
        events.upcoming(utcnow(), category=term.slug).limit(FEED_LIMIT)
    ).all()
    name = f"{current_settings()['title']}: {term.name}"
    return _ics_response(_calendar(list(posts), name), f"events-{term.slug}.ics")


@bp.get("/events.ics")
def feed():  # type: ignore[no-untyped-def]
    posts = db.session.scalars(events.upcoming(utcnow()).limit(FEED_LIMIT)).all()
    name = f"{current_settings()['title']}: events"
    return _ics_response(_calendar(list(posts), name), "events.ics")
