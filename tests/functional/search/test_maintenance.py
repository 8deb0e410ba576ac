"""Rebuilding the index: ``flask --app blog search reindex``, migration
0013 on a site with posts, and backups (the index is not saved: the
database rebuilds it from the documents)."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, func, select, text

from blog.extensions import db
from blog.models import SearchDocument
from tests.functional.search.helpers import found
from tests.functional.test_backup import PG_URL, insert_filled


def test_the_cli_rebuilds_the_index(app, client, runner, make_post):
    for n in range(3):
        make_post(f"Comet {n}", body="A comet's tail.")
    make_post("Draft comet", body="Unseen.", publish=False)
    with app.app_context():
        db.session.execute(delete(SearchDocument))  # lost, say, by bulk SQL
        db.session.commit()
    assert found(client, "comet") == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Indexed 4 post(s)."
    assert sorted(found(client, "tail")) == ["Comet 0", "Comet 1", "Comet 2"]
    with app.app_context():
        assert db.session.scalar(select(func.count(SearchDocument.post_id))) == 4


def test_the_migration_indexes_the_posts_already_there(app, client):
    with app.app_context():
        db.drop_all()
        upgrade(revision="0012")
        with db.engine.begin() as connection:
            insert_filled(connection, "users", id=1, role="author", slug="au")
            connection.execute(
                text(
                    "INSERT INTO terms (id, taxonomy, name, slug, description) "
                    "VALUES (5, 'tag', 'Seabirds', 'seabirds', '')"
                )
            )
            insert_filled(
                connection,
                "posts",
                id=2,
                author_id=1,
                kind="article",
                status="published",
                slug="puffins",
                title="Puffins",
                body_html="<p>Colonies on the <em>cliffs</em>.</p>",
                excerpt_source="",
                published_at=datetime(2020, 1, 2),
            )
            connection.execute(text("INSERT INTO post_terms VALUES (2, 5)"))
        upgrade()
    assert found(client, "cliff") == ["Puffins"]
    assert found(client, "seabird") == ["Puffins"]
    with app.app_context():
        downgrade(revision="0012")
        assert "search_documents" not in db.inspect(db.engine).get_table_names()
        downgrade(revision="base")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_restored_site_is_searchable(
    app, runner, make_post, make_site, tmp_path, kind
):
    if kind == "postgresql" and not PG_URL:
        pytest.skip("BLOG_TEST_DATABASE_URL is not set (no PostgreSQL to restore to)")
    make_post("Lighthouse keeper", body="The lamp turns all night.", categories="Coast")
    archive = tmp_path / "site.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    target = make_site(kind)
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    reader = target.test_client()
    assert found(reader, "lamps") == ["Lighthouse keeper"]
    assert found(reader, "coast") == ["Lighthouse keeper"]
