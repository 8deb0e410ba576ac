"""Each public page's sharing metadata and schema.org data, built at the
edge: addresses from the request and ``SITE_URL``, values from
:mod:`blog.site.sharing` and :mod:`blog.site.structured_data`.

``site_meta()`` is also a template global: ``_sharing_meta.html`` falls back
on it when a view hands in no ``meta`` (the search page, the comment pages).
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination

from blog.models import Post, Term, User
from blog.numbers import parse_int
from blog.rendering import plain_text
from blog.site import sharing, structured_data
from blog.site.sharing import PageMeta
from blog.views.arguments import text_arg
from blog.views.context import absolute, current_settings, public_url

#: Query arguments that make a listing another page (filters, the words
#: searched for), by endpoint: kept in its canonical address. Any other
#: argument (the pager's cursor ``after``/``before``, ``?page=1``, tracking
#: tags) is left out.
LISTING_FILTERS: dict[str, tuple[str, ...]] = {
    "events.index": ("category", "audience", "range"),
    "events.past": ("category", "audience"),
    "search.results": ("q",),
    "public.home": ("s",),  # WordPress's search address
}


def canonical(page: int = 1) -> str:
    """This page's own absolute address at ``page``: page 1 without
    ``?page=1``, page N with ``?page=N`` and never the pager's cursor."""
    filters = LISTING_FILTERS.get(request.endpoint or "", ())
    args: dict[str, Any] = {
        name: value for name in filters if (value := text_arg(name))
    }
    args.update(request.view_args or {})
    if page > 1:
        args["page"] = page
    return absolute(url_for(request.endpoint or "public.home", **args))


def site_meta() -> PageMeta:
    """The site's own card for a page whose view gave none. No canonical
    address for anything but a reader's GET (a form's answer, a preview)."""
    public = request.method == "GET" and request.endpoint is not None
    if public and "dashboard" in request.blueprints:
        public = False
    page = parse_int(request.args.get("page", "")) or 1
    return sharing.for_site(canonical(page) if public else "", current_settings())


def error_meta(title: str) -> PageMeta:
    """An error page's card: a 404 has no canonical address."""
    return sharing.for_site("", current_settings(), title=title)


def page_meta(title: str) -> PageMeta:
    """A fixed page's card (the privacy page)."""
    return sharing.for_site(canonical(), current_settings(), title=title)


def post_meta(post: Post) -> PageMeta:
    """An article's, event's or page's card."""
    return sharing.for_post(
        post,
        absolute(public_url(post)),
        current_settings(),
        site_url=absolute(""),
        author_url=_author_url(post.author),
    )


def listing_meta(
    pagination: Pagination,
    heading: str = "",
    *,
    term: Term | None = None,
    author: User | None = None,
) -> PageMeta:
    """An archive's card: the term's description (an author's bio), else
    the tagline; its own address at its page number."""
    description = ""
    if term is not None:
        description = term.description
    elif author is not None:
        description = plain_text(author.bio_html or "")
    return sharing.for_listing(
        heading or str(current_settings()["title"]),
        canonical(pagination.page),
        current_settings(),
        description=description,
    )


def article_data(post: Post, meta: PageMeta) -> list[dict[str, Any]]:
    """An article's ``BlogPosting`` and its breadcrumbs (Home › Category ›
    Article)."""
    trail = [("Home", absolute(url_for("public.home")))]
    if section := post.primary_category:
        url = url_for("public.category", slug=section.slug)
        trail.append((section.name, absolute(url)))
    trail.append((post.title, meta.canonical))
    posting = structured_data.blog_posting(
        post,
        url=meta.canonical,
        author_url=meta.author_url,
        site_name=meta.site_name,
        site_url=absolute(url_for("public.home")),
        description=meta.description,
        image=meta.image,
    )
    return [posting, structured_data.breadcrumbs(trail)]


def event_breadcrumbs(post: Post) -> dict[str, Any]:
    """Home › Events › the event."""
    return structured_data.breadcrumbs(
        [
            ("Home", absolute(url_for("public.home"))),
            ("Events", absolute(url_for("events.index"))),
            (post.title, absolute(public_url(post))),
        ]
    )


def _author_url(author: User) -> str:
    return absolute(url_for("public.author", slug=author.slug))
