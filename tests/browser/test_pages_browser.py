"""Golden path for pages and the menu: an admin writes an About page and
puts it in the menu; a reader finds it there, and its subpage in the
drop-down."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_an_about_page_in_the_menu(browser_page, new_page, make_user):
    make_user("admin", "ada")
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or Email").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()

    page.goto("/dashboard/pages/new")
    page.get_by_label("Title").fill("About")
    page.get_by_label("Body").fill("We keep bees on the roof of the library.")
    expect(page.get_by_label("Allow comments")).not_to_be_checked()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Page published.")).to_be_visible()

    page.goto("/dashboard/pages/new")
    page.get_by_label("Title").fill("Our hives")
    page.get_by_label("Parent page").select_option(label="About")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Page published.")).to_be_visible()

    page.goto("/dashboard/settings/menu/")
    # The default menu is there to start from: Events is item 1.
    expect(page.get_by_label("Link to, item 1")).to_have_value("events")
    page.get_by_label("Link to, new item 1").select_option(label="Page: About")
    page.get_by_label("Link to, new item 2").select_option(label="Page: Our hives")
    page.get_by_label("Label, new item 2").fill("The hives")
    page.get_by_role("button", name="Save Menu").click()
    expect(page.get_by_text("Menu saved.")).to_be_visible()
    # Now saved, About is item 2; nest the hives under it.
    page.get_by_label("Parent, item 3").select_option(label="About")
    page.get_by_role("button", name="Save Menu").click()
    expect(page.get_by_text("Menu saved.")).to_be_visible()

    reader = new_page()
    reader.set_viewport_size({"width": 1100, "height": 800})
    reader.goto("/")
    menu = reader.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Events")).to_be_visible()
    hives = menu.get_by_role("link", name="The hives")
    expect(hives).not_to_be_in_viewport()  # folded away until asked for
    menu.get_by_role("link", name="About").hover()
    expect(hives).to_be_visible()
    expect(hives).to_be_in_viewport()
    menu.get_by_role("link", name="About").click()
    expect(reader).to_have_url(re.compile(r".*/about/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("About")
    expect(reader.get_by_text("We keep bees on the roof")).to_be_visible()
    expect(reader.get_by_text("Posted on")).to_have_count(0)
    expect(reader.get_by_role("link", name="Edit Page")).to_have_count(0)
    # Keyboard: the sub-item opens as focus reaches it.
    reader.get_by_role("navigation", name="Main").get_by_role(
        "link", name="About"
    ).focus()
    reader.keyboard.press("Tab")
    expect(hives).to_be_focused()
    expect(hives).to_be_in_viewport()
    reader.keyboard.press("Enter")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Our hives")
    expect(reader).to_have_url(re.compile(r".*/about/our-hives/$"))
