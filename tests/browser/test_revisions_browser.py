"""Revisions and autosave in Chromium: an editor compares and restores an
older revision; text typed and autosaved (the page hidden) is offered back
on reopening; leaving with unsaved changes asks first, saving does not."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect
from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, PostAutosave, User
from blog.posts import SaveAction, publishing
from tests.conftest import PASSWORD


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("Username or Email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()


def test_an_editor_restores_an_older_revision(app, browser_page, make_user, make_post):
    marta = make_user("editor", "marta", display_name="Marta Oyelaran")
    post = make_post("Rooftop hives", "The first hive woke in March.", author=marta)
    with app.app_context():
        saved = db.session.get(Post, post.id)
        publishing.save_post(
            db.session.get(User, marta.id),
            publishing.PostInput(
                title="Rooftop hives", body="Both hives woke in April."
            ),
            saved,
            action=SaveAction.UPDATE,
        )
    page = browser_page
    log_in(page, "marta")
    page.goto(f"/dashboard/posts/{post.id}/edit")
    page.get_by_role("link", name="Revisions (2)").click()
    expect(page.get_by_role("heading", name="Revisions", exact=True)).to_be_visible()
    # By default: what the latest save changed, word by word.
    body = page.locator(".change", has=page.get_by_role("heading", name="Body"))
    expect(body.locator("del")).to_have_text(["The first hive", "March"])
    expect(body.locator("ins")).to_have_text(["Both hives", "April"])

    older = page.locator("tbody tr").nth(1)
    older.get_by_role("link", name=re.compile("with the current version")).click()
    expect(body.locator("ins")).to_have_text(["The first hive", "March"])
    page.get_by_role("button", name="Restore This Revision").click()
    expect(page.get_by_text("Restored the revision of")).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value("The first hive woke in March.")
    expect(page.locator(".post-status")).to_contain_text("Published")
    expect(page.get_by_role("link", name="Revisions (3)")).to_be_visible()


def wait_for_autosave(app, post_id: int) -> PostAutosave:  # type: ignore[no-untyped-def]
    """The autosave the page sent (a beacon is not awaited by the page)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with app.app_context():
            found = db.session.scalar(
                select(PostAutosave).where(PostAutosave.post_id == post_id)
            )
            if found is not None:
                db.session.expunge(found)
                return found
        time.sleep(0.1)
    raise AssertionError("no autosave arrived")


def test_the_autosave_is_offered_after_reopening(
    app, browser_page, make_user, make_post
):
    marta = make_user("editor", "marta")
    post = make_post("Rooftop hives", "The bees are quiet.", author=marta)
    page = browser_page
    log_in(page, "marta")
    page.goto(f"/dashboard/posts/{post.id}/edit")
    page.get_by_label("Body").fill("The bees are loud, and I never pressed Update.")

    # Leaving with unsaved changes asks first (the fixture says no: we stay).
    kinds: list[str] = []
    page.once("dialog", lambda dialog: kinds.append(dialog.type))
    page.get_by_role("link", name="All Posts").first.click()
    expect(page).to_have_url(re.compile(rf"/dashboard/posts/{post.id}/edit$"))
    assert kinds == ["beforeunload"]
    page.dialogs.clear()  # that dialog was the point

    # The page goes into the background (another tab, the phone's home screen).
    page.evaluate(
        """() => {
            Object.defineProperty(document, "visibilityState",
                                  {value: "hidden", configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    kept = wait_for_autosave(app, post.id)
    assert kept.content["body"] == ["The bees are loud, and I never pressed Update."]

    # Later, in another tab, the editor offers it back.
    again = page.context.new_page()
    again.goto(f"/dashboard/posts/{post.id}/edit")
    offer = "There is an autosave of this post that is more recent than the version"
    expect(again.get_by_text(offer)).to_be_visible()
    expect(again.get_by_label("Body")).to_have_value("The bees are quiet.")
    again.get_by_role("link", name="Restore the autosave").click()
    expect(again.get_by_label("Body")).to_have_value(
        "The bees are loud, and I never pressed Update."
    )
    expect(again.get_by_text("not saved yet")).to_be_visible()
    # Saving asks nothing, and keeps the text.
    again.get_by_role("button", name="Update", exact=True).click()
    expect(again.get_by_text("Post updated.")).to_be_visible()
    with app.app_context():
        assert db.session.get(Post, post.id).body_source.startswith("The bees are loud")
        assert db.session.scalar(select(PostAutosave)) is None
