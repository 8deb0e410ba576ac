"""The theme unit test export (WordPress's own edge cases) imported as a
new user would: everything arrives with its status, parents and threads,
nothing raw or private shows on a public page, old links lead on."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import func, select

from blog.extensions import db
from blog.importing.summary import Summary
from blog.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Post,
    PostKind,
    PostStatus,
    Redirect,
    Role,
    Taxonomy,
    Term,
    User,
    utcnow,
)
from tests.conftest import add_user
from tests.functional.importing.helpers import (
    fixture_commenters,
    fixture_items,
    run_import,
)


def _posts_by(kind: PostKind) -> Counter[str]:
    now = utcnow()
    counts: Counter[str] = Counter()
    for post in db.session.scalars(select(Post).where(Post.kind == kind)):
        if post.status == PostStatus.PUBLISHED and not post.is_visible(now):
            counts["scheduled"] += 1
        else:
            counts[post.status.value] += 1
    return counts


@pytest.fixture(scope="module")
def imported(module_app: Flask) -> tuple[Flask, Summary]:
    """The file imported once into a site of its own (set up: it has its
    administrator); the tests that use it only read (the one importing it
    again, last, must change nothing)."""
    add_user(module_app, Role.ADMIN, "owner")
    return module_app, run_import(module_app)


def test_counts_per_kind_and_status_match_the_file(imported):
    app, summary = imported

    assert not summary.failures
    tallies = {kind: tally for kind, tally in summary.rows()}
    assert tallies["posts"].created == 58
    assert tallies["pages"].created == 21
    assert tallies["categories"].created == 68
    # 110 listed, and 4 named only on posts (WordPress makes those too).
    assert tallies["tags"].created == 114
    assert tallies["authors"].created == 2
    assert tallies["comments"].created == 33
    # No --uploads: every attachment's file is missing, and said so.
    assert tallies["attachments"].skipped == 37
    assert len(summary.missing_files) == 37
    with app.app_context():
        # 56 published in the file, one of which has a password: not public.
        assert _posts_by(PostKind.ARTICLE) == {
            "published": 55,
            "scheduled": 1,
            "draft": 2,
        }
        assert _posts_by(PostKind.PAGE) == {"published": 21}
        statuses = Counter(db.session.scalars(select(Comment.status)))
        assert statuses == {CommentStatus.APPROVED: 30, CommentStatus.PENDING: 3}
        kinds = Counter(db.session.scalars(select(Comment.kind)))
        assert kinds[CommentKind.PINGBACK] == 2
        assert kinds[CommentKind.TRACKBACK] == 2
        assert db.session.scalar(select(func.count(Term.id))) == 182
        # Imported authors are invited: no password until they choose one.
        imported = db.session.scalars(
            select(User).where(User.username.in_(["themedemos", "themereviewteam"]))
        ).all()
        assert len(imported) == 2
        assert all(u.is_invited and u.role.value == "author" for u in imported)


def test_parents_threads_sticky_and_password(imported):
    app, summary = imported
    client = app.test_client()
    with app.app_context():
        level3 = db.session.scalar(select(Post).where(Post.title == "Level 3"))
        assert level3 is not None and level3.parent is not None
        assert level3.parent.title == "Level 2"
        assert level3.parent.parent is not None
        assert level3.parent.parent.title == "Level 1"
        child = db.session.scalar(
            select(Term).where(
                Term.taxonomy == Taxonomy.CATEGORY, Term.slug == "foo-a-foo-parent"
            )
        )
        assert child is not None and child.parent is not None
        assert child.parent.slug == "foo-parent"
        replies = db.session.scalars(
            select(Comment).where(Comment.parent_id.is_not(None))
        ).all()
        assert replies
        for reply in replies:
            parent = db.session.get(Comment, reply.parent_id)
            assert parent is not None and parent.post_id == reply.post_id
            assert parent.submitted_at <= reply.submitted_at
        sticky = db.session.scalar(select(Post).where(Post.title == "Template: Sticky"))
        assert sticky is not None and sticky.sticky
        protected = db.session.scalar(
            select(Post).where(Post.title.like("Template: Password Protected%"))
        )
        assert protected is not None and protected.status == PostStatus.DRAFT
    assert any("password-protected" in line for line in summary.not_public)
    # Its old address tells nothing, as for any post readers may not see.
    response = client.get("/2012/01/04/template-password-protected/")
    assert response.status_code == 404
    assert client.get("/?p=1168").status_code == 404


def _public_addresses(app) -> list[str]:
    with app.app_context(), app.test_request_context("/"):
        from blog.views.context import public_url

        now = utcnow()
        posts = db.session.scalars(select(Post)).all()
        return [public_url(p) for p in posts if p.is_visible(now)]


_RAW = re.compile(r"<!--\s*/?wp:|\[/?(?:caption|gallery|embed|audio|video|playlist)\b")


def test_no_raw_shortcodes_blocks_or_commenter_data_on_any_page(imported):
    app, _summary = imported
    client = app.test_client()
    emails, ips = fixture_commenters()
    assert emails  # (this file leaves commenters' IP addresses out)
    addresses = _public_addresses(app)
    assert len(addresses) > 70
    extra = ["/", "/feed/", "/comments/feed/", "/search/?q=comment", "/sitemap.xml"]
    for address in addresses + extra:
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.get_data(as_text=True)
        assert not _RAW.search(page), (address, _RAW.search(page))
        for secret in emails | ips:
            assert secret not in page, (address, secret)


def test_old_addresses_answer_301_to_a_page_that_answers_200(imported):
    app, _summary = imported
    client = app.test_client()
    checked = 0
    for item in fixture_items():
        if item.post_type not in ("post", "page") or item.status != "publish":
            continue
        if item.password:
            continue
        query = "page_id" if item.post_type == "page" else "p"
        for old in (f"/?{query}={item.wp_id}", item.link.split(".com", 1)[1]):
            if "?" in item.link and old != f"/?{query}={item.wp_id}":
                continue
            response = client.get(old)
            if response.status_code == 200 and "?" not in old:
                checked += 1  # the same address here (a page: /about/)
                continue
            assert response.status_code == 301, old
            target = response.headers["Location"]
            assert client.get(target).status_code == 200, (old, target)
            checked += 1
    assert checked > 140
    for old in (
        "/category/parent-category/child-category-01/",
        "/category/parent-category/child-category-01/feed/",
        "/?cat=1",
        "/author/themedemos/",
        "/2012/01/07/",
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert client.get(response.headers["Location"]).status_code == 200, old
    with app.app_context():
        assert db.session.scalar(
            select(func.count(Redirect.id)).where(Redirect.origin == "wordpress")
        )


def test_running_it_again_creates_nothing(imported):
    app, _summary = imported
    with app.app_context():
        before = _census()
    summary = run_import(app)
    assert all(t.created == 0 for _, t in summary.rows()), summary.lines()
    assert dict(summary.rows())["posts"].existing == 58
    with app.app_context():
        assert _census() == before


def test_dry_run_reports_and_changes_nothing(app):
    with app.app_context():
        before = _census()
    summary = run_import(app, dry_run=True)
    assert summary.dry_run
    assert dict(summary.rows())["posts"].created == 58
    assert dict(summary.rows())["comments"].created == 33
    with app.app_context():
        assert _census() == before


def _census() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Post, Comment, Term, User, Redirect)
    }
