"""What crawlers read: ``/sitemap.xml`` (an index and its sitemaps) and
``/robots.txt``, and the ``X-Robots-Tag`` header while the site asks search
engines to stay away (and ``robots_noindex`` for the ``robots`` meta tag
of ``templates/public/layout.html``)."""

from __future__ import annotations

from flask import Blueprint, abort, after_this_request, g, request, url_for
from flask.typing import ResponseReturnValue
from flask.wrappers import Response

from blog import sitemaps
from blog.models import Post, Taxonomy
from blog.sitemaps import Section, SitemapUrl
from blog.views.caching import cacheable
from blog.views.context import absolute, current_settings, public_url

bp = Blueprint("sitemaps", __name__)

_SECTIONS = ", ".join(section.value for section in Section)
_TERM_ENDPOINTS = {Taxonomy.CATEGORY: "public.category", Taxonomy.TAG: "public.tag"}


@bp.get("/robots.txt")
@cacheable
def robots() -> ResponseReturnValue:
    text = sitemaps.robots_txt(
        discourage=sitemaps.discouraged(current_settings()),
        sitemap_url=absolute(url_for("sitemaps.index")),
        root=request.script_root,
    )
    return Response(text, content_type="text/plain; charset=utf-8")


@bp.get("/sitemap.xml")
@cacheable
def index() -> ResponseReturnValue:
    """The sitemap index; a 404 while search engines are discouraged, as
    WordPress does."""
    _refuse_if_discouraged()
    entries = (
        SitemapUrl(_sitemap_url(part.section, part.number), part.lastmod)
        for part in sitemaps.index_parts()
    )
    return _xml(sitemaps.sitemap_index(entries))


@bp.get(f"/sitemap-<any({_SECTIONS}):section>-<int:number>.xml")
@cacheable
def sitemap(section: str, number: int) -> ResponseReturnValue:
    _refuse_if_discouraged()
    urls = sitemaps.section_urls(Section(section), number, _addresses()) or abort(404)
    return _xml(sitemaps.urlset(urls))


def _refuse_if_discouraged() -> None:
    if sitemaps.discouraged(current_settings()):
        abort(404)


def _xml(body: bytes) -> Response:
    return Response(body, content_type=sitemaps.CONTENT_TYPE)


def _sitemap_url(section: Section, number: int) -> str:
    return absolute(url_for("sitemaps.sitemap", section=section.value, number=number))


def _addresses() -> sitemaps.Addresses:
    return sitemaps.Addresses(
        post=_post_address,
        term=_term_address,
        author=lambda slug: absolute(url_for("public.author", slug=slug)),
        home=absolute(url_for("public.home")),
        events=absolute(url_for("events.index")),
    )


def _post_address(post: Post) -> str:
    return absolute(public_url(post))


def _term_address(taxonomy: Taxonomy, slug: str) -> str:
    return absolute(url_for(_TERM_ENDPOINTS[taxonomy], slug=slug))


@bp.app_context_processor
def _robots_context() -> dict[str, str]:
    """``robots_noindex``: what every public page's robots meta tag says
    while search engines are discouraged (``""`` otherwise)."""
    discouraged = sitemaps.discouraged(current_settings())
    return {"robots_noindex": sitemaps.NOINDEX if discouraged else ""}


@bp.before_app_request
def _watch_for_noindex() -> None:
    """Every response made while search engines are discouraged says so in
    ``X-Robots-Tag`` (feeds and sitemaps too, which have no meta tag)."""
    after_this_request(_noindex_header)


def _noindex_header(response: Response) -> Response:
    """Runs before the page cache stores the response (``after_this_request``
    comes first), so a stored page keeps the header. Only when the settings
    were read for this response (``current_settings`` keeps them in ``g``):
    a page served from the cache, a ``304`` or a redirect costs no query."""
    settings = g.get("site_settings")
    if settings is not None and sitemaps.discouraged(settings):
        response.headers.setdefault("X-Robots-Tag", sitemaps.NOINDEX)
    return response
