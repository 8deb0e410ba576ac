"""Feeds readers subscribe to: RSS 2.0 and Atom at WordPress's addresses,
and the ``<link rel="alternate">`` tags that let browsers and readers find
them on every public page (``feed_links``, for ``public/_feed_links.html``).

Every feed is ``@cacheable``: ETag, Last-Modified and ``304`` come from
:mod:`blog.views.caching`, so a reader polling an unchanged feed gets an
empty answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from blog import feeds
from blog.models import Post, Taxonomy
from blog.posts import reading
from blog.views.caching import cacheable
from blog.views.context import (
    NO_MENU_BLUEPRINTS,
    absolute,
    article_url,
    current_settings,
    public_url,
)
from blog.views.public import visible_article

bp = Blueprint("feeds", __name__)

RSS, ATOM = "rss", "atom"
ViewT = TypeVar("ViewT", bound=Callable[..., ResponseReturnValue])


def feed_routes(path: str) -> Callable[[ViewT], ViewT]:
    """``path`` (RSS) and ``path + "atom/"`` (Atom) for a ``@cacheable``
    feed view taking ``fmt``. The RSS rule is registered first, so
    ``url_for("feeds.site")`` without ``fmt`` gives ``/feed/``."""

    def register(view: ViewT) -> ViewT:
        view = cacheable(view)
        bp.get(path, defaults={"fmt": RSS})(view)
        bp.get(f"{path}atom/", defaults={"fmt": ATOM})(view)
        return view

    return register


def feed_site() -> feeds.FeedSite:
    """What the feeds need from the configuration and the Reading settings."""
    settings = current_settings()
    config = current_app.config
    return feeds.FeedSite(
        url=str(config["SITE_URL"]),
        title=str(settings["title"]),
        tagline=str(settings["tagline"] or ""),
        items=max(1, int(settings["feed_items"])),
        full_text=bool(settings["feed_full_text"]),
        post_url=lambda post: absolute(public_url(post)),
        thread_depth=int(config["COMMENT_THREAD_DEPTH"]),
        comments_per_page=int(config["COMMENTS_PER_PAGE"]),
    )


def _here(page: str) -> feeds.Here:
    """This feed's address (as routed, without a query) and its page's."""
    return feeds.Here(absolute(request.script_root + request.path), absolute(page))


def _respond(feed: feeds.Feed, fmt: str) -> Response:
    if fmt == ATOM:
        return Response(feeds.atom(feed), content_type=feeds.ATOM_TYPE)
    return Response(feeds.rss(feed), content_type=feeds.RSS_TYPE)


@feed_routes("/feed/")
def site(fmt: str) -> ResponseReturnValue:
    feed = feeds.site_feed(feed_site(), _here(url_for("public.home")))
    return _respond(feed, fmt)


@bp.get("/rss.xml")
def rss_xml() -> ResponseReturnValue:
    """Where some readers look first."""
    return redirect(url_for("feeds.site", fmt=RSS), 301)


@bp.get("/atom.xml")
def atom_xml() -> ResponseReturnValue:
    return redirect(url_for("feeds.site", fmt=ATOM), 301)


@feed_routes("/category/<slug>/feed/")
def category(slug: str, fmt: str) -> ResponseReturnValue:
    return _term_feed(Taxonomy.CATEGORY, "public.category", slug, fmt)


@feed_routes("/tag/<slug>/feed/")
def tag(slug: str, fmt: str) -> ResponseReturnValue:
    return _term_feed(Taxonomy.TAG, "public.tag", slug, fmt)


def _term_feed(taxonomy: Taxonomy, archive: str, slug: str, fmt: str) -> Response:
    """A category's or tag's feed; 404 where its archive would be."""
    term = reading.get_term(taxonomy, slug) or abort(404)
    here = _here(url_for(archive, slug=term.slug))
    return _respond(feeds.term_feed(feed_site(), here, term), fmt)


@feed_routes("/author/<slug>/feed/")
def author(slug: str, fmt: str) -> ResponseReturnValue:
    person = reading.get_author(slug) or abort(404)
    here = _here(url_for("public.author", slug=person.slug))
    return _respond(feeds.author_feed(feed_site(), here, person), fmt)


@feed_routes("/comments/feed/")
def comments(fmt: str) -> ResponseReturnValue:
    feed = feeds.comments_feed(feed_site(), _here(url_for("public.home")))
    return _respond(feed, fmt)


def post_feed_path(post: Post, fmt: str = RSS) -> str:
    """``/YYYY/MM/slug/feed/`` (``.../feed/atom/``): an article's comments."""
    return article_url(post) + ("feed/atom/" if fmt == ATOM else "feed/")


@feed_routes("/<int:year>/<month>/<slug>/feed/")
def post_comments(year: int, month: str, slug: str, fmt: str) -> ResponseReturnValue:
    """One article's approved comments; an old slug or date answers ``301``
    to the current address, as the article does."""
    post = visible_article(slug, lambda found: post_feed_path(found, fmt))
    if not isinstance(post, Post):
        return post
    feed = feeds.comments_feed(feed_site(), _here(article_url(post)), post)
    return _respond(feed, fmt)


@feed_routes("/events/feed/")
def events(fmt: str) -> ResponseReturnValue:
    feed = feeds.events_feed(feed_site(), _here(url_for("events.index")))
    return _respond(feed, fmt)


# The <link rel="alternate"> tags of public pages --------------------------------

RSS_MIME, ATOM_MIME = feeds.RSS_MIME, feeds.ATOM_MIME


@dataclass(frozen=True)
class FeedLink:
    """A feed a page announces. ``label`` ends the title ("Site » Feed");
    empty when the page names it from what it shows (``term``, ``author``,
    ``post``), which ``kind`` says."""

    kind: str
    href: str
    type: str = RSS_MIME
    label: str = ""


#: Pages whose subject has a feed: endpoint -> (kind, the feed's endpoint).
SUBJECT_FEEDS = {
    "public.category": ("category", "feeds.category"),
    "public.tag": ("tag", "feeds.tag"),
    "public.author": ("author", "feeds.author"),
    "public.article": ("post", "feeds.post_comments"),
}


def feed_links() -> list[FeedLink]:
    """The feeds of the page being drawn, from its endpoint and address
    alone (no query): the site's, then the archive's, article's or events'."""

    def link(endpoint: str, **values: Any) -> str:
        return absolute(url_for(endpoint, **values))

    links = [
        FeedLink("site", link("feeds.site", fmt=RSS), label="Feed"),
        FeedLink("site", link("feeds.site", fmt=ATOM), ATOM_MIME, "Atom Feed"),
        FeedLink("comments", link("feeds.comments", fmt=RSS), label="Comments Feed"),
    ]
    endpoint, values = request.endpoint or "", dict(request.view_args or {})
    if endpoint in SUBJECT_FEEDS:
        kind, feed = SUBJECT_FEEDS[endpoint]
        links.append(FeedLink(kind, link(feed, **{**values, "fmt": RSS})))
    elif request.blueprint == "events":
        links.append(
            FeedLink("events", link("feeds.events", fmt=RSS), label="Events Feed")
        )
    return links


@bp.app_context_processor
def _feed_links_context() -> dict[str, Any]:
    """``feed_links`` for the public layout's ``<head>``."""
    if not has_request_context() or NO_MENU_BLUEPRINTS & set(request.blueprints):
        return {"feed_links": []}
    return {"feed_links": feed_links()}
