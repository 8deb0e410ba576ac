"""schema.org data (blog.site.structured_data): BlogPosting, BreadcrumbList,
and their place in a page: hostile titles cannot end the script element."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask, render_template_string

from blog.site import sharing, structured_data
from tests.payloads import CORPUS, FIELD_PAYLOADS
from tests.unit.site.sharing_samples import SITE, image, post

URL = f"{SITE}/2024/05/a-walk/"
AUTHOR = f"{SITE}/author/wren/"


def posting(**fields: object) -> dict[str, object]:
    p = post(**fields)
    shared = None
    if p.featured_image is not None:
        shared = sharing.shared_image(p.featured_image, "", SITE)
    return structured_data.blog_posting(
        p,
        url=URL,
        author_url=AUTHOR,
        site_name="River Notes",
        site_url=f"{SITE}/",
        description="Morning on the river path.",
        image=shared,
    )


def test_blog_posting() -> None:
    data = posting()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "A walk by the river"
    assert data["author"] == {"@type": "Person", "name": "Wren", "url": AUTHOR}
    assert data["datePublished"] == "2024-05-06T07:08:09+00:00"
    assert data["dateModified"] == "2024-06-01T10:00:00+00:00"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "River Notes",
        "url": f"{SITE}/",
    }
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": URL}
    assert data["description"] == "Morning on the river path."
    assert data["articleSection"] == "Walks"
    assert data["keywords"] == ["spring", "water"]
    assert "image" not in data


def test_blog_posting_with_an_image_and_a_logo() -> None:
    assert posting(featured_image=image())["image"] == [f"{SITE}/media/p-1280.jpg"]
    data = structured_data.blog_posting(
        post(),
        url=URL,
        author_url=AUTHOR,
        site_name="River Notes",
        site_url="",
        logo_url=f"{SITE}/media/logo.png",
    )
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "River Notes",
        "logo": {"@type": "ImageObject", "url": f"{SITE}/media/logo.png"},
    }
    assert "description" not in data


def test_breadcrumbs() -> None:
    data = structured_data.breadcrumbs(
        [("Home", f"{SITE}/"), ("Walks", f"{SITE}/category/walks/"), ("A walk", URL)]
    )
    assert data["@type"] == "BreadcrumbList"
    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{SITE}/"},
        {
            "@type": "ListItem",
            "position": 2,
            "name": "Walks",
            "item": f"{SITE}/category/walks/",
        },
        {"@type": "ListItem", "position": 3, "name": "A walk", "item": URL},
    ]


BREAKOUT = "</script><script>alert(1)</script>"
HOSTILE = [BREAKOUT, "<!--<script>", *CORPUS, *FIELD_PAYLOADS["name"]]
SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_stay_inside_the_json_ld(app: Flask, payload: str) -> None:
    data = [
        posting(title=payload),
        structured_data.breadcrumbs([("Home", f"{SITE}/"), (payload, URL)]),
    ]
    with app.test_request_context("/"):
        html = render_template_string(
            "{% for d in data %}"
            '<script type="application/ld+json">{{ d|tojson }}</script>'
            "{% endfor %}",
            data=data,
        )
    scripts = SCRIPT_RE.findall(html)
    assert len(scripts) == 2 and html.count("<script") == 2
    assert html.count("</script>") == 2
    assert "<" not in "".join(scripts)  # no "</script" nor "<!--" inside
    posted, trail = (json.loads(script) for script in scripts)
    assert posted["headline"] == payload
    assert trail["itemListElement"][1]["name"] == payload
