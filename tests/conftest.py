"""Fixtures shared by every test: a fresh app and database per test, factories.

The suite runs on SQLite by default and on PostgreSQL when
``BLOG_TEST_DATABASE_URL`` is set (``make test`` does both when it can).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.exc import ProgrammingError
from werkzeug.routing.rules import Rule
from werkzeug.serving import make_server

from blog import create_app
from blog.accounts import passwords
from blog.accounts.users import render_bio
from blog.extensions import db
from blog.models import Post, Role, User, utcnow
from blog.posts import publishing

# Tests check passwords thousands of times: the same argon2id, cheaply
# (the library's own parameters take a third of a second per check here).
passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = passwords.hash_password(PASSWORD)

# Tests make thousands of apps, and four fifths of making one was Werkzeug
# writing and compiling the same URL-building function for each of the
# site's hundreds of rules again. The function depends only on the rule's
# parsed parts and defaults (it takes the rule as its first argument), so
# one per distinct rule serves every app of the process.
_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Callable[..., Any]] = {}


def _shared_builder(self: Rule, append_unknown: bool = True) -> Callable[..., Any]:
    key = (
        append_unknown,
        self.rule,
        tuple(self._trace),
        tuple((name, type(conv)) for name, conv in self._converters.items()),
        tuple((name, repr(value)) for name, value in (self.defaults or {}).items()),
    )
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


Rule._compile_builder = _shared_builder  # type: ignore[method-assign]


class _SharedTemplateCode(BytecodeCache):
    """Each app has its own Jinja environment, which compiled every
    template again: the compiled code, kept in memory for every app of the
    process (keyed by the template's source, so an edited one is compiled
    anew)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _SharedTemplateCode()
pytest_plugins = [
    "tests.fixtures_comments",
    "tests.fixtures_events",
    "tests.fixtures_pages",
]
KEEP_ENV = {"BLOG_TEST_DATABASE_URL", "BLOG_REQUIRE_BROWSER", "BLOG_UPDATE_SCREENSHOTS"}


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``BLOG_*`` variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("BLOG_") and name not in KEEP_ENV:
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def postgres_schema(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """On PostgreSQL, one schema for this test process (an xdist worker), so
    parallel workers share the database without seeing each other's tables.
    ``None`` on SQLite, where every test has a file of its own."""
    url = os.environ.get("BLOG_TEST_DATABASE_URL")
    if not url:
        yield None
        return
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    schema = f"t_{worker}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield schema
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def database_config(tmp_path, schema: str | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """SQLite in the test's folder, or the worker's schema on PostgreSQL."""
    url = os.environ.get("BLOG_TEST_DATABASE_URL")
    if not url or schema is None:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'blog.sqlite3'}"}
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "connect_args": {"options": f"-csearch_path={schema}"}
        },
    }


