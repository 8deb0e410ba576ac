"""schema.org data (JSON-LD) that search engines read from articles and
events: ``BlogPosting`` and ``BreadcrumbList``.

Pure functions of what the view already holds, with absolute addresses
built at the edge. Templates serialise the result with Jinja's ``tojson``,
which escapes ``<``, ``>``, ``&`` and ``'``: a title holding
``</script>`` cannot end the script element. (The ``Event`` data is in
:mod:`blog.events.schema`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from blog import dates
from blog.models import Post
from blog.site.sharing import SharedImage

CONTEXT = "https://schema.org"


def blog_posting(
    post: Post,
    *,
    url: str,
    author_url: str,
    site_name: str,
    site_url: str,
    description: str = "",
    image: SharedImage | None = None,
    logo_url: str = "",
) -> dict[str, Any]:
    """An article as a ``BlogPosting``, its page (``url``, the canonical
    address) as ``mainEntityOfPage`` and the site as its publisher (with a
    logo only when the site has one: there is no logo setting yet)."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": site_name}
    if site_url:
        publisher["url"] = site_url
    if logo_url:
        publisher["logo"] = {"@type": "ImageObject", "url": logo_url}
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "BlogPosting",
        "headline": post.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": {
            "@type": "Person",
            "name": post.author.display_name,
            "url": author_url,
        },
        "datePublished": dates.iso(post.published_at),
        "dateModified": dates.iso(post.modified_at),
        "publisher": publisher,
    }
    if description:
        data["description"] = description
    if image is not None:
        data["image"] = [image.url]
    if section := post.primary_category:
        data["articleSection"] = section.name
    if post.tags:
        data["keywords"] = [tag.name for tag in post.tags]
    return data


def breadcrumbs(trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A ``BreadcrumbList`` of ``(name, absolute address)`` pairs, from the
    home page down to the page itself (Home › Category › Article)."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }
