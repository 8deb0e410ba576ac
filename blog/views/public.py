"""What readers see: the home page, articles and archives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select
from werkzeug.wrappers import Response as WerkzeugResponse

from blog import dates
from blog.comments.threads import approved_counts
from blog.events.listings import upcoming_summary
from blog.models import Post, PostKind, Taxonomy
from blog.posts import reading
from blog.site import current_promo, has_routing_query
from blog.views import search as search_views
from blog.views.arguments import text_arg
from blog.views.caching import cacheable
from blog.views.comments import comment_context
from blog.views.context import (
    article_url,
    current_settings,
    current_zone,
    edit_link,
    paginate_posts,
)
from blog.views.errors import old_address
from blog.views.sharing import article_data, listing_meta, post_meta, site_meta

bp = Blueprint("public", __name__)
#: ``site_meta()``: the sharing card of a page whose view hands in none.
bp.add_app_template_global(site_meta, "site_meta")

#: The archives' years: a reader's URL never reaches a date Python cannot hold.
YEARS = range(1900, 9999)


def render_listing(
    query: Select[Post], template: str = "public/listing.html", **context: Any
) -> str:
    pagination = paginate_posts(query)
    meta = listing_meta(
        pagination,
        context.get("heading", ""),
        term=context.get("term"),
        author=context.get("author"),
    )
    return render_template(
        template,
        pagination=pagination,
        posts=pagination.items,
        comment_counts=approved_counts(p.id for p in pagination.items),
        meta=meta,
        **context,
    )


@bp.get("/")
@cacheable
def home() -> ResponseReturnValue:
    if "s" in request.args:  # WordPress's search address: the same results
        return search_views.results_page(text_arg("s"))
    if has_routing_query(request.args):  # WordPress's /?p=123: moved, or 404
        return old_address() or abort(404)
    return render_listing(
        reading.front_page(), "public/home.html", upcoming_events=upcoming_summary()
    )


@bp.get("/<int:year>/<month>/<slug>/")
@cacheable
def article(year: int, month: str, slug: str) -> ResponseReturnValue:
    post = visible_article(slug, article_url)
    if not isinstance(post, Post):
        return post
    meta = post_meta(post)
    return render_template(
        "public/article.html",
        post=post,
        meta=meta,
        structured_data=article_data(post, meta),
        neighbours=reading.neighbours(post),
        promo=current_promo(current_settings()),
        edit_link=edit_link(post),
        **comment_context(post, current_user),
    )


def visible_article(
    slug: str, address: Callable[[Post], str]
) -> Post | WerkzeugResponse:
    """The visible article with ``slug``, or a 301 to ``address(article)``
    from an old slug or an address that is not the article's own (a date
    in another month), or 404."""
    post = reading.get_visible_post(PostKind.ARTICLE, slug)
    if post is None:
        moved = reading.redirected_post(PostKind.ARTICLE, slug) or abort(404)
        return redirect(address(moved), 301)
    if request.path != address(post):
        return redirect(address(post), 301)
    return post


@bp.get("/category/<slug>/")
@cacheable
def category(slug: str) -> ResponseReturnValue:
    term = reading.get_term(Taxonomy.CATEGORY, slug) or abort(404)
    return render_listing(
        reading.in_term(term), heading=f"Category: {term.name}", term=term
    )


@bp.get("/tag/<slug>/")
@cacheable
def tag(slug: str) -> ResponseReturnValue:
    term = reading.get_term(Taxonomy.TAG, slug) or abort(404)
    return render_listing(reading.in_term(term), heading=f"Tag: {term.name}", term=term)


@bp.get("/author/<slug>/")
@cacheable
def author(slug: str) -> ResponseReturnValue:
    person = reading.get_author(slug) or abort(404)
    return render_listing(
        reading.by_author(person),
        heading=f"Author: {person.display_name}",
        author=person,
    )


@bp.get("/<int:year>/")
@cacheable
def year_archive(year: int) -> ResponseReturnValue:
    if year not in YEARS:
        abort(404)
    query = reading.in_period(current_zone(), year)
    return render_listing(query, heading=f"Year: {year}")


@bp.get("/<int:year>/<int(fixed_digits=2):month>/")
@cacheable
def month_archive(year: int, month: int) -> ResponseReturnValue:
    if year not in YEARS or not 1 <= month <= 12:
        abort(404)
    query = reading.in_period(current_zone(), year, month)
    start, _ = reading.period_bounds(current_zone(), year, month)
    return render_listing(query, heading=f"Month: {dates.month(start)}")
