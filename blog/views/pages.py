"""What readers see of static pages: ``/<slug>/`` and ``/<parent>/<slug>/``.

Their parts take no dot (``/robots.txt`` is never a page). These rules
hold a converter in their first part, so Werkzeug tries every
rule with a fixed first part before them (``/events/``, ``/dashboard/``,
``/privacy/``), and ``<int:...>`` archives (``/2024/``, ``/2024/05/``)
before them too. No page slug can be one of those words anyway
(:mod:`blog.pages.paths`).

A page is found by its slug alone (slugs are unique among pages). When the
address asked for is not the page's own (its parent changed, it moved to
the top, an old parent's slug), the answer is a 301 to the right one; an
old slug of the page's own answers a 301 too.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.models import PostKind
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


@bp.get("/<page_slug:parent>/<page_slug:slug>/")
@cacheable
def subpage(parent: str, slug: str) -> ResponseReturnValue:
    return _show(slug)


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
