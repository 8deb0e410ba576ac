"""Tools → Import: an admin uploads a WordPress export, the import runs in a
background thread of the test process (against the test's SQLite file), the
run's page shows its progress and then its summary."""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from blog.extensions import db
from blog.importing import runs
from blog.importing.options import ImportOptions
from blog.models import ImportRun, ImportState, Post, PostKind, Role, User, utcnow
from tests.conftest import PASSWORD
from tests.functional.importing.helpers import FIXTURE

URL = "/dashboard/tools/import/"
RUN_URL = re.compile(r"/dashboard/tools/import/(\d+)/$")


@pytest.fixture(autouse=True)
def _no_import_left_running() -> Iterator[None]:
    """Every run's thread ends before the test's database is dropped."""
    yield
    for thread in threading.enumerate():
        if thread.name.startswith("import-run-"):
            thread.join(60)


@pytest.fixture
def admin(make_user, auth) -> User:
    user = make_user(Role.ADMIN, "boss", display_name="Boss Person")
    auth.login("boss")
    return user


def upload(client, content: bytes, name: str = "export.xml", **fields: object):
    """POST the form; encoded here, in memory (the test client would spool a
    large body to a temporary file that nothing closes)."""
    file = FileStorage(io.BytesIO(content), filename=name)
    data = {"file": file, "author_role": "author", **fields}
    boundary, body = encode_multipart(data)
    return client.post(
        URL, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def started(response) -> int:
    """The run a successful upload redirected to."""
    assert response.status_code == 303, response.status_code
    match = RUN_URL.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def finished(app, run_id: int, timeout: float = 60) -> ImportRun:
    """The run once its thread has finished (done or failed)."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            run = db.session.get(ImportRun, run_id)
            assert run is not None
            if run.state in (ImportState.DONE, ImportState.FAILED):
                db.session.expunge(run)
                return run
        assert time.monotonic() < deadline, f"run still {run.state} after {timeout} s"
        time.sleep(0.05)


def post_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Post.id))) or 0


def add_run(app, admin: User, **fields: object) -> int:
    """A run row as a worker would have left it."""
    with app.app_context():
        run = ImportRun(
            filename="old-site.xml",
            stored_path=str(Path(app.instance_path) / "imports" / "gone.xml"),
            options={"dry_run": False, "author_role": "author"},
            started_by_id=admin.id,
            **fields,
        )
        db.session.add(run)
        db.session.commit()
        return run.id


def test_anonymous_visitors_are_sent_to_log_in(client, make_user):
    make_user(Role.ADMIN)  # a site that is set up
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_editors_may_not_import(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    assert client.get(URL).status_code == 403
    assert upload(client, FIXTURE.read_bytes()).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportRun.id))) == 0


def test_the_import_screen(client, admin):
    page = client.get(URL).get_data(as_text=True)
    assert "<h1>Import from WordPress</h1>" in page
    assert "Tools → Export" in page and "Download Export File" in page
    assert "flask --app blog import wordpress FILE.xml --uploads DIR" in page
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<label for="file">WordPress export file \(\.xml\)</label>', page)
    assert re.search(r'<input type="file" id="file" name="file"', page)
    assert '<label for="author_role">Role for imported authors</label>' in page
    roles = re.search(r'<select[^>]*name="author_role".*?</select>', page, re.S)
    assert roles is not None
    options = re.findall(r'<option[^>]*value="(\w+)"', roles.group(0))
    assert options == ["editor", "author", "contributor"]
    assert re.search(
        r'<option selected value="author"|<option[^>]*value="author"[^>]*selected',
        roles.group(0),
    )
    assert "Skip pingbacks and trackbacks" in page
    assert "Dry run: report what would happen, change nothing" in page
    assert re.search(r'<button type="submit"[^>]*>Import</button>', page)
    assert "No imports yet." in page


def test_no_file_gets_a_message_next_to_the_field(app, client, admin):
    response = client.post(URL, data={"author_role": "editor", "dry_run": "y"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        '<p class="error" id="file-error">Choose the export file to import.</p>' in page
    )
    assert re.search(
        r'<option[^>]*selected[^>]*value="editor"|value="editor" selected', page
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportRun.id))) == 0


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_the_form_needs_its_csrf_token(app, client, make_user):
    make_user(Role.ADMIN, "boss")
    login_page = client.get("/login").get_data(as_text=True)
    login_token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', login_page
    )
    assert login_token is not None
    login = {"login": "boss", "password": PASSWORD, "csrf_token": login_token.group(1)}
    assert client.post("/login", data=login).status_code == 302
    response = upload(client, b"<rss/>", dry_run="y")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This form had expired" in page
    assert "Choose the file again" in page
    assert re.search(
        r'id="dry_run" name="dry_run" type="checkbox" value="y"|checked', page
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportRun.id))) == 0
    run = finished(app, started(upload(client, b"<rss/>", csrf_token=csrf_token(page))))
    assert run.state == ImportState.FAILED  # it ran: the file is no export


def test_the_theme_unit_test_file_imports(app, client, admin):
    run_id = started(upload(client, FIXTURE.read_bytes(), "themeunittestdata.xml"))
    run = finished(app, run_id)
    assert run.state == ImportState.DONE, run.error
    assert not Path(run.stored_path).exists()  # the upload is deleted
    assert run.summary["counts"]["posts"]["created"] == 58  # 56 + 1 future + 1 draft
    with app.app_context():
        post = db.session.scalar(
            select(Post).where(Post.title == "Markup: HTML Tags and Formatting")
        )
        assert post is not None and post.kind == PostKind.ARTICLE

    page = client.get(f"{URL}{run_id}/").get_data(as_text=True)
    assert "Import finished." in page
    assert 'http-equiv="refresh"' not in page
    row = re.search(r'<th scope="row">Posts</th>\s*<td[^>]*>(\d+)</td>', page)
    assert row is not None and row.group(1) == "58"
    assert '<th scope="col">Already imported</th>' in page
    assert 'href="/dashboard/tools/redirects/"' in page

    listing = client.get(URL).get_data(as_text=True)
    assert f'href="{URL}{run_id}/"><bdi>themeunittestdata.xml</bdi></a>' in listing
    assert "Done" in listing and "Boss Person" in listing


def test_a_file_that_is_not_an_export_fails_with_a_message(app, client, admin):
    run_id = started(upload(client, b"just some words, not XML\n", "notes.xml"))
    run = finished(app, run_id)
    assert run.state == ImportState.FAILED
    assert run.error.startswith("This file is not a WordPress export (WXR)")
    assert not Path(run.stored_path).exists()
    page = client.get(f"{URL}{run_id}/").get_data(as_text=True)
    assert "The import failed." in page
    assert "This file is not a WordPress export (WXR)" in page


def test_a_dry_run_changes_nothing(app, client, admin):
    before = post_count(app)
    response = upload(client, FIXTURE.read_bytes(), dry_run="y")
    run = finished(app, started(response))
    assert run.state == ImportState.DONE, run.error
    assert run.summary["dry_run"] is True
    assert run.summary["counts"]["posts"]["created"] == 58
    assert post_count(app) == before
    with app.app_context():  # only the admin: no imported author
        assert db.session.scalar(select(func.count(User.id))) == 1
    page = client.get(f"{URL}{run.id}/").get_data(as_text=True)
    assert "Dry run: nothing was changed." in page
    assert '<th scope="col">Would be created</th>' in page


@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": 64 * 1024}])
def test_exports_may_be_larger_than_other_uploads(app, client, admin):
    assert FIXTURE.stat().st_size > 64 * 1024
    run = finished(app, started(upload(client, FIXTURE.read_bytes())))
    assert run.state == ImportState.DONE, run.error


@pytest.mark.parametrize("app_config", [{"IMPORT_MAX_BYTES": 1024 * 1024}])
def test_a_file_over_the_import_limit_is_refused(app, client, admin):
    response = upload(client, b"<rss>" + b" " * (1024 * 1024) + b"</rss>")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert '<p class="error" id="file-error">The file is larger than 1 MB.</p>' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportRun.id))) == 0


def test_a_running_import_shows_its_progress(app, client, admin):
    run_id = add_run(
        app, admin, state=ImportState.RUNNING, bytes_total=1000, bytes_done=420
    )
    page = client.get(f"{URL}{run_id}/").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Reading the file: 42%" in page
    assert re.search(r'<progress[^>]*max="1000" value="420"', page)
    data = client.get(f"{URL}{run_id}.json").get_json()
    assert data["state"] == "running" and data["percent"] == 42 and data["live"]


def test_a_run_whose_heartbeat_stopped_is_shown_as_stopped(app, client, admin):
    run_id = add_run(
        app,
        admin,
        state=ImportState.RUNNING,
        bytes_total=1000,
        bytes_done=420,
        updated_at=utcnow() - timedelta(minutes=5),
    )
    page = client.get(f"{URL}{run_id}/").get_data(as_text=True)
    assert "stopped (the server restarted?)" in page
    assert "Run the import again: items already imported are skipped." in page
    assert 'http-equiv="refresh"' not in page
    assert "<progress" not in page
    assert "Stopped (the server restarted?)" in client.get(URL).get_data(as_text=True)
    # The next import retires it, and its file is gone.
    stored = Path(app.instance_path) / "imports" / "gone.xml"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"<rss/>")
    finished(app, started(upload(client, b"not xml")))
    with app.app_context():
        stopped = db.session.get(ImportRun, run_id)
        assert stopped.state == ImportState.FAILED
        assert "server restarted" in stopped.error
    assert not stored.exists()


def test_an_unexpected_error_is_logged_and_named(app, admin, caplog):
    run_id = add_run(app, admin, state=ImportState.QUEUED)  # its file is missing
    with caplog.at_level(logging.ERROR, logger="blog.importing.runs"):
        with app.app_context():
            runs.run_import(run_id)
    run = finished(app, run_id, timeout=0)
    assert run.state == ImportState.FAILED
    assert run.error == "The import stopped: FileNotFoundError"
    assert any(record.exc_info for record in caplog.records)


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_progress_is_written_at_most_once_a_second(app, admin, dry_run):
    run_id = add_run(app, admin, state=ImportState.RUNNING, bytes_total=10)
    with app.app_context():
        write = runs.progress_writer(run_id, ImportOptions(dry_run=dry_run))
        write(30, 200)
        write(60, 200)  # too soon: not written
        db.session.rollback()
        silent = dry_run and db.engine.dialect.name == "sqlite"
        run = db.session.get(ImportRun, run_id)
        # A dry run on SQLite holds the write lock: it shows progress at the end.
        expected = (0, 10) if silent else (30, 200)
        assert (run.bytes_done, run.bytes_total) == expected


def test_an_unknown_run_is_not_found(client, admin):
    assert client.get(f"{URL}999/").status_code == 404
    assert client.get(f"{URL}999.json").status_code == 404
