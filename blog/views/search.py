"""Search for readers: ``/search/?q=`` (and WordPress's ``/?s=``, which
:func:`blog.views.public.home` hands to :func:`results_page`)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from blog import search
from blog.views.arguments import text_arg
from blog.views.caching import cacheable
from blog.views.context import paginate_posts

bp = Blueprint("search", __name__)


@bp.get("/search/")
@cacheable
def results() -> ResponseReturnValue:
    return results_page(text_arg("q"))


def results_page(text: str) -> str:
    """The results for ``text``, ranked, a page at a time (the Reading
    setting's posts per page); just the form when nothing was typed."""
    if not text:
        return render_template("search/results.html", q="", search_query="")
    query = search.parse(text)
    pagination = paginate_posts(search.found(query))
    return render_template(
        "search/results.html",
        q=text,
        search_query=text,  # the header's box shows it too
        pagination=pagination,
        posts=pagination.items,
        snippets=search.snippets(query, (post.id for post in pagination.items)),
    )
