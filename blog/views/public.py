"""What readers see: the home page, articles and archives."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request
from flask_login import current_user
from sqlalchemy import Select

from blog import events, reading, threads
from blog.extensions import db
from blog.models import Taxonomy
from blog.presentation import zone_of
from blog.promo import current_promo
from blog.views.comments import comment_context
from blog.views.hooks import current_settings
from blog.views.links import article_url, public_url

bp = Blueprint("public", __name__)


@bp.app_context_processor
def link_helpers() -> dict[str, Any]:
    return {"article_url": article_url, "public_url": public_url}


def render_listing(
    query: Select, template: str = "public/listing.html", **context: Any
) -> str:
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(
        query,
        page=page,
        per_page=int(current_settings()["posts_per_page"]),
        error_out=True,
    )
    return render_template(
        template,
        pagination=pagination,
        posts=pagination.items,
        comment_counts=threads.approved_counts(p.id for p in pagination.items),
        categories=reading.navigation_categories(),
        **context,
    )


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    return render_listing(
        reading.visible(),
        "public/home.html",
        upcoming_events=events.upcoming_summary(),
    )


@bp.get("/<int:year>/<month>/<slug>/")
def article(year: int, month: str, slug: str):  # type: ignore[no-untyped-def]
    post = reading.get_visible_post("article", slug)
    if post is None:
        moved = reading.redirected_post("article", slug)
        if moved is None:
            abort(404)
        return redirect(article_url(moved), 301)
    canonical = article_url(post)
    if request.path != canonical:
        return redirect(canonical, 301)
    return render_template(
        "public/article.html",
        post=post,
        neighbours=reading.neighbours(post),
        categories=reading.navigation_categories(),
        promo=current_promo(current_settings()),
        **comment_context(post, current_user),
    )


@bp.get("/category/<slug>/")
def category(slug: str):  # type: ignore[no-untyped-def]
    term = reading.get_term(Taxonomy.CATEGORY, slug) or abort(404)
    return render_listing(
        reading.in_term(term), heading=f"Category: {term.name}", term=term
    )


@bp.get("/tag/<slug>/")
def tag(slug: str):  # type: ignore[no-untyped-def]
    term = reading.get_term(Taxonomy.TAG, slug) or abort(404)
    return render_listing(reading.in_term(term), heading=f"Tag: {term.name}", term=term)


@bp.get("/author/<slug>/")
def author(slug: str):  # type: ignore[no-untyped-def]
    person = reading.get_author(slug) or abort(404)
    return render_listing(
        reading.by_author(person),
        heading=f"Author: {person.display_name}",
        author=person,
    )


@bp.get("/<int:year>/")
def year_archive(year: int):  # type: ignore[no-untyped-def]
    if not 1900 <= year <= 9998:
        abort(404)
    zone = zone_of(current_settings())
    return render_listing(reading.in_period(zone, year), heading=f"Year: {year}")


@bp.get("/<int:year>/<int(fixed_digits=2):month>/")
def month_archive(year: int, month: int):  # type: ignore[no-untyped-def]
    if not (1900 <= year <= 9998 and 1 <= month <= 12):
        abort(404)
    zone = zone_of(current_settings())
    start, _ = reading.period_bounds(zone, year, month)
    return render_listing(
        reading.in_period(zone, year, month), heading=f"Month: {start:%B} {year}"
    )
