"""Golden path of the media library: an editor uploads an image in the
library, gives it alt text, inserts it into a new post with "Add Media" and
publishes; a reader's page shows it with srcset, sized, and WebP chosen."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.unit.media.samples import photo


def test_upload_insert_and_read_a_library_image(browser_page, new_page, make_user):
    make_user("editor", "marta", display_name="Marta Oyelaran")
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or Email").fill("marta")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()

    page.goto("/dashboard/media/")
    page.get_by_label("Upload files").set_input_files(
        {
            "name": "brick-wall.jpg",
            "mimeType": "image/jpeg",
            "buffer": photo((1200, 800)),
        }
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    item = page.locator(".media-item").filter(has_text="brick-wall.jpg")
    expect(item).to_contain_text("1200 × 800")  # the page reloaded with it
    item.get_by_role("link").click()
    page.get_by_label("Alt text").fill("A red brick wall in the sun")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Media updated.")).to_be_visible()

    page.goto("/dashboard/posts/new")
    page.get_by_label("Title").fill("Walls of the old town")
    body = page.get_by_label("Body")
    body.fill("The walls were built in stages.")
    add = page.get_by_role("button", name="Add Media")
    add.click()
    dialog = page.get_by_role("dialog", name="Add Media")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Search media")).to_be_focused()
    dialog.get_by_label("Search media").fill("brick")
    dialog.get_by_label("Search media").press("Enter")  # searches, does not submit
    dialog.get_by_role("button", name="Insert brick-wall.jpg").click()
    expect(dialog).to_be_hidden()
    expect(body).to_be_focused()
    expect(body).to_have_value(
        re.compile(
            r"^The walls were built in stages\.\n\n"
            r"!\[A red brick wall in the sun\]\(media:\d+\)$"
        )
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Post published.")).to_be_visible()

    reader = new_page()
    reader.goto("/")
    reader.get_by_role("link", name="Walls of the old town", exact=True).click()
    image = reader.locator(".entry-content img")
    expect(image).to_have_attribute("alt", "A red brick wall in the sun")
    expect(image).to_have_attribute("srcset", re.compile(r"-320w\.jpg 320w"))
    expect(image).to_have_attribute("width", "1200")
    expect(image).to_have_attribute("height", "800")
    image.scroll_into_view_if_needed()
    loaded = image.evaluate(
        "img => img.decode().then(() => [img.naturalWidth, img.currentSrc])"
    )
    assert loaded[0] > 0 and loaded[1].endswith(".webp")
