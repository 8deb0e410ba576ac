"""Golden path of moving from WordPress: an admin uploads the export in
Tools → Import, watches it run, reads the summary, checks the redirects,
and a reader following an old link lands on the imported post."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.functional.importing.helpers import FIXTURE


def test_an_admin_imports_a_wordpress_export_and_old_links_work(
    browser_page, new_page, make_user
):
    make_user("admin", "ada", display_name="Ada Admin")
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or Email").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()

    page.goto("/dashboard/tools/")
    page.get_by_role("link", name="Import from WordPress").click()
    page.get_by_label("WordPress export file (.xml)").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Import finished.")).to_be_visible(timeout=90_000)
    posts = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="posts")
    )
    expect(posts).to_contain_text("58")
    expect(page.get_by_text("password-protected")).to_be_visible()

    page.get_by_role("link", name="Tools → Redirects").click()
    expect(page.get_by_role("heading", name="Redirects", exact=True)).to_be_visible()
    page.get_by_role("searchbox", name="Search redirects").fill("p=1241")
    page.get_by_role("button", name="Search", exact=True).click()
    old = page.get_by_role("link", name="/?p=1241", exact=True)
    expect(old).to_be_visible()
    old.click()  # an admin tries it: the imported sticky post
    expect(page.get_by_role("heading", name="Template: Sticky")).to_be_visible()

    reader = new_page()  # no session: an anonymous reader
    reader.goto("/2012/01/07/template-sticky/")
    expect(reader).to_have_url(re.compile(r"/2012/01/template-sticky/$"))
    expect(reader.get_by_role("heading", name="Template: Sticky")).to_be_visible()
    reader.goto("/?p=1148")  # "Template: Comments", with its threads
    expect(reader.get_by_role("heading", level=1)).to_have_text("Template: Comments")
    expect(reader.get_by_role("heading", level=2, name="19 Replies")).to_be_visible()
    expect(reader.locator(".comment-body").first).to_be_visible()
    assert "[caption" not in reader.content()
