"""What readers see of events: listings, event pages and calendar files."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
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
from werkzeug.wrappers import Response as WerkzeugResponse

from blog import dates
from blog.events import calendar, listings, recurrence
from blog.events.describe import describe, repeat_note
from blog.events.links import add_to_links
from blog.events.maps import event_map_url
from blog.events.recurrence import Occurrence
from blog.events.schema import json_ld
from blog.events.when import (
    clock_of,
    local_span,
    occurrence_span,
    original_when,
    short_when_of,
    when,
    when_of,
)
from blog.models import Post, PostKind, Taxonomy, utcnow
from blog.paging import ListPagination
from blog.posts import reading
from blog.site import current_promo
from blog.views.arguments import page_number, text_arg
from blog.views.caching import cacheable
from blog.views.comments import comment_context
from blog.views.context import (
    absolute,
    current_settings,
    current_zone,
    edit_link,
    public_url,
)
from blog.views.sharing import event_breadcrumbs, listing_meta, page_meta, post_meta

bp = Blueprint("events", __name__)

ICS_TYPE = "text/calendar; charset=utf-8"
FEED_LIMIT = 500
#: The dates a series' page lists ("Upcoming dates").
UPCOMING_DATES = 10
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def occurrence_url(occurrence: Occurrence) -> str:
    """A date's page: ``/events/<slug>/<YYYY-MM-DD>/`` for a repeating
    event's, the event's own page for a one-off event's."""
    if not occurrence.repeats:
        return public_url(occurrence.post)
    day = occurrence.day.isoformat()
    return url_for("events.occurrence", slug=occurrence.post.slug, day=day)


bp.add_app_template_global(occurrence_url, "occurrence_url")
bp.add_app_template_filter(when_of, "occurrence_when")
bp.add_app_template_filter(short_when_of, "occurrence_when_short")
bp.add_app_template_filter(clock_of, "occurrence_clock")
bp.add_app_template_filter(repeat_note, "repeat_note")


def _filters() -> dict[str, str | None]:
    return {
        "category": text_arg("category") or None,
        "audience": text_arg("audience") or None,
    }


def _chosen_range() -> str:
    wanted = text_arg("range")
    return wanted if wanted in listings.RANGES else ""


def _listing(pagination: ListPagination, *, heading: str, past: bool) -> str:
    if not pagination.items and pagination.page > 1:
        abort(404)
    return render_template(
        "events/index.html",
        heading=heading,
        past=past,
        pagination=pagination,
        meta=listing_meta(pagination, heading),
        months=listings.occurrences_by_month(pagination.items),
        filters=listings.filter_terms(),
        ranges=listings.RANGES,
        chosen={
            **{k: v or "" for k, v in _filters().items()},
            "range": "" if past else _chosen_range(),
        },
        this_month=_this_month(),
    )


def _per_page() -> int:
    return int(current_settings()["posts_per_page"])


def _this_month() -> date:
    return dates.to_zone(utcnow(), current_zone()).date().replace(day=1)


@bp.get("/events/")
@cacheable
def index() -> ResponseReturnValue:
    now = utcnow()
    chosen = _chosen_range()
    pagination = listings.upcoming_page(
        now,
        page=page_number(),
        per_page=_per_page(),
        until=listings.range_end(chosen, now, current_zone()),
        **_filters(),
    )
    heading = "Upcoming events"
    if chosen:
        heading = f"Upcoming events: {listings.RANGES[chosen].lower()}"
    return _listing(pagination, heading=heading, past=False)


@bp.get("/events/past/")
@cacheable
def past() -> ResponseReturnValue:
    pagination = listings.past_page(
        utcnow(), page=page_number(), per_page=_per_page(), **_filters()
    )
    return _listing(pagination, heading="Past events", past=True)


@bp.get("/events/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/")
@cacheable
def month(year: int, month: int) -> ResponseReturnValue:
    """The month calendar: weeks from Monday, dates on their event's clock."""
    shown = listings.month_calendar(
        year, month, now=utcnow(), zone=current_zone(), **_filters()
    )
    if shown is None:
        abort(404)
    heading = f"Events: {shown.label}"
    return render_template(
        "events/month.html",
        heading=heading,
        calendar=shown,
        this_month=shown.today.replace(day=1),
        filters=listings.filter_terms(),
        chosen={k: v or "" for k, v in _filters().items()},
        meta=page_meta(heading),
    )


def _event_or_redirect(
    slug: str, endpoint: str, **values: Any
) -> Post | WerkzeugResponse:
    """The visible event, or a 301 from an old slug, or 404."""
    post = listings.get_visible_event(slug)
    if post is not None:
        return post
    moved = reading.redirected_post(PostKind.EVENT, slug) or abort(404)
    return redirect(url_for(endpoint, slug=moved.slug, **values), 301)


