"""What readers see of static pages: ``/<slug>/``, ``/<parent>/<slug>/``,
``/<grandparent>/<parent>/<slug>/``... down to
:data:`~blog.pages.paths.MAX_DEPTH` parts.

Their parts take no dot (``/robots.txt`` is never a page) and never a word
the site routes. Every part is a converter, so Werkzeug's matcher tries
every rule with a fixed part first, at each part (``/events/...``,
``/dashboard/...``, ``/category/<slug>/feed/``), and ``<int:...>`` parts
(lighter) before a page's (``/2024/``, ``/2024/05/``, ``/2024/05/slug/``);
a page rule only answers what none of those does. No page slug can be one
of those words or all digits anyway (:mod:`blog.pages.paths`). One rule per
depth, each part one segment, rather than a converter that takes slashes:
such a converter would swallow the rest of the address and change the
order in which rules are tried.

A page is found by its last slug alone (slugs are unique among pages). When
the address asked for is not the page's own (a parent changed or was
renamed, the page moved up or down, an old parent's slug), the answer is a
301 to the right one; an old slug of the page's own answers a 301 too.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.models import PostKind
from blog.pages.paths import MAX_DEPTH
from blog.posts import reading
from blog.views.caching import cacheable
from blog.views.comments import comment_context
from blog.views.context import edit_link, public_url
from blog.views.sharing import post_meta

bp = Blueprint("pages", __name__)


@bp.get("/<page_slug:slug>/")
@cacheable
def page(slug: str) -> ResponseReturnValue:
    return _show(slug)


@cacheable
def subpage(parent: str, slug: str, **above: str) -> ResponseReturnValue:
    """A page under others; ``above`` holds ``level1``... (the parts above
    ``parent``), which only make the address."""
    return _show(slug)


def _subpage_rule(depth: int) -> str:
    """``/<page_slug:level1>/.../<page_slug:parent>/<page_slug:slug>/``:
    the names :func:`blog.pages.paths.page_route` builds with."""
    above = [f"<page_slug:level{n}>" for n in range(1, depth - 1)]
    return "/" + "/".join([*above, "<page_slug:parent>", "<page_slug:slug>"]) + "/"


for _depth in range(2, MAX_DEPTH + 1):
    bp.add_url_rule(_subpage_rule(_depth), "subpage", subpage, methods=["GET"])


def _show(slug: str) -> ResponseReturnValue:
    post = reading.get_visible_post(PostKind.PAGE, slug)
    if post is None:
        moved = reading.redirected_post(PostKind.PAGE, slug) or abort(404)
        return redirect(public_url(moved), 301)
    if request.path != public_url(post):
        return redirect(public_url(post), 301)
    return render_template(
        "public/page.html",
        post=post,
        meta=post_meta(post),
        edit_link=edit_link(post),
        **comment_context(post, current_user),
    )