def empty_database() -> None:
    """Drop every table, Alembic's bookkeeping too (tests share a schema on
    PostgreSQL, and a migration test leaves ``alembic_version`` behind)."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _delete_every_row() -> bool:
    """PostgreSQL: ``DELETE`` every row of the models' tables (foreign-key
    triggers off, as a superuser may) and restart the sequences used, as
    ``TRUNCATE ... RESTART IDENTITY`` does; ``False`` when not allowed.

    ``TRUNCATE`` makes new files for every table and index (a fifth of a
    second a test); deleting the few rows a test left takes milliseconds.
    """
    try:
        with db.engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            used = connection.execute(
                text(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)"
                    " FROM pg_sequences WHERE schemaname = current_schema()"
                    " AND last_value IS NOT NULL"
                )
            ).scalars()
            for sequence in list(used):
                connection.execute(
                    text("SELECT setval(CAST(:name AS regclass), 1, false)"),
                    {"name": sequence},
                )
    except ProgrammingError:  # not a superuser: no session_replication_role
        return False
    return True


def reset_database() -> None:
    """An empty database with exactly the models' tables.

    On PostgreSQL, where every test of a worker shares one schema and DDL
    is slow (and bloats the catalog), the previous test's rows are deleted
    when the tables are exactly the models' (else one ``TRUNCATE``); anything
    else (a migration test's leftovers, ``alembic_version``, dropped tables)
    is rebuilt. SQLite has a new file per test.
    """
    if db.engine.dialect.name == "postgresql":
        existing = set(inspect(db.engine).get_table_names())
        if existing == set(db.metadata.tables):
            if _delete_every_row():
                return
            names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
    empty_database()
    db.create_all()


#: What the PostgreSQL run takes: the tests whose subject a database engine
#: could change (queries, concurrency, upserts and conditional updates,
#: search, dates and numbers at the ends of their ranges, migrations,
#: backups, paging, text with NUL bytes). Pages, forms and permissions are
#: the same Python on either engine; the SQLite run has tried them all.
ENGINE_PATHS = (
    "tests/functional/comments/",
    "tests/functional/search/",
    "tests/functional/importing/",
    "tests/functional/events/test_extreme_dates.py",
    "tests/functional/posts/test_date_range.py",
    "tests/functional/posts/test_dashboard.py",
    "tests/functional/posts/test_paging.py",
    "tests/functional/posts/test_revisions.py",
    "tests/functional/posts/test_scheduled_visibility.py",
    "tests/functional/posts/test_untrusted_text.py",
    "tests/functional/pages/test_nested_pages.py",
    "tests/functional/feeds/test_feed_queries.py",
    "tests/functional/accounts/test_login_throttling.py",
    "tests/functional/test_backup.py",
    "tests/functional/test_malformed_input.py",
    "tests/functional/test_migrations.py",
    "tests/functional/test_outbox.py",
    "tests/functional/test_page_cache.py",
    "tests/functional/test_privacy_tools.py",
    "tests/functional/test_query_counts.py",
    "tests/functional/test_redirects.py",
    "tests/functional/test_request_numbers.py",
    "tests/unit/test_database.py",
    "tests/unit/accounts/test_sessions.py",
    "tests/unit/accounts/test_throttling.py",
    "tests/unit/posts/test_revisions.py",
    "tests/unit/search/",
    "tests/unit/site/test_cache_version.py",
)


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """On PostgreSQL, run only what a database engine could change: tests
    that use the ``app`` or ``module_app`` (and so a database) under
    :data:`ENGINE_PATHS`, less those marked ``engine_independent`` (rules
    that merely sit beside them). The SQLite run has already run everything."""
    if not os.environ.get("BLOG_TEST_DATABASE_URL"):
        return
    kept, left_out = [], []
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        uses_database = "app" in fixtures or "module_app" in fixtures
        independent = item.get_closest_marker("engine_independent") is not None
        engine_subject = item.nodeid.startswith(ENGINE_PATHS)
        wanted = uses_database and engine_subject and not independent
        (kept if wanted else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra settings for the ``app`` fixture; override in a test module."""
    return {}


def _base_config(tmp_path, schema: str | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        **database_config(tmp_path, schema),
        "WTF_CSRF_ENABLED": False,
        "SITE_URL": "http://localhost",
        "AKISMET_API_KEY": "",
        "MAIL_SERVER": "",
        # The limiter is one object per process; tests that need it enable it.
        "RATELIMIT_ENABLED": False,
    }


def _make_app(tmp_path, config: dict[str, Any]) -> Flask:  # type: ignore[no-untyped-def]
    # Made before the test's own fixtures too (once per module or process):
    # no ``BLOG_*`` variable of the developer's shell reaches it either.
    with pytest.MonkeyPatch.context() as environment:
        for name in list(os.environ):
            if name.startswith("BLOG_") and name not in KEEP_ENV:
                environment.delenv(name)
        environment.setenv("BLOG_INSTANCE_PATH", str(tmp_path / "instance"))
        app = create_app(config)
    app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    return app


@pytest.fixture(scope="session")
def sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, postgres_schema: str | None
) -> Path | None:
    """On SQLite, one database file with exactly the models' tables, made
    once per test process: each test's ``app`` starts from a copy of it
    (creating the tables anew took longer than most tests). ``None`` on
    PostgreSQL, where :func:`reset_database` empties the worker's schema."""
    if postgres_schema is not None:
        return None
    folder = tmp_path_factory.mktemp("template")
    app = _make_app(folder, _base_config(folder, None))
    with app.app_context():
        reset_database()
        db.session.remove()
        db.engine.dispose()  # the last connection folds the WAL into the file
    path = folder / "blog.sqlite3"
    assert not path.with_name(path.name + "-wal").exists()
    return path


