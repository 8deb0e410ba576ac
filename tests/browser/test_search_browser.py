"""Golden path for search: a reader types a word in the header's search
box, presses "Search", and opens the article it finds; the box fits a
320-pixel-wide phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_reader_searches_and_opens_an_article(browser_page, make_post):
    make_post("Keeping bees", body="The hives woke up in April.", days_ago=2)
    make_post("Planting onions", body="Rows of onions by the wall.", days_ago=1)
    page = browser_page
    page.goto("/")
    page.get_by_label("Search").fill("hive")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=hive$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Search Results for: “hive”"
    )
    results = page.locator("article.search-result")
    expect(results).to_have_count(1)
    expect(results.locator("mark")).to_have_text("hives")
    results.get_by_role("link", name="Keeping bees").click()
    expect(page).to_have_url(re.compile(r"/\d{4}/\d{2}/keeping-bees/$"))
    expect(page.get_by_role("heading", name="Keeping bees")).to_be_visible()


def test_the_search_box_fits_a_narrow_screen(browser_page, make_post):
    make_post("Anything", body="Text.")
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    box = page.get_by_label("Search")
    button = page.get_by_role("button", name="Search")
    expect(box).to_be_visible()
    expect(button).to_be_in_viewport(ratio=1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320  # no sideways scrolling
    box.fill("nothing-like-it")
    box.press("Enter")
    expect(page.get_by_text("No results for “nothing-like-it”.")).to_be_visible()
