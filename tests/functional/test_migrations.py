"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from blog.extensions import db
from blog.search.schema import include_object


def test_models_and_migrations_agree(app):
    with app.app_context():
        db.drop_all()
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    # as migrations/env.py: the search index is made beside
                    # its table, differently on each database
                    "include_object": include_object,
                },
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        upgrade()


def test_cli_upgrade_creates_the_schema(app, runner):
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "posts" in db.inspect(db.engine).get_table_names()


def test_rebuilding_tables_keeps_every_reference(app):
    """SQLite rebuilds a table to alter it (batch mode). With foreign keys
    enforced, dropping the old copy would null or refuse the rows referring
    to it; the upgrade must leave every reference as it was."""
    from sqlalchemy import text

    from tests.functional.test_backup import insert_filled

    with app.app_context():
        db.drop_all()
        upgrade(revision="0006")
        with db.engine.begin() as connection:
            insert_filled(
                connection, "users", id=1, role="author", bio="Keeps <bees>.\n\nHi"
            )
            insert_filled(connection, "media", id=3, uploaded_by_id=1)
            insert_filled(
                connection,
                "posts",
                id=2,
                author_id=1,
                kind="article",
                status="published",
                featured_image_id=3,
            )
            insert_filled(
                connection,
                "comments",
                id=4,
                post_id=2,
                user_id=1,
                status="approved",
                spam_check="ham",
                submitted={},
            )
        upgrade()
        with db.engine.connect() as connection:
            post = connection.execute(
                text("SELECT author_id, featured_image_id FROM posts")
            ).one()
            comment_user = connection.scalar(text("SELECT user_id FROM comments"))
            uploader = connection.scalar(text("SELECT uploaded_by_id FROM media"))
            bio_html = connection.scalar(text("SELECT bio_html FROM users"))
        assert tuple(post) == (1, 3)
        assert comment_user == 1 and uploader == 1
        assert bio_html == "<p>Keeps &lt;bees&gt;.</p>\n<p>Hi</p>"
        downgrade(revision="base")


def test_downgrading_accounts_keeps_invited_and_deactivated_users_out(app):
    """0008's downgrade: versions before it have no invited or deactivated
    users, so those get a password nothing matches."""
    from datetime import datetime

    from sqlalchemy import text

    from tests.functional.test_backup import insert_filled

    with app.app_context():
        db.drop_all()
        upgrade()
        with db.engine.begin() as connection:
            insert_filled(connection, "users", id=1, role="author", password_hash=None)
            insert_filled(
                connection,
                "users",
                id=2,
                role="author",
                password_hash="$argon2id$kept",
                deactivated_at=datetime(2026, 1, 1),
            )
            insert_filled(
                connection, "users", id=3, role="admin", password_hash="$argon2id$ok"
            )
        downgrade(revision="0007")
        with db.engine.connect() as connection:
            hashes = dict(
                connection.execute(text("SELECT id, password_hash FROM users")).all()
            )
        assert hashes == {1: "!", 2: "!", 3: "$argon2id$ok"}
        downgrade(revision="base")


def test_upgrading_finds_each_comments_thread(app):
    """0012 computes ``root_id`` for the comments already there, as
    blog.comments.roots keeps it: an approved reply under an approved
    parent shows in its top-level comment's thread; a reply under a
    comment readers do not see starts a thread of its own."""
    from sqlalchemy import text

    from tests.functional.test_backup import insert_filled

    with app.app_context():
        db.drop_all()
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            insert_filled(connection, "users", id=1, role="author")
            insert_filled(
                connection,
                "posts",
                id=2,
                author_id=1,
                kind="article",
                status="published",
            )
            shape = [  # id, parent, status
                (10, None, "approved"),
                (11, 10, "approved"),
                (12, 11, "approved"),
                (13, 10, "pending"),
                (14, 13, "approved"),
                (15, 14, "approved"),
                (16, 12, "spam"),
            ]
            for comment_id, parent, status in shape:
                insert_filled(
                    connection,
                    "comments",
                    id=comment_id,
                    post_id=2,
                    parent_id=parent,
                    status=status,
                    spam_check="ham",
                    submitted={},
                )
        upgrade()
        with db.engine.connect() as connection:
            found = dict(
                connection.execute(text("SELECT id, root_id FROM comments")).all()
            )
        assert found == {10: None, 11: 10, 12: 10, 13: None, 14: None, 15: 14, 16: None}
        downgrade(revision="base")
