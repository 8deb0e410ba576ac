"""Golden path: set up the site, log in, publish an article, read it anonymously.

``BLOG_UPDATE_SCREENSHOTS=1 make test`` refreshes the README's screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import PASSWORD

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_set_up_the_site_from_an_empty_database(browser_page):
    page = browser_page
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r".*/setup$"))
    page.get_by_label("Site Title").fill("Rooftop Notes")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Your Email").fill("ada@example.org")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Install").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()


def test_log_in_publish_and_read_as_a_visitor(
    browser_page, new_page, make_user, make_post, artifacts_dir
):
    editor = make_user("editor", "marta", display_name="Marta Oyelaran")
    make_post("An older note", "Written last week.", author=editor, days_ago=7)
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or Email").fill("marta")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()

    page.goto("/dashboard/posts/new")
    page.get_by_label("Title").fill("What the rooftop hives taught us")
    page.get_by_label("Body").fill(
        "The first warm week sent both hives out in force.\n\n"
        "> A colony is a weather report you can listen to.\n\n"
        "- Shade the water dish\n- Plant thyme by the parapet\n"
    )
    page.get_by_label("Categories").fill("Gardening")
    page.get_by_label("Tags").fill("bees, city life")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Post published.")).to_be_visible()

    visitor = new_page()
    visitor.goto("/")
    summary = visitor.locator("article").filter(
        has_text="What the rooftop hives taught us"
    )
    expect(summary.get_by_text("Posted on")).to_contain_text("by Marta Oyelaran")
    summary.get_by_role(
        "link", name="What the rooftop hives taught us", exact=True
    ).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "What the rooftop hives taught us"
    )
    footer = visitor.locator(".entry-footer")
    expect(footer).to_contain_text("This entry was posted in Gardening")
    expect(footer).to_contain_text("by Marta Oyelaran.")
    expect(visitor.locator("blockquote")).to_contain_text("weather report")
    expect(visitor.get_by_role("link", name="Skip to content")).to_be_attached()

    shot = artifacts_dir / "article-page.png"
    visitor.screenshot(path=str(shot), full_page=True)
    if os.environ.get("BLOG_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(shot, DOCS / "screenshot-article.png")


def test_skip_link_and_keyboard_focus(browser_page, make_post):
    make_post("Focus check")
    page = browser_page
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*#content$"))


def test_readable_at_320_pixels(browser_page, make_post):
    make_post(
        "A fairly long title that has to wrap on a narrow phone screen", "Text " * 200
    )
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
