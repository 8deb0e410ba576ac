"""``flask --app blog backup`` and ``restore``: a site backed up while it takes
writes comes back, row for row and byte for byte, in an empty site."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import tarfile
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import MetaData, Table, create_engine, insert, select, text
from sqlalchemy.engine import Connection

from blog import create_app
from blog.backup import portable
from blog.backup.manifest import Manifest
from blog.events import PersonInput
from blog.extensions import db
from blog.media import ImageInput, Uploads
from blog.models import CommentStatus, Post, Role, Setting, User
from blog.posts import publishing
from tests.conftest import database_config, empty_database
from tests.fixtures_events import png_bytes

PG_URL = os.environ.get("BLOG_TEST_DATABASE_URL")
needs_postgres = pytest.mark.skipif(
    not PG_URL, reason="BLOG_TEST_DATABASE_URL is not set (no PostgreSQL to restore to)"
)

Rows = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


# -- helpers ----------------------------------------------------------------


def read_rows(connection: Connection) -> Rows:
    """Every row of every table (Alembic's aside), keyed by primary key;
    the columns a dump saves (generated ones differ by database)."""
    rows: Rows = {}
    for table in portable.live_tables(connection):
        key = list(table.primary_key.columns) or list(table.columns)
        saved = select(*portable.saved_columns(table))
        rows[table.name] = {
            tuple(row[column.name] for column in key): dict(row)
            for row in connection.execute(saved).mappings()
        }
    return rows


def site_rows(app: Flask) -> Rows:
    with app.app_context(), db.engine.connect() as connection:
        with connection.begin():
            return read_rows(connection)


def snapshot_rows(archive: Path, tmp_path: Path) -> Rows:
    """The rows of the SQLite snapshot inside ``archive``."""
    with tarfile.open(archive, "r:gz") as tar:
        data = tar.extractfile("database/blog.sqlite3").read()  # type: ignore[union-attr]
    copy = tmp_path / f"snapshot-{uuid.uuid4().hex}.sqlite3"
    copy.write_bytes(data)
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as connection:
            return read_rows(connection)
    finally:
        engine.dispose()


def manifest_of(archive: Path) -> Manifest:
    with tarfile.open(archive, "r:gz") as tar:
        return Manifest.from_json(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]


def upload_files(app: Flask) -> dict[str, bytes]:
    folder = Uploads.of(app).folder
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def assert_references_hold(rows: Rows, app: Flask) -> None:
    """Every foreign key of the restored data points at a restored row (the
    snapshot is a consistent cut: no comment without its post)."""
    with app.app_context(), db.engine.connect() as connection:
        tables = {table.name: table for table in portable.live_tables(connection)}
    for table in tables.values():
        for key in table.foreign_keys:
            target = key.column
            present = {row[target.name] for row in rows[target.table.name].values()}
            for row in rows[table.name].values():
                value = row[key.parent.name]
                assert value is None or value in present, (table.name, key.parent.name)


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


@pytest.fixture
def app_config(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """``indirect`` "sqlite": the source site on SQLite whatever the run."""
    if getattr(request, "param", None) == "sqlite":
        return {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'source.sqlite3'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
        }
    return {}


@pytest.fixture
def make_site(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Flask]]:
    """Another, empty site: its own instance folder, and its own SQLite file
    or PostgreSQL schema. ``tables=False``: not even a schema."""
    made: list[tuple[Flask, str | None]] = []

    def make(kind: str | None = None, *, tables: bool = True) -> Flask:
        kind = kind or ("postgresql" if PG_URL else "sqlite")
        folder = tmp_path_factory.mktemp("site")
        schema = None
        if kind == "postgresql":
            assert PG_URL
            schema = f"r_{uuid.uuid4().hex[:12]}"
            engine = create_engine(PG_URL)
            with engine.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            engine.dispose()
        config = {
            "TESTING": True,
            "SECRET_KEY": "another-test-secret-key",
            "RATELIMIT_ENABLED": False,
            **database_config(folder, schema),
        }
        monkeypatch.setenv("BLOG_INSTANCE_PATH", str(folder / "instance"))
        app = create_app(config)
        monkeypatch.delenv("BLOG_INSTANCE_PATH")
        if tables:
            with app.app_context():
                db.create_all()
        made.append((app, schema))
        return app

    yield make
    for app, schema in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema is not None and PG_URL:
            engine = create_engine(PG_URL)
            with engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


@pytest.fixture
def content(
    app: Flask,
    make_user: Callable[..., User],
    make_post: Callable[..., Post],
    make_comment: Callable[..., Any],
    make_event: Callable[..., Post],
) -> Post:
    """A site with some of everything: terms, an event with people and a
    real uploaded image, comments with JSON and a reply, JSON settings
    (one holding JSON null). Returns the article readers comment on."""
    editor = make_user(Role.EDITOR, display_name="Zoë Editor")
    post = make_post(
        "Backups that restore",
        "Body with *emphasis* and \u00fcn\u00efcode.",
        author=editor,
        categories="Operations",
        tags="backup, sqlite",
    )
    make_post("A draft", publish=False, author=editor)
    make_event(
        "Restore drill",
        author=editor,
        image=ImageInput(
            upload=io.BytesIO(png_bytes((64, 48), "orange")),
            filename="drill.png",
            alt="Fire drill",
        ),
        accommodations_deadline=date(2030, 3, 1),
        people=[PersonInput(name="Ada", affiliation="Ops", role="speaker")],
    )
    first = make_comment(
        post,
        "First!",
        submitted={"user_ip": "192.0.2.1", "nested": {"list": [1, 2.5, None, "é"]}},
    )
    make_comment(post, "A reply", status=CommentStatus.PENDING, parent_id=first.id)
    with app.app_context():
        db.session.add_all(
            [
                Setting(
                    key="backup.test", value={"a": [1, {"b": None}], "c": "\u2603"}
                ),
                Setting(key="backup.null", value=None),
            ]
        )
        db.session.commit()
    return post


class Writer(threading.Thread):
    """Readers commenting and an editor publishing, until told to stop."""

    def __init__(self, app: Flask, post: Post, post_comment: Any, editor_id: int):
        super().__init__(daemon=True)
        self.app = app
        self.post = post
        self.post_comment = post_comment
        self.editor_id = editor_id
        self.stop = threading.Event()
        self.writes = 0
        self.progress = threading.Condition()
        self.error: BaseException | None = None

    def run(self) -> None:
        client = self.app.test_client()
        n = 0
        try:
            while not self.stop.is_set():
                n += 1
                response = self.post_comment(
                    self.post,
                    f"Comment {n}, written while the backup runs.",
                    email=f"load{n}@example.net",
                    name=f"Load {n}",
                    client=client,
                )
                assert response.status_code in (200, 302, 303), response.status_code
                if n % 3 == 0:
                    with self.app.app_context():
                        editor = db.session.get(User, self.editor_id)
                        assert editor is not None
                        publishing.save_post(
                            editor,
                            publishing.PostInput(title=f"Post {n}", body="Under load."),
                            action=publishing.SaveAction.PUBLISH,
                        )
                with self.progress:
                    self.writes += 1
                    self.progress.notify_all()
        except BaseException as error:  # reported by the test
            self.error = error

    def wait_for(self, writes: int) -> None:
        with self.progress:
            assert self.progress.wait_for(
                lambda: self.writes >= writes or self.error is not None, timeout=60
            )
        assert self.error is None, self.error

    def finish(self) -> None:
        self.stop.set()
        self.join(60)
        assert self.error is None, self.error


# -- tests ------------------------------------------------------------------


def test_backup_under_write_load_restores_into_an_empty_site(
    app, content, post_comment, make_site, tmp_path
):
    with app.app_context():
        editor_id = db.session.scalar(select(User.id).where(User.role == Role.EDITOR))
    writer = Writer(app, content, post_comment, editor_id)
    writer.start()
    try:
        writer.wait_for(3)
        before = site_rows(app)
        writer.wait_for(writer.writes + 2)  # rows the snapshot has, ``before`` not
        archive = tmp_path / "backups" / "blog.tar.gz"
        result = run(app, "backup", "--output", str(archive))
        writer.wait_for(writer.writes + 3)  # still writing after the backup
    finally:
        writer.finish()
    after = site_rows(app)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    manifest = manifest_of(archive)
    with app.app_context():
        assert manifest.database_kind == db.engine.dialect.name
    uploads = upload_files(app)
    assert uploads and manifest.upload_members == sorted(
        f"uploads/{n}" for n in uploads
    )
    assert {t.name for t in manifest.tables} >= {"posts", "comments", "users", "media"}

    target = make_site()
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    rows = site_rows(target)

    # Exactly the manifest's rows, a consistent cut between before and after.
    assert {name: len(table) for name, table in rows.items()} == {
        table.name: table.rows for table in manifest.tables
    }
    for name, table in before.items():
        for key, row in table.items():
            assert rows[name].get(key) == row, (name, key)
    for name, table in rows.items():
        assert set(table) <= set(after[name]), name
    assert len(before["comments"]) < len(rows["comments"]) < len(after["comments"])
    assert_references_hold(rows, target)
    if manifest.database_kind == "sqlite":
        assert rows == snapshot_rows(archive, tmp_path)

    assert upload_files(target) == uploads
    with target.app_context(), db.engine.connect() as connection:
        assert (
            connection.scalar(
                text(
                    "SELECT CAST(value AS TEXT) FROM settings WHERE key = 'backup.null'"
                )
            )
            == "null"
        )
    # The restored site serves its uploads.
    image = rows["media"][next(iter(rows["media"]))]["filename"]
    response = target.test_client().get(f"/media/{image}")
    assert response.status_code == 200 and response.data == uploads[image]
    response.close()


def test_default_name_in_the_instance_folder(app, content, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip().splitlines()[-1])
    assert path.parent == Path(app.instance_path) / "backups"
    assert path.name.startswith("blog-") and path.name.endswith(".tar.gz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = runner.invoke(args=["backup"])
    assert Path(again.output.strip().splitlines()[-1]) != path
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def _tamper(source: Path, target: Path, member: str) -> Path:
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for info in old:
            data = old.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                data = data[:-1] + bytes([data[-1] ^ 1])
            copy = tarfile.TarInfo(info.name)
            copy.size = len(data)
            new.addfile(copy, io.BytesIO(data))
    return target


def test_a_tampered_or_truncated_archive_is_refused(
    app, content, runner, make_site, tmp_path
):
    archive = tmp_path / "good.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    users = next(t for t in manifest_of(archive).tables if t.name == "users")
    target = make_site()
    for bad in (
        _tamper(archive, tmp_path / "users.tar.gz", users.member),
        _tamper(
            archive, tmp_path / "upload.tar.gz", manifest_of(archive).upload_members[0]
        ),
    ):
        result = run(target, "restore", str(bad))
        assert result.exit_code != 0
        assert "does not match its SHA-256 checksum" in result.output
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    result = run(target, "restore", str(truncated))
    assert result.exit_code != 0 and "truncated" in result.output
    assert all(not table for table in site_rows(target).values())
    assert upload_files(target) == {}


def test_a_site_with_content_is_replaced_only_with_force(
    app, content, runner, make_site, make_user, tmp_path
):
    archive = tmp_path / "site.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    expected = site_rows(app)
    expected_files = upload_files(app)

    # The source itself, changed since: a user added, a stray upload.
    make_user(Role.AUTHOR, username="latecomer")
    stray = Uploads.of(app).folder / "stray.png"
    stray.write_bytes(png_bytes())
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "--force" in refused.output
    assert f"users ({len(expected['users']) + 1} rows)" in refused.output
    assert stray.exists()

    forced = runner.invoke(args=["restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output
    assert site_rows(app) == expected
    assert upload_files(app) == expected_files
    # New rows get fresh ids (sequences moved past the restored ones).
    again = make_user(Role.AUTHOR, username="after-restore")
    assert again.id > max(key[0] for key in expected["users"])

    # An empty site with only an upload file is not empty either.
    target = make_site()
    (Uploads.of(target).folder).mkdir(parents=True)
    (Uploads.of(target).folder / "old.png").write_bytes(b"old")
    result = run(target, "restore", str(archive))
    assert result.exit_code != 0 and "1 upload file(s)" in result.output
    assert run(target, "restore", str(archive), "--force").exit_code == 0
    assert upload_files(target) == expected_files


def test_a_migrated_site_is_rebuilt_by_the_migrations(
    app, make_user, make_post, runner, make_site, tmp_path
):
    with app.app_context():
        empty_database()
        upgrade()
        with db.engine.connect() as connection:
            head = portable.alembic_revision(connection)
    assert head is not None
    make_post("Migrated", author=make_user(Role.ADMIN))
    archive = tmp_path / "migrated.tar.gz"
    result = runner.invoke(args=["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    manifest = manifest_of(archive)
    assert manifest.alembic_revision == head == manifest.code_revision

    target = make_site(tables=False)  # no schema at all
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    with target.app_context(), db.engine.connect() as connection:
        assert portable.alembic_revision(connection) == head
    assert site_rows(target) == site_rows(app)


def insert_filled(connection: Connection, name: str, **values: Any) -> None:
    """Insert a row into ``name`` as the database has it now (reflected),
    filling required columns not given with placeholder values."""
    table = Table(name, MetaData(), autoload_with=connection)
    row = dict(values)
    for column in table.columns:
        if (
            column.name in row
            or column.nullable
            or column.primary_key
            or column.server_default is not None
        ):
            continue
        kind = column.type.python_type
        if kind is str:
            length = getattr(column.type, "length", None) or 32
            row[column.name] = uuid.uuid4().hex[:length]
        else:
            row[column.name] = {
                int: 0,
                bool: False,
                datetime: datetime(2020, 1, 2, 3, 4, 5),
                dict: {},
            }[kind]
    connection.execute(insert(table), [row])


@pytest.fixture
def drop_every_table(app: Flask) -> Iterator[None]:
    """After the test, drop the tables the models do not know as well (the
    ``app`` fixture drops the models' own; on PostgreSQL a leftover foreign
    key would stop it)."""
    yield
    with app.app_context(), db.engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(bind=connection)
        metadata.drop_all(bind=connection)


def test_an_older_backup_is_upgraded_after_loading(
    app, runner, make_site, tmp_path, drop_every_table
):
    """A backup taken at migration 0003 is loaded at 0003, then 0004 moves its
    ``comment_events`` into ``comment_log_entries``."""
    with app.app_context():
        empty_database()
        upgrade(revision="0003")
        with db.engine.begin() as connection:
            insert_filled(connection, "users", id=1, role="admin")
            insert_filled(
                connection, "posts", id=1, author_id=1, kind="article", status="draft"
            )
            insert_filled(
                connection,
                "comments",
                id=1,
                post_id=1,
                status="approved",
                spam_check="ham",
                submitted={"comment_content": "Old"},
            )
            insert_filled(
                connection,
                "comment_events",
                id=7,
                comment_id=1,
                actor_id=1,
                action="approved",
                note="looked fine",
            )
    archive = tmp_path / "old.tar.gz"
    result = runner.invoke(args=["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    manifest = manifest_of(archive)
    assert manifest.alembic_revision == "0003"
    assert "comment_events" in {table.name for table in manifest.tables}

    target = make_site(tables=False)
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "Upgraded the schema to migration" in restored.output
    rows = site_rows(target)
    assert "comment_events" not in rows
    (entry,) = rows["comment_log_entries"].values()
    assert (entry["id"], entry["action"], entry["note"]) == (
        7,
        "approved",
        "looked fine",
    )
    with target.app_context(), db.engine.connect() as connection:
        assert portable.alembic_revision(connection) == manifest.code_revision


@pytest.mark.parametrize("app_config", ["sqlite"], indirect=True)
@needs_postgres
def test_a_sqlite_backup_restores_into_postgresql(
    app, content, runner, make_site, tmp_path
):
    archive = tmp_path / "sqlite.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    assert manifest_of(archive).database_kind == "sqlite"
    target = make_site("postgresql")
    result = run(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "portable dump" in result.output
    assert site_rows(target) == snapshot_rows(archive, tmp_path) == site_rows(app)
    assert upload_files(target) == upload_files(app)
    # PostgreSQL's sequences continue after the restored ids.
    with target.app_context():
        user = User(
            username="next",
            email="next@example.org",
            display_name="Next",
            slug="next",
            role=Role.AUTHOR,
            password_hash="x",
        )
        db.session.add(user)
        db.session.commit()
        assert user.id > max(key[0] for key in site_rows(app)["users"])


@needs_postgres
def test_a_postgresql_backup_restores_into_sqlite(
    app, content, runner, make_site, tmp_path
):
    archive = tmp_path / "postgresql.tar.gz"
    result = runner.invoke(args=["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    manifest = manifest_of(archive)
    assert manifest.database_kind == "postgresql"
    target = make_site("sqlite")
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert site_rows(target) == site_rows(app)
    assert upload_files(target) == upload_files(app)


@needs_postgres
def test_pg_dump_shares_the_snapshot_or_is_skipped(
    app, content, runner, tmp_path, monkeypatch
):
    archive = tmp_path / "native.tar.gz"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    manifest = manifest_of(archive)
    if manifest.native_member is None:
        pytest.skip(f"no usable pg_dump here: {manifest.notes}")
    assert manifest.native_member == "database/postgresql.dump"
    with tarfile.open(archive, "r:gz") as tar:
        dump = tar.extractfile(manifest.native_member).read()  # type: ignore[union-attr]
    (tmp_path / "pg.dump").write_bytes(dump)
    listing = subprocess.run(
        ["pg_restore", "--list", str(tmp_path / "pg.dump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE DATA" in listing and " comments " in listing

    # Without pg_dump the archive holds the portable dump alone, and says so.
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = runner.invoke(args=["backup", "-o", str(tmp_path / "portable.tar.gz")])
    assert result.exit_code == 0, result.output
    assert "pg_dump is not on PATH" in result.output
    fallback = manifest_of(tmp_path / "portable.tar.gz")
    assert fallback.native_member is None
    assert json.loads(fallback.to_json())["database"]["native"] is None
