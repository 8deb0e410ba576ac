"""Moderation at speed in Chromium: a moderator clears the Pending queue with
the keyboard only (j, a, s, d), undoes one action with z, and the list fits
a phone (390 and 320 px: every row action visible, no sideways scrolling)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from blog.extensions import db
from blog.models import Comment
from tests.conftest import PASSWORD


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    return {"WTF_CSRF_ENABLED": True}  # the script sends real tokens


def status_of(app, comment_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status if comment else None


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or Email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("button", name="Log Out")).to_be_visible()


def test_a_moderator_clears_the_queue_with_the_keyboard(
    app, browser_page, make_user, make_post, make_comment, artifacts_dir
):
    editor = make_user("editor", "marta", display_name="Marta Oyelaran")
    post = make_post("Notes from the allotment", author=editor)
    queue = [
        make_comment(
            post,
            f"Queued comment {n}",
            status="pending",
            name=f"Visitor {n}",
            minutes_ago=n,
        )
        for n in range(6)
    ]  # newest first: the list shows them in this order
    rows = [browser_page.locator(f"#comment-row-{c.id}") for c in queue]
    page = browser_page
    log_in(page, "marta")
    page.goto("/dashboard/comments/?status=pending")
    toast = page.locator("#moderation-toast")

    page.keyboard.press("j")
    expect(rows[0]).to_be_focused()
    page.keyboard.press("a")  # approve: it leaves the tab, the next one has focus
    expect(rows[0]).to_have_count(0)
    expect(rows[1]).to_be_focused()
    expect(toast).to_contain_text("1 comment approved.")
    expect(toast.get_by_role("button", name="Undo")).to_be_visible()
    page.keyboard.press("s")
    expect(rows[1]).to_have_count(0)
    expect(rows[2]).to_be_focused()
    page.keyboard.press("j")  # leave this one for later
    expect(rows[3]).to_be_focused()
    page.keyboard.press("d")
    expect(rows[3]).to_have_count(0)
    expect(rows[4]).to_be_focused()
    page.keyboard.press("a")
    expect(rows[4]).to_have_count(0)
    expect(rows[5]).to_be_focused()
    page.keyboard.press("z")  # undo the approval: the row comes back in place
    expect(toast).to_contain_text("1 comment restored to Pending.")
    expect(rows[4]).to_be_focused()
    expect(page.locator("tr.comment-row")).to_have_count(3)
    assert page.locator("tr.comment-row").evaluate_all(
        "rows => rows.map(row => row.dataset.commentId)"
    ) == [str(queue[n].id) for n in (2, 4, 5)]
    expect(page.get_by_role("link", name="Pending (3)")).to_be_visible()
    expect(page.locator("#dash-nav .count")).to_have_text("3 pending")
    page.screenshot(path=str(artifacts_dir / "comments-keyboard.png"))
    assert [status_of(app, c.id) for c in queue] == [
        "approved",
        "spam",
        "pending",
        "trash",
        "pending",
        "pending",
    ]

    # x ticks the row and the count says so; ? lists the keys, Escape closes.
    page.keyboard.press("x")
    expect(rows[4].get_by_role("checkbox")).to_be_checked()
    expect(page.locator(".selection-count")).to_have_text("1 selected")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(rows[4]).to_be_focused()
    # Typing in the search box types; it does not moderate.
    page.get_by_label("Search comments").press("a")
    expect(page.get_by_label("Search comments")).to_have_value("a")
    assert status_of(app, queue[4].id) == "pending"

    # Two skip links lead to the first row in five key presses.
    page.goto("/dashboard/comments/?status=pending")
    for key in ("Tab", "Enter", "Tab", "Enter", "Tab"):
        page.keyboard.press(key)
    expect(
        page.get_by_role("checkbox", name="Select comment by Visitor 2")
    ).to_be_focused()


@pytest.mark.parametrize("width", [390, 320])
def test_the_list_fits_a_phone(
    app, browser_page, make_user, make_post, make_comment, artifacts_dir, width
):
    make_user("editor", "marta", display_name="Marta Oyelaran")
    # Long words everywhere: a title, a name, an address, an IPv6 address.
    post = make_post("Atitlewithoutanyspacesthatgoesonandonforeverandeverandever")
    long = "https://example.com/" + "averylongpathsegment" * 6
    for status in ("pending", "approved"):
        make_comment(
            post,
            "Nospacesinthiscommentatall" * 8 + f" {long} {status}\n\n    code",
            status=status,
            name="Bartholomew-Maximilian Featherstonehaugh-Cholmondeley",
            email="bartholomew.maximilian.featherstonehaugh@subdomain.example.net",
            author_url=long,
            author_ip="2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        )
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "marta")
    page.goto("/dashboard/comments/")
    row = page.locator("tr.comment-row").first
    names = ["Unapprove", "Spam", "Trash", "Reply", "Edit"]
    for name in names:
        control = (
            row.get_by_role("button", name=name)
            .or_(row.get_by_role("link", name=name))
            .first
        )
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        page.evaluate("document.documentElement.scrollWidth")
    )
    page.screenshot(path=str(artifacts_dir / f"comments-{width}px.png"), full_page=True)
