"""The revision rules: what a save keeps, when it keeps nothing, pruning,
restoring, and the optimistic-locking rule (a save from an older version
is refused)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, update

from blog.extensions import db
from blog.models import Post, PostRevision, Role, Setting, User
from blog.posts import SaveAction, publishing, revisions
from blog.posts.editing import PostInput
from blog.posts.locking import EditConflict

UTC = ZoneInfo("UTC")


def _save(user_id: int, post_id: int | None = None, **fields) -> Post:  # type: ignore[no-untyped-def]
    actor = db.session.get(User, user_id)
    post = db.session.get(Post, post_id) if post_id else None
    action = fields.pop("action", SaveAction.UPDATE)
    data = PostInput(**{"title": "A title", "body": "Body.", **fields})
    return publishing.save_post(actor, data, post, action=action)


def _revisions(post_id: int) -> list[PostRevision]:
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post_id)
            .order_by(PostRevision.id)
        )
    )


def test_a_save_keeps_the_text_and_the_rest(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(
            ada.id,
            title="Bees",
            body="Hives *wake*.",
            excerpt="Short",
            categories="Garden",
            tags="bees, spring",
            action=SaveAction.PUBLISH,
        )
        (revision,) = _revisions(post.id)
        assert (revision.title, revision.body_source) == ("Bees", "Hives *wake*.")
        assert revision.author_id == ada.id
        assert revision.content == {
            "slug": "bees",
            "excerpt": "Short",
            "categories": ["Garden"],
            "tags": ["bees", "spring"],
            "status": "published",
        }


def test_a_save_that_changes_nothing_adds_no_revision(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    grace = make_user(Role.EDITOR, "grace")
    with app.app_context():
        post = _save(ada.id)
        version = post.version
        _save(ada.id, post.id)
        assert len(_revisions(post.id)) == 1
        assert db.session.get(Post, post.id).version == version
        # Someone else's save is kept, even unchanged: it says who saved last.
        _save(grace.id, post.id)
        assert [r.author_id for r in _revisions(post.id)] == [ada.id, grace.id]


def test_a_change_of_terms_alone_moves_the_version_on(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, tags="one")
        version = post.version
        _save(ada.id, post.id, tags="one, two")
        assert db.session.get(Post, post.id).version > version
        assert _revisions(post.id)[-1].content["tags"] == ["one", "two"]


def test_a_status_change_alone_is_a_revision(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, action=SaveAction.DRAFT)
        _save(ada.id, post.id, action=SaveAction.PUBLISH)
        statuses = [r.content["status"] for r in _revisions(post.id)]
        assert statuses == ["draft", "published"]


def test_revisions_beyond_the_setting_are_pruned_oldest_first(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, body="v1")
        for n in range(2, 5):
            _save(ada.id, post.id, body=f"v{n}")
        assert [r.body_source for r in _revisions(post.id)] == ["v1", "v2", "v3", "v4"]
        db.session.merge(Setting(key="revisions_to_keep", value=2))
        db.session.commit()
        _save(ada.id, post.id, body="v5")
        assert [r.body_source for r in _revisions(post.id)] == ["v4", "v5"]
        other = _save(ada.id, title="Another", body="w1")
        assert len(_revisions(other.id)) == 1


def test_keep_all_by_default(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        assert revisions.revisions_to_keep() is None
        post = _save(ada.id, body="v0")
        for n in range(1, 30):
            _save(ada.id, post.id, body=f"v{n}")
        assert len(_revisions(post.id)) == 30


def test_restore_writes_the_fields_back_keeps_the_status_and_adds_a_revision(
    app, make_user
):
    ada = make_user(Role.EDITOR, "ada", display_name="Ada Lovelace")
    with app.app_context():
        post = _save(
            ada.id,
            title="First",
            body="*Old* text",
            tags="old",
            action=SaveAction.PUBLISH,
        )
        first = _revisions(post.id)[0]
        _save(ada.id, post.id, title="Second", body="New text", tags="new")
        actor = db.session.get(User, ada.id)
        post = db.session.get(Post, post.id)
        restored = revisions.restore_revision(actor, post, first, zone=UTC)
        post = db.session.get(Post, post.id)
        assert (post.title, post.body_source) == ("First", "*Old* text")
        assert "<em>Old</em>" in post.body_html  # rendered again
        assert [t.name for t in post.tags] == ["old"]
        assert post.status == "published"
        assert restored.note.startswith("Restored from the revision of ")
        assert restored.note.endswith("by Ada Lovelace")
        assert len(_revisions(post.id)) == 3


def test_restoring_a_draft_revision_never_publishes(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, body="draft words", action=SaveAction.DRAFT)
        draft = _revisions(post.id)[0]
        _save(ada.id, post.id, body="published words", action=SaveAction.PUBLISH)
        post = db.session.get(Post, post.id)
        revisions.restore_revision(db.session.get(User, ada.id), post, draft, zone=UTC)
        post = db.session.get(Post, post.id)
        assert post.status == "published" and post.body_source == "draft words"


def test_compare_lists_title_and_body_and_whatever_else_changed(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, title="Same", body="one", tags="a")
        _save(ada.id, post.id, title="Same", body="two", tags="a, b")
        old, new = (revisions.version_of(r) for r in _revisions(post.id))
        changes = revisions.compare(old, new, post.kind)
        assert [(c.label, c.changed) for c in changes] == [
            ("Title", False),
            ("Body", True),
            ("Tags", True),
        ]


def test_a_save_from_an_older_version_is_refused(app, make_user):
    ada = make_user(Role.EDITOR, "ada", display_name="Ada Lovelace")
    grace = make_user(Role.EDITOR, "grace")
    with app.app_context():
        post = _save(ada.id, body="first")
        opened_at = post.version
        _save(ada.id, post.id, body="Ada's change", base_version=opened_at)
        with pytest.raises(EditConflict) as refused:
            _save(grace.id, post.id, body="Grace's change", base_version=opened_at)
        assert refused.value.saved_by == "Ada Lovelace"
        assert not refused.value.by_you
        assert refused.value.saved_at is not None
        post = db.session.get(Post, post.id)
        assert post.body_source == "Ada's change"
        assert len(_revisions(post.id)) == 2
        # From the version now saved, Grace may save.
        _save(grace.id, post.id, body="Grace's change", base_version=post.version)
        assert db.session.get(Post, post.id).body_source == "Grace's change"


def test_the_same_person_in_two_windows_is_told_so(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, body="first")
        opened_at = post.version
        _save(ada.id, post.id, body="window one", base_version=opened_at)
        with pytest.raises(EditConflict) as refused:
            _save(ada.id, post.id, body="window two", base_version=opened_at)
        assert refused.value.by_you


def test_without_a_base_version_there_is_no_check(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, body="first")
        _save(ada.id, post.id, body="second")
        _save(ada.id, post.id, body="third", base_version=None)
        assert db.session.get(Post, post.id).body_source == "third"


def test_an_update_that_loses_the_race_is_refused_and_writes_nothing(app, make_user):
    """The version check passed, then another save committed before this
    one's UPDATE: SQLAlchemy's version check in the UPDATE catches it."""
    ada = make_user(Role.EDITOR, "ada", display_name="Ada Lovelace")
    grace = make_user(Role.EDITOR, "grace")
    with app.app_context():
        post = _save(ada.id, body="first")
        post_id, opened_at = post.id, post.version
        db.session.expire_all()

        def another_save_lands_first(_mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
            connection.execute(
                update(Post)
                .where(Post.id == target.id)
                .values(version=Post.version + 1, body_source="Ada's concurrent text")
            )

        event.listen(Post, "before_update", another_save_lands_first, once=True)
        with pytest.raises(EditConflict) as refused:
            _save(grace.id, post_id, body="Grace's text", base_version=opened_at)
        assert refused.value.saved_by == "Ada Lovelace"
        db.session.expire_all()
        assert db.session.get(Post, post_id).body_source == "first"  # rolled back
        assert [r.body_source for r in _revisions(post_id)] == ["first"]


def test_the_default_comparison_is_what_the_latest_save_changed(app, make_user):
    ada = make_user(Role.EDITOR, "ada")
    with app.app_context():
        post = _save(ada.id, body="one")
        actor = db.session.get(User, ada.id)
        alone = revisions.comparison(actor, db.session.get(Post, post.id))
        assert alone.one_version and not alone.restorable  # its text, shown whole
        _save(ada.id, post.id, body="two")
        first, second = _revisions(post.id)
        post = db.session.get(Post, post.id)
        latest = revisions.comparison(actor, post)
        assert (latest.old.revision, latest.new.revision) == (first, second)
        assert not latest.restorable  # the latest is the post's text
        back = revisions.comparison(actor, post, revisions.CURRENT, str(first.id))
        assert back.old.is_current and back.restorable
        with pytest.raises(LookupError):
            revisions.comparison(actor, post, "999")