@contextmanager
def _serving(
    folder: Path,
    overrides: dict[str, Any],
    schema: str | None,
    template: Path | None,
) -> Iterator[Flask]:
    """The test app in ``folder``, on an empty database, until closed."""
    config = _base_config(folder, schema)
    default_uri = config["SQLALCHEMY_DATABASE_URI"]
    config.update(overrides)
    # Its own SQLite file, as the template made it; any other database
    # (PostgreSQL, or a test's own choice) is emptied and made as usual.
    copied = template is not None and config["SQLALCHEMY_DATABASE_URI"] == default_uri
    if copied:
        shutil.copyfile(template, folder / "blog.sqlite3")
    app = _make_app(folder, config)
    if not copied:
        with app.app_context():
            reset_database()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if copied:
            # Thousands of full database files would fill pytest's kept folders.
            for suffix in ("", "-wal", "-shm"):
                (folder / f"blog.sqlite3{suffix}").unlink(missing_ok=True)


@pytest.fixture
def app(
    tmp_path,
    app_config: dict[str, Any],
    postgres_schema: str | None,
    sqlite_template: Path | None,
) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    with _serving(tmp_path, app_config, postgres_schema, sqlite_template) as app:
        yield app


@pytest.fixture(scope="module")
def module_app(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_schema: str | None,
    sqlite_template: Path | None,
) -> Iterator[Flask]:
    """One app and database for the tests of a module that only read what
    a module-scoped fixture made once (an import, a big site): no ``app``
    of their own. On PostgreSQL, every ``app`` empties the worker's schema,
    so a module's tests that use ``app`` come after those that use this."""
    folder = tmp_path_factory.mktemp("module")
    with _serving(folder, {}, postgres_schema, sqlite_template) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def add_user(app: Flask, role: Role | str, username: str, **fields: Any) -> User:
    """A user of ``app`` (password :data:`PASSWORD`), detached."""
    if "bio" in fields and "bio_html" not in fields:
        fields["bio_html"] = render_bio(fields["bio"])  # as the services do
    with app.app_context():
        user = User(
            username=username,
            email=fields.pop("email", f"{username}@example.org"),
            display_name=fields.pop("display_name", username.title()),
            slug=fields.pop("slug", username.lower()),
            role=Role(role),
            password_hash=_PASSWORD_HASH,
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    return user


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: Role | str = Role.EDITOR, username: str | None = None, **fields: Any
    ) -> User:
        n = next(counter)
        return add_user(app, role, username or f"{Role(role).value}{n}", **fields)

    return make


@pytest.fixture
def make_post(app: Flask, make_user: Callable[..., User]) -> Callable[..., Post]:
    """Save a post through the real publishing service (rendered on save)."""

    def make(
        title: str = "Hello world",
        body: str = "Some *text*.",
        author: User | None = None,
        publish: bool = True,
        days_ago: float = 1,
        **fields: Any,
    ) -> Post:
        author = author or make_user(Role.ADMIN)
        with app.app_context():
            actor = db.session.get(User, author.id)
            data = publishing.PostInput(
                title=title,
                body=body,
                publish_at=utcnow() - timedelta(days=days_ago) if publish else None,
                **fields,
            )
            action = (
                publishing.SaveAction.PUBLISH
                if publish
                else publishing.SaveAction.DRAFT
            )
            post = publishing.save_post(actor, data, action=action)
            db.session.refresh(post)
            _ = post.terms, post.author
            db.session.expunge_all()
        return post

    return make


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user: User | str, password: str = PASSWORD, **kwargs: Any):  # type: ignore[no-untyped-def]
        username = user if isinstance(user, str) else user.username
        return self.client.post(
            "/login", data={"login": username, "password": password, **kwargs}
        )

    def logout(self):  # type: ignore[no-untyped-def]
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


#: Statements that are not queries: transactions and SQLite's pragmas.
NOT_QUERIES = ("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")


def record_queries(engine: Any, statements: list[str]) -> Callable[..., None]:
    """Append every query ``engine`` runs from now on to ``statements``;
    returns the listener (``event.remove(engine, "before_cursor_execute", it)``)."""

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(NOT_QUERIES):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return record


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as counter: ...`` then ``counter.count``."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        record = record_queries(engine, counter.statements)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        # Stopping waits for the loop's next look (0.5 s by default).
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The app served over real HTTP on 127.0.0.1, for browser tests."""
    with LiveServer(app) as server:
        yield server
