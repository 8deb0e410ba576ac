"""SECURITY.md through the real comment form and render path, and the canary crawl."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment, Role
from blog.site.settings import save_settings
from tests.conftest import PASSWORD
from tests.fixtures_comments import url_of
from tests.payloads import CORPUS, FIELD_PAYLOADS, OVERSIZE_BODIES, assert_safe_html


def comment_bodies(html: str) -> list[str]:
    return re.findall(
        r'<div class="comment-content" dir="auto">(.*?)</div>', html, re.DOTALL
    )


def test_corpus_through_the_form_is_safe(
    app, client, make_post, post_comment, approving
):
    post = make_post("Corpus")
    for n, body in enumerate(CORPUS):
        response = post_comment(
            post, body, name=f"Tester {n}", email=f"t{n}@example.net"
        )
        assert response.status_code == 303, (body, response.status_code)
    with app.app_context():
        statuses = db.session.scalars(select(Comment.status)).all()
    assert statuses == ["approved"] * len(CORPUS)
    html = client.get(url_of(post)).get_data(as_text=True)
    bodies = comment_bodies(html)
    assert len(bodies) == len(CORPUS)
    for body in bodies:
        assert_safe_html(body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the code span, as text
    assert "{{ 7*7 }}" in html and ">49<" not in html


def test_name_payload_is_escaped_everywhere(
    app, client, make_post, make_user, auth, post_comment, approving
):
    post = make_post("Names")
    name = FIELD_PAYLOADS["name"][0]
    assert post_comment(post, "Hi", name=name).status_code == 303
    public = client.get(url_of(post)).get_data(as_text=True)
    assert name not in public and "&#34;&gt;&lt;svg onload=alert(1)&gt;" in public
    auth.login(make_user(Role.EDITOR, "ed"))
    dashboard = client.get("/dashboard/comments/").get_data(as_text=True)
    assert name not in dashboard and "<svg" not in dashboard


@pytest.mark.parametrize("name", FIELD_PAYLOADS["name"][1:])
def test_header_injection_in_name_is_rejected(app, make_post, post_comment, name):
    response = post_comment(make_post("P"), "Hi", name=name)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0


@pytest.mark.parametrize("website", FIELD_PAYLOADS["website"])
def test_dangerous_website_is_rejected(app, make_post, post_comment, website):
    response = post_comment(make_post("P"), "Hi", url=website)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0


@pytest.mark.parametrize("body", OVERSIZE_BODIES, ids=["brackets", "one-over"])
def test_oversize_bodies_are_rejected_not_truncated(app, make_post, post_comment, body):
    response = post_comment(make_post("P"), body)
    assert response.status_code == 400
    assert body in unescape(response.get_data(as_text=True))  # kept, whole
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0


CANARY_EMAIL = "Canary.Bird-7f3a9@canary-mail.example"
CANARY_IP = "198.51.100.173"
CANARY_AGENT = "CanaryBrowser/9.7.3 (canary-ua-5521)"


def _forbidden() -> list[str]:
    email = CANARY_EMAIL.strip().lower()
    return [
        CANARY_EMAIL,
        email,
        CANARY_IP,
        CANARY_AGENT,
        "canary-ua-5521",
        "canary-mail.example",
        hashlib.md5(email.encode()).hexdigest(),
        hashlib.sha256(email.encode()).hexdigest(),
        hashlib.md5(CANARY_EMAIL.encode()).hexdigest(),
        hashlib.sha256(CANARY_EMAIL.encode()).hexdigest(),
    ]


def _crawl(client, starts: list[str], limit: int = 400) -> dict[str, str]:  # type: ignore[no-untyped-def]
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or path.startswith(("/dashboard", "/logout", "/static/")):
            continue
        response = client.get(path)
        text = response.get_data(as_text=True)
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        seen[path] = headers + "\n\n" + text
        if response.status_code in (301, 302, 303):
            queue.append(urlsplit(response.headers["Location"]).path)
        links = re.findall(r'(?:href|src|action)="([^"#]+)', text)
        links += re.findall(r"<loc>([^<]+)</loc>", text)  # sitemaps
        for link in links:
            target = urlsplit(urljoin("http://localhost" + path, unescape(link)))
            if target.netloc == "localhost":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


def test_canary_never_reaches_a_public_response(
    app, client, make_post, make_event, make_user, post_comment, approving
):
    article = make_post("Canary article", categories="Birds", tags="canary")
    event = make_event("Canary event")
    replies = []
    for target, body in ((article, "Tweet"), (event, "Chirp")):
        response = post_comment(
            target,
            body,
            name="Canary Bird",
            email=CANARY_EMAIL,
            url="https://bird.example",
            ip=CANARY_IP,
            user_agent=CANARY_AGENT,
            remember="y",
        )
        assert response.status_code == 303
        replies.append(response.headers["Location"])
    with app.app_context():
        save_settings({"comments_moderation_words": "casino"})
        db.session.commit()
    held = post_comment(
        article,
        "Hold this one: casino!",
        email=CANARY_EMAIL,
        ip=CANARY_IP,
        user_agent=CANARY_AGENT,
    )
    with app.app_context():
        statuses = db.session.scalars(select(Comment.status).order_by(Comment.id)).all()
    assert "approved" in statuses and "pending" in statuses
    reader = app.test_client()  # a fresh browser: no cookies
    starts = [
        "/",
        "/events/",
        "/events/past/",
        "/events.ics",
        "/privacy/",
        url_of(article),
        f"/events/{event.slug}/",
        f"/events/{event.slug}.ics",
        url_of(article) + "?replytocom=1",
        held.headers["Location"].split("#")[0],
        "/sitemap.xml",
        "/robots.txt",
        "/search/?q=Tweet",
        "/?s=Chirp",
    ]
    pages = _crawl(reader, starts)
    assert len(pages) > 10
    assert any("Tweet" in body for body in pages.values())
    assert any("Chirp" in body for body in pages.values())
    held_path = held.headers["Location"].split("#")[0]
    assert held_path in pages and f"/events/{event.slug}/" in pages
    assert "/comments/feed/" in pages and "/sitemap-articles-1.xml" in pages
    assert "Hold this one" in pages[held_path]
    # The seeds are stored and findable: the dashboard shows them to editors.
    editor = make_user(Role.EDITOR, "ed")
    staff = app.test_client()
    staff.post("/login", data={"login": editor.username, "password": PASSWORD})
    dashboard = staff.get("/dashboard/comments/").get_data(as_text=True)
    assert CANARY_EMAIL in dashboard and CANARY_IP in dashboard
    for path, body in pages.items():
        for secret in _forbidden():
            assert secret.lower() not in body.lower(), (path, secret)
