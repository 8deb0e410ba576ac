"""The publishing service's rules for the editor's buttons (SaveAction):
only "Switch to Draft" takes a post off the site, dates and sticky posts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from blog.extensions import db
from blog.models import Post, PostStatus, Role, User, utcnow
from blog.posts import PostError, PostInput, SaveAction, Standing
from blog.posts.publishing import save_post, standing


def _user(make_user, role: Role) -> int:
    return make_user(role).id


def _save(user_id: int, post_id: int | None = None, **fields) -> Post:
    action = fields.pop("action", SaveAction.UPDATE)
    data = PostInput(
        title=fields.pop("title", "A title"), body=fields.pop("body", "x"), **fields
    )
    actor = db.session.get(User, user_id)
    post = db.session.get(Post, post_id) if post_id else None
    return save_post(actor, data, post, action=action)


def test_new_post_buttons(app, make_user):
    editor = _user(make_user, Role.EDITOR)
    contributor = _user(make_user, Role.CONTRIBUTOR)
    with app.app_context():
        assert _save(editor, action=SaveAction.DRAFT).status == PostStatus.DRAFT
        # A plain save of a new post makes a draft.
        assert _save(editor).status == PostStatus.DRAFT
        published = _save(editor, action=SaveAction.PUBLISH)
        assert standing(published) is Standing.PUBLISHED
        assert published.published_at <= utcnow()
        pending = _save(contributor, action=SaveAction.PUBLISH)
        assert pending.status == PostStatus.PENDING


def test_a_plain_save_never_unpublishes(app, make_user):
    editor = _user(make_user, Role.EDITOR)
    with app.app_context():
        post = _save(editor, action=SaveAction.PUBLISH)
        date = post.published_at
        post = _save(editor, post.id, body="Changed", action=SaveAction.UPDATE)
        assert post.status == PostStatus.PUBLISHED and post.published_at == date
        post = _save(editor, post.id, body="Again", action=SaveAction.PUBLISH)
        assert post.status == PostStatus.PUBLISHED and post.published_at == date
        with pytest.raises(PostError, match="Switch to Draft"):
            _save(editor, post.id, body="Lost?", action=SaveAction.DRAFT)
        db.session.expire_all()
        kept = db.session.get(Post, post.id)
        assert kept.status == PostStatus.PUBLISHED and kept.body_source == "Again"


def test_switch_to_draft_takes_it_off_the_site(app, make_user):
    author = _user(make_user, Role.AUTHOR)
    with app.app_context():
        post = _save(author, action=SaveAction.PUBLISH)
        post = _save(author, post.id, body="Rewritten", action=SaveAction.UNPUBLISH)
        assert standing(post) is Standing.DRAFT and post.body_source == "Rewritten"


def test_moving_the_date_schedules_or_publishes(app, make_user):
    editor = _user(make_user, Role.EDITOR)
    later = utcnow() + timedelta(days=3)
    with app.app_context():
        post = _save(editor, action=SaveAction.PUBLISH)
        post = _save(editor, post.id, publish_at=later, action=SaveAction.UPDATE)
        assert standing(post) is Standing.SCHEDULED and post.published_at == later
        earlier = utcnow() - timedelta(hours=1)
        post = _save(editor, post.id, publish_at=earlier, action=SaveAction.UPDATE)
        assert standing(post) is Standing.PUBLISHED


def test_a_draft_takes_the_date_typed_or_now(app, make_user):
    editor = _user(make_user, Role.EDITOR)
    later = utcnow() + timedelta(days=3)
    with app.app_context():
        draft = _save(editor, publish_at=later, action=SaveAction.DRAFT)
        assert draft.published_at == later
        # The date was cleared: "Publish" means now, not the old date.
        draft = _save(editor, draft.id, action=SaveAction.DRAFT)
        assert draft.published_at is None
        post = _save(editor, draft.id, action=SaveAction.PUBLISH)
        assert standing(post) is Standing.PUBLISHED


def test_pending_posts(app, make_user):
    contributor = _user(make_user, Role.CONTRIBUTOR)
    editor = _user(make_user, Role.EDITOR)
    with app.app_context():
        post = _save(contributor, action=SaveAction.PUBLISH)
        post = _save(contributor, post.id, body="More", action=SaveAction.UPDATE)
        assert post.status == PostStatus.PENDING  # "Save as Pending"
        post = _save(editor, post.id, action=SaveAction.UPDATE)
        assert post.status == PostStatus.PENDING
        post = _save(editor, post.id, action=SaveAction.PUBLISH)
        assert standing(post) is Standing.PUBLISHED


def test_only_editors_make_articles_sticky(app, make_user):
    editor = _user(make_user, Role.EDITOR)
    author = _user(make_user, Role.AUTHOR)
    with app.app_context():
        mine = _save(author, sticky=True, action=SaveAction.PUBLISH)
        assert mine.sticky is False
        post = _save(editor, mine.id, sticky=True)
        assert post.sticky is True
        # The author's next save (no checkbox for them) leaves it sticky.
        post = _save(author, post.id, sticky=False)
        assert post.sticky is True
        post = _save(editor, post.id, sticky=False)
        assert post.sticky is False
