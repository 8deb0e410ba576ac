"""Golden path for comments in Chromium, with Akismet pointed at the local server.

A reader comments and sees "awaiting moderation"; an editor approves it in
the dashboard; an anonymous reader then sees it; a reply threads under it.
And a page holding the whole payload corpus opens no dialog.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.payloads import CORPUS


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    # Real CSRF tokens; no timing or flood rule in the way of a fast robot.
    return {
        "WTF_CSRF_ENABLED": True,
        "COMMENT_MIN_SECONDS": 0,
        "COMMENT_FLOOD_SECONDS": 0,
    }


def article_path(post) -> str:  # type: ignore[no-untyped-def]
    return f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"


def test_comment_moderate_and_reply(
    app, browser_page, new_page, make_user, make_post, akismet_server
):
    # A browser and two test workers share two cores: give the local Akismet
    # more than the fixture's half second, so a busy machine is not "down".
    app.config["AKISMET_TIMEOUT"] = 5.0
    editor = make_user("editor", "marta", display_name="Marta Oyelaran")
    post = make_post("Notes from the allotment", "Beans did well.", author=editor)

    reader = browser_page
    reader.goto(article_path(post))
    expect(reader.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(
        reader.get_by_text("Your email address will not be published.")
    ).to_be_visible()
    expect(reader.get_by_text("This site uses Akismet to reduce spam.")).to_be_visible()
    reader.get_by_label("Comment", exact=True).fill("How deep did you *sow* them?")
    reader.get_by_label("Name", exact=True).fill("Priya Gardener")
    reader.get_by_label("Email", exact=True).fill("priya@example.net")
    reader.get_by_label("Website", exact=True).fill("https://priya.example")
    remember = reader.get_by_label(
        "Save my name, email, and website in this browser for the next time I comment."
    )
    expect(remember).not_to_be_checked()
    remember.check()
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    expect(reader.locator(".comment-content em")).to_have_text("sow")
    # On the article itself, in its place in the thread, for its author only.
    assert re.search(
        re.escape(article_path(post))
        + r"\?unapproved=\d+&moderation-hash=[0-9a-f]{32}#comment-\d+$",
        reader.url,
    ), reader.url
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Notes from the allotment"
    )
    expect(reader.locator("li.comment", has_text="How deep did you")).to_contain_text(
        "Your comment is awaiting moderation."
    )
    assert (
        akismet_server.calls("comment-check")[0]["comment_author"] == "Priya Gardener"
    )

    visitor = new_page()  # another visitor: the same page, without it
    visitor.goto(article_path(post))
    expect(visitor.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(visitor.get_by_text("How deep did you")).to_have_count(0)

    moderator = new_page()
    moderator.goto("/login")
    moderator.get_by_label("Username or Email").fill("marta")
    moderator.get_by_label("Password").fill(PASSWORD)
    moderator.get_by_role("button", name="Log In").click()
    expect(
        moderator.get_by_role("link", name=re.compile(r"^Comments"))
    ).to_contain_text("1 pending")
    moderator.goto("/dashboard/comments/")
    row = moderator.locator("tr.comment-row", has_text="How deep did you")
    expect(row).to_contain_text("priya@example.net")
    expect(row).to_contain_text("Akismet cleared this comment")
    row.get_by_role(
        "button", name="Approve comment by Priya Gardener", exact=True
    ).click()
    expect(moderator.get_by_text("1 comment approved.")).to_be_visible()

    visitor.goto(article_path(post))
    comment = visitor.locator("li.comment", has_text="How deep did you")
    expect(comment).to_be_visible()
    expect(
        comment.get_by_role("link", name="Priya Gardener", exact=True)
    ).to_have_attribute("rel", "external nofollow ugc")
    expect(visitor.get_by_text("priya@example.net")).to_have_count(0)

    # The same reader replies to their own comment: the form remembers them.
    reader.goto(article_path(post))
    expect(reader.get_by_label("Name", exact=True)).to_have_value("Priya Gardener")
    reader.locator("li.comment", has_text="How deep did you").get_by_role(
        "link", name=re.compile("^Reply")
    ).first.click()
    expect(
        reader.get_by_role("heading", name="Leave a Reply to Priya Gardener")
    ).to_be_visible()
    expect(reader.get_by_role("link", name="Cancel reply")).to_be_visible()
    reader.get_by_label("Comment", exact=True).fill("Answering myself: about 3 cm.")
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader).to_have_url(re.compile(r"#comment-\d+$"))

    visitor.goto(article_path(post))
    parent = visitor.locator("li.comment.depth-1", has_text="How deep did you")
    expect(parent.locator("ol.children li.comment.depth-2")).to_contain_text(
        "about 3 cm"
    )


def test_a_page_holding_the_whole_corpus_opens_no_dialog(
    browser_page, make_post, make_comment
):
    post = make_post("Corpus")
    for n, body in enumerate(CORPUS):
        make_comment(post, body, name=f'"><svg onload=alert({n})>')
    page = browser_page
    page.goto(article_path(post))
    expect(page.locator("li.comment")).to_have_count(len(CORPUS))
    for comment in page.locator("li.comment a").all():
        comment.hover(timeout=2000, force=True)
    page.wait_for_timeout(500)
    assert page.dialogs == []  # type: ignore[attr-defined]
