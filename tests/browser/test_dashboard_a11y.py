"""axe-core on every dashboard screen: each one the side navigation leads to
(followed from the menu itself, so new screens are covered as they come) and
the editors and detail screens behind them, at desktop width, in the dark
scheme for a few, and at 375 px with the menu open. Also: the Menu button
works from the keyboard.

axe-core comes vendored in the ``axe-playwright-python`` package (the dev
extra); it runs in the page as Playwright evaluates it, which the site's
Content-Security-Policy does not block.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from flask import Flask, url_for
from playwright.sync_api import Page, expect
from sqlalchemy import select
from werkzeug.routing import BuildError

from blog.extensions import db
from blog.media import ImageInput
from blog.models import CommentStatus, Media, Post, PostKind, Role, Term
from tests.conftest import PASSWORD
from tests.fixtures_events import png_bytes


def violations(page: Page) -> list[str]:
    """axe's violations on the page as shown, one readable line per element
    (axe is loaded into every page by the context's init script)."""
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")[
        "violations"
    ]
    where = urlsplit(page.url)
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            lines.append(
                f"{where.path}{'?' + where.query if where.query else ''}: "
                f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}\n"
                f"    {node.get('failureSummary', '').replace(chr(10), ' ')}"
            )
    return lines


def optional_urls(app: Flask, *wanted: tuple[str, dict[str, Any]]) -> Iterator[str]:
    """The addresses of the screens that exist (others are still being built)."""
    with app.test_request_context():
        for endpoint, args in wanted:
            if endpoint not in app.view_functions:
                continue
            try:
                yield url_for(endpoint, **args)
            except BuildError:
                continue


def page_ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(select(Post.id).where(Post.kind == PostKind.PAGE))
        )


def menu_links(page: Page, selector: str) -> list[str]:
    hrefs = page.locator(f"#dash-nav {selector}").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return [href for href in hrefs if href]


def test_every_dashboard_screen_passes_axe(
    app,
    chromium,
    live_server,
    browser_page,
    make_user,
    make_post,
    make_event,
    make_comment,
):
    admin = make_user(Role.ADMIN, "ines", display_name="Ines Ferreira")
    author = make_user(Role.AUTHOR, "tomas", display_name="Tomás Lindqvist")
    post = make_post(
        "What the rooftop hives taught us",
        "The first warm week sent both hives out.",
        author=admin,
        categories="Gardening",
        tags="bees",
    )
    make_post("A draft about thyme", "Not yet.", author=author, publish=False)
    event = make_event(
        "Quiet Channels",
        author=admin,
        audiences=("Students",),
        image=ImageInput(
            upload=io.BytesIO(png_bytes()), filename="hall.png", alt="The hall"
        ),
    )
    comment = make_comment(post, "Lovely bees.", CommentStatus.PENDING)
    with app.app_context():
        term = db.session.scalar(select(Term).where(Term.name == "Gardening"))
        media = db.session.scalar(select(Media))
        assert term is not None and media is not None
        term_id, media_id = term.id, media.id

    page = browser_page
    page.context.add_init_script(script=AXE_SCRIPT)
    page.goto("/login")
    page.get_by_label("Username or Email").fill("ines")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()

    if "dashboard.pages.new" in app.view_functions:
        page.goto("/dashboard/pages/new")
        page.get_by_label("Title").fill("About")
        page.get_by_label("Body").fill("Who writes here.")
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("published", exact=False).first).to_be_visible()

    # Every screen of the menu (each section unfolds its items when opened),
    # then the screens behind the lists: editors, details, revisions.
    behind = [
        f"/dashboard/posts/{post.id}/edit",
        f"/dashboard/events/{event.id}/edit",
        f"/dashboard/comments/{comment.id}/edit",
        f"/dashboard/comments/{comment.id}/reply",
        "/dashboard/comments/?status=pending",
        f"/dashboard/terms/category/{term_id}/edit",
        f"/dashboard/users/{author.id}/edit",
        f"/dashboard/users/{author.id}/delete",
        "/dashboard/profile/two-factor/",
        *optional_urls(
            app,
            ("dashboard.posts.revisions", {"post_id": post.id}),
            ("dashboard.events.revisions", {"post_id": event.id}),
            ("dashboard.media.item", {"media_id": media_id}),
            *[
                (f"dashboard.pages.{screen}", {"post_id": page_id})
                for page_id in page_ids(app)
                for screen in ("edit", "revisions")
            ],
        ),
    ]
    screens: list[str] = ["/dashboard/"]
    problems: list[str] = []

    def add(urls: list[str]) -> None:
        screens.extend(url for url in dict.fromkeys(urls) if url not in screens)

    for url in screens:  # grows as the menu unfolds
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response.status}"
        expect(page.locator("h1")).to_have_count(1)
        problems += violations(page)
        add(menu_links(page, ".menu-top") + menu_links(page, ".submenu a"))
        if url == screens[-1]:
            add(behind)
    menu_screens = {"/dashboard/posts/new", "/dashboard/settings/", "/dashboard/tools/"}
    assert menu_screens <= set(screens)

    for url in ("/dashboard/posts/", f"/dashboard/posts/{post.id}/edit"):
        page.emulate_media(color_scheme="dark")
        page.goto(url)
        problems += [f"(dark) {line}" for line in violations(page)]
    page.emulate_media(color_scheme="light")

    # A phone: the menu folds behind its button, which the keyboard opens.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/dashboard/posts/")
    menu = page.get_by_role("button", name="Menu")
    nav = page.locator("#dash-nav")
    expect(nav).to_be_hidden()
    page.keyboard.press("Tab")  # "Skip to content"
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    assert page.evaluate("document.activeElement.closest('#dash-nav') !== null")
    problems += [f"(375 px, menu open) {line}" for line in violations(page)]
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()

    # Without JavaScript there is no button to press: the menu stays open.
    plain = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 800},
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    try:
        phone = plain.new_page()
        phone.goto("/dashboard/posts/")
        expect(phone.get_by_role("button", name="Menu")).to_be_hidden()
        expect(
            phone.locator("#dash-nav").get_by_role("link", name="Tools")
        ).to_be_visible()
    finally:
        plain.close()

    assert not problems, "axe found violations:\n" + "\n".join(problems)