def _event_page(post: Post, occurrence: Occurrence | None = None) -> str:
    meta = post_meta(post)
    if occurrence is not None:  # a page of its own, shared by its address
        meta = replace(meta, canonical=absolute(occurrence_url(occurrence)))
    return render_template(
        "events/detail.html",
        **event_page_context(post, occurrence=occurrence),
        **comment_context(post, current_user),
        edit_link=edit_link(post),
        meta=meta,
        breadcrumbs=event_breadcrumbs(post),
    )


@bp.get("/events/<slug>/")
@cacheable
def detail(slug: str) -> ResponseReturnValue:
    post = _event_or_redirect(slug, "events.detail")
    if not isinstance(post, Post):
        return post
    return _event_page(post)


@bp.get("/events/<slug>/<day>/")
@cacheable
def occurrence(slug: str, day: str) -> ResponseReturnValue:
    """One date of a repeating event, by the date the rule gives it (kept
    when moved); a one-off event's own date leads to its page."""
    wanted = _day(day)
    post = _event_or_redirect(slug, "events.occurrence", day=day)
    if not isinstance(post, Post):
        return post
    found = recurrence.find(post, wanted)
    if found is None:
        abort(404)
    if not found.repeats:
        return redirect(url_for("events.detail", slug=post.slug), 301)
    return _event_page(post, found)


def _day(text: str) -> date:
    """``YYYY-MM-DD`` in the years a date may be given in, else 404."""
    if not _DAY.fullmatch(text):
        abort(404)
    try:
        value = date.fromisoformat(text)
    except ValueError:
        abort(404)
    return value if dates.in_range(value) else abort(404)


def event_page_context(
    post: Post, *, preview: bool = False, occurrence: Occurrence | None = None
) -> dict[str, Any]:
    """What the event page shows, for readers and for the editor's preview;
    ``occurrence``: the date a repeating event's page is about (its own
    address, its own date in When, in the links and in the JSON-LD)."""
    page = occurrence_url(occurrence) if occurrence else public_url(post)
    url = absolute(page)
    settings = current_settings()
    shown = _shown_date(post, occurrence, utcnow())
    add_to = add_to_links(post, url=url, occurrence=occurrence, shown=shown)
    return {
        "post": post,
        "event": calendar.details_of(post),
        "preview": preview,
        "add_to": add_to,
        "map_url": event_map_url(calendar.details_of(post)),
        "ics_url": url_for("events.ics", slug=post.slug),
        "json_ld": _json_ld(post, url, settings["title"], shown),
        "promo": current_promo(settings),
        **_dates_context(post, occurrence, shown, utcnow()),
    }


def _shown_date(
    post: Post, occurrence: Occurrence | None, now: datetime
) -> Occurrence | None:
    """The date When shows: the page's own, else a series' next (else
    ``None``: a one-off event, or a series whose dates are all past, shows
    its first date)."""
    event = calendar.details_of(post)
    if occurrence is None and event.repeats:
        return recurrence.next_occurrence(post, now)
    return occurrence


def _dates_context(
    post: Post, occurrence: Occurrence | None, shown: Occurrence | None, now: datetime
) -> dict[str, Any]:
    """When, with a series' rule in words and its upcoming dates ("and N
    more" for a series with an end)."""
    event = calendar.details_of(post)
    begins = local_span(event)[0] if shown is None else occurrence_span(shown)[0]
    upcoming: list[Occurrence] = []
    more = 0
    if event.repeats:
        upcoming = recurrence.upcoming_of(post, now, UPCOMING_DATES + 1)
        if len(upcoming) > UPCOMING_DATES and event.last_ends_at is not None:
            left = sum(1 for _ in recurrence.occurrences_after(post, now))
            more = left - UPCOMING_DATES
    return {
        "occurrence": occurrence,
        "shown_date": shown,
        "when": when(event) if shown is None else when_of(shown),
        "when_datetime": dates.iso(begins.date() if event.all_day else begins),
        "moved_from": original_when(shown) if shown and shown.moved else "",
        "rule": describe(event),
        "upcoming_dates": upcoming[:UPCOMING_DATES],
        "more_dates": more,
    }


def _json_ld(
    post: Post, url: str, site_title: str, shown: Occurrence | None
) -> dict[str, Any]:
    """The page's schema.org data, with absolute addresses."""
    image = post.featured_image
    image_url = url_for("media.file", filename=image.filename) if image else ""
    venue = calendar.details_of(post).venue
    venue_url = url_for("event_places.venue", slug=venue.slug) if venue else ""
    return json_ld(
        post,
        url=url,
        image_url=absolute(image_url) if image_url else "",
        organizer_name=site_title,
        organizer_url=absolute("/"),
        venue_url=absolute(venue_url) if venue_url else "",
        occurrence=shown,
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
