"""The editor's buttons in Chromium: Update keeps a published article on the
site; a future date turns Publish into Schedule, and the post waits under
the Scheduled tab; Switch to Draft asks first, in the page (no dialog)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from blog.extensions import db
from blog.site.settings import save_settings
from tests.conftest import PASSWORD


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("Username or Email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()


def article_path(post) -> str:  # type: ignore[no-untyped-def]
    return f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"


def test_update_keeps_a_published_article_on_the_site(
    browser_page, new_page, make_user, make_post
):
    editor = make_user("editor", "marta")
    post = make_post("Rooftop hives", "The bees are quiet.", author=editor)
    page = browser_page
    log_in(page, "marta")
    page.goto(f"/dashboard/posts/{post.id}/edit")
    expect(page.get_by_role("button", name="Save Draft")).to_have_count(0)
    page.get_by_label("Body").fill("The bees are *loud* this week.")
    page.get_by_role("button", name="Update", exact=True).click()
    expect(page.get_by_text("Post updated.")).to_be_visible()
    expect(page.locator(".post-status")).to_contain_text("Published on")

    visitor = new_page()
    visitor.goto(article_path(post))
    expect(visitor.locator(".entry-content em")).to_have_text("loud")


def test_schedule_a_post_and_find_it_under_scheduled(app, browser_page, make_user):
    make_user("editor", "marta")
    with app.app_context():
        save_settings({"timezone": "America/New_York"})
        db.session.commit()
    page = browser_page
    log_in(page, "marta")
    page.goto("/dashboard/posts/new")
    page.get_by_label("Title").fill("Swarm season opens")
    page.get_by_label("Body").fill("Boxes ready by then.")
    publish = page.get_by_role("button", name="Publish", exact=True)
    expect(publish).to_be_visible()
    page.get_by_label("Publish on").fill("2099-11-29T10:00")
    # The button says what it will do, before anything is sent.
    expect(page.get_by_role("button", name="Schedule", exact=True)).to_be_visible()
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(
        page.get_by_text("Post scheduled for November 29, 2099 at 10:00 a.m. EST.")
    ).to_be_visible()
    expect(page.locator(".post-status")).to_have_text(
        "Status: Scheduled for November 29, 2099 at 10:00 a.m. EST"
    )

    page.goto("/dashboard/posts/")
    page.get_by_role("link", name=re.compile(r"^Scheduled \(1\)")).click()
    expect(page.get_by_role("link", name=re.compile(r"^Scheduled"))).to_have_attribute(
        "aria-current", "page"
    )
    row = page.get_by_role("row").filter(has_text="Swarm season opens")
    expect(row).to_contain_text("Scheduled for November 29, 2099 at 10:00 a.m. EST")
    expect(
        page.get_by_role("link", name=re.compile(r"^Published \(0\)"))
    ).to_be_visible()


def test_switch_to_draft_through_the_confirmation(
    browser_page, new_page, make_user, make_post
):
    editor = make_user("editor", "marta")
    post = make_post("Winter feeding", "Fondant, not syrup.", author=editor)
    page = browser_page
    log_in(page, "marta")
    page.goto(f"/dashboard/posts/{post.id}/edit")
    page.get_by_role("button", name="Switch to Draft").click()
    panel = page.get_by_role("group", name="Switch “Winter feeding” to draft?")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("readers will get “Not Found” at its address")
    expect(panel).to_be_in_viewport()
    # Still on the site until confirmed.
    visitor = new_page()
    assert visitor.goto(article_path(post)).status == 200
    panel.get_by_role("button", name="Switch to Draft").click()
    expect(
        page.get_by_text("Post switched to draft. It is no longer on the site.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Save Draft")).to_be_visible()
    assert visitor.goto(article_path(post)).status == 404
