"""``Post.modified_at``: what feeds, sitemaps and sharing cards call the
post's last change."""

from __future__ import annotations

from datetime import UTC, datetime

from blog.models import Post

SAVED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_a_post_scheduled_ahead_changed_when_it_came_due():
    """Saved on the 1st for the 20th: readers first saw it on the 20th, and a
    modified date before the published one would read as nonsense."""
    post = Post(title="Later", updated_at=SAVED, published_at=DUE)
    assert post.modified_at == DUE


def test_a_post_edited_after_publishing_changed_when_edited():
    post = Post(title="Fixed", updated_at=DUE, published_at=SAVED)
    assert post.modified_at == DUE


def test_a_draft_changed_when_saved():
    assert Post(title="Draft", updated_at=SAVED, published_at=None).modified_at == (
        SAVED
    )
