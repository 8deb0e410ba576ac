"""Imports started from the dashboard (Tools → Import): the upload is kept
under the instance folder (never served), an :class:`ImportRun` row records
it, and a background thread runs :func:`import_wordpress` on it, writing
its progress (bytes read) and a heartbeat as it goes, then the summary or
the error. The file is deleted at the end, whatever happened.

A run is a thread of the worker that received the upload: if that process
stops (a restart, a deploy), its heartbeat stops too, and the run is shown
as stopped. Importing again is safe: items already imported are skipped.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import StatementError

from blog.errors import FieldError, PermissionDenied, require
from blog.extensions import db
from blog.importing.importer import import_wordpress
from blog.importing.options import ImportOptions
from blog.importing.summary import Summary
from blog.importing.wxr import NotWordPressExport
from blog.models import ImportRun, ImportState, Role, User, utcnow
from blog.site import can_manage_settings

log = logging.getLogger(__name__)

#: A running import whose heartbeat is older than this has stopped.
STALE_AFTER = timedelta(minutes=2)
#: A dry run on SQLite holds the write lock until it ends, so it cannot
#: write its progress (:func:`progress_writer`): judged by its start.
STALE_SILENT_AFTER = timedelta(hours=2)
#: Progress is written at most this often (seconds).
PROGRESS_EVERY = 1.0
#: The largest upload, unless ``IMPORT_MAX_BYTES`` says otherwise.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: How many runs Tools → Import lists.
RECENT = 10
FILENAME_MAX = 255
_CHUNK = 1024 * 1024
_LIVE = (ImportState.QUEUED, ImportState.RUNNING)


def max_upload_bytes() -> int:
    """The largest export Tools → Import accepts (``IMPORT_MAX_BYTES``)."""
    return int(current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def imports_folder() -> Path:
    """Where uploads wait for their run: ``instance/imports`` (not served)."""
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


# -- starting ---------------------------------------------------------------


def start_import(
    actor: User, upload: BinaryIO, filename: str, options: ImportOptions
) -> ImportRun:
    """Keep ``upload`` under the instance folder, record the run and start
    it in a background thread; returns the run (queued, committed).

    :raises PermissionDenied: ``actor`` is not an administrator.
    :raises FieldError: another import is running.
    """
    require(can_manage_settings(actor))
    _retire_stopped_runs()
    if db.session.scalar(select(ImportRun.id).where(ImportRun.state.in_(_LIVE))):
        # Two imports at once would race for the same items and files.
        raise FieldError(
            "An import is already running: wait for it to finish, then try again.",
            "file",
        )
    path = _store(upload)
    try:
        run = ImportRun(
            filename=(filename.strip() or "export.xml")[:FILENAME_MAX],
            stored_path=str(path),
            options=options_json(options),
            state=ImportState.QUEUED,
            started_by_id=actor.id,
            bytes_total=path.stat().st_size,
        )
        db.session.add(run)
        db.session.commit()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    threading.Thread(
        target=run_in_background,
        args=(app, run.id),
        name=f"import-run-{run.id}",
        daemon=True,
    ).start()
    return run


def options_json(options: ImportOptions) -> dict[str, Any]:
    """What the dashboard offers of :class:`ImportOptions` (no uploads
    folder: files need the command line)."""
    return {
        "dry_run": options.dry_run,
        "author_role": options.author_role.value,
        "skip_pingbacks": options.skip_pingbacks,
    }


def _options(data: dict[str, Any]) -> ImportOptions:
    return ImportOptions(
        dry_run=bool(data.get("dry_run")),
        author_role=Role(data.get("author_role") or Role.AUTHOR.value),
        skip_pingbacks=bool(data.get("skip_pingbacks")),
    )


def _store(upload: BinaryIO) -> Path:
    """Copy the upload, a chunk at a time, to a server-chosen name."""
    path = imports_folder() / f"{secrets.token_hex(16)}.xml"
    try:
        with path.open("xb") as out:
            path.chmod(0o600)
            shutil.copyfileobj(upload, out, _CHUNK)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _retire_stopped_runs() -> None:
    """Mark runs whose worker stopped as failed, and delete their files."""
    now = utcnow()
    for run in db.session.scalars(select(ImportRun).where(ImportRun.state.in_(_LIVE))):
        if _stopped(run, now):
            run.state = ImportState.FAILED
            run.error = STOPPED_MESSAGE
            Path(run.stored_path).unlink(missing_ok=True)
    db.session.commit()


# -- running ----------------------------------------------------------------

STOPPED_MESSAGE = "The import stopped (the server restarted?)."
NOT_ADMIN_MESSAGE = (
    "The import stopped: whoever started it is no longer an administrator."
)


def run_in_background(app: Flask, run_id: int) -> None:
    """The thread's body: its own app context, hence its own session."""
    with app.app_context():
        try:
            run_import(run_id)
        finally:
            db.session.remove()


def run_import(run_id: int) -> None:
    """Run the import of ``run_id`` to its end: done with its summary, or
    failed with a message for people; the uploaded file is deleted."""
    run = db.session.get(ImportRun, run_id)
    if run is None or run.state != ImportState.QUEUED:
        return
    path, options = Path(run.stored_path), _options(run.options)
    actor = db.session.get(User, run.started_by_id) if run.started_by_id else None
    run.state = ImportState.RUNNING
    run.updated_at = utcnow()
    db.session.commit()
    try:
        if actor is None:
            raise PermissionDenied
        summary = import_wordpress(
            path, options, progress_writer(run_id, options), actor=actor
        )
    except NotWordPressExport as error:
        _finish(run_id, ImportState.FAILED, error=str(error))
    except PermissionDenied:
        _finish(run_id, ImportState.FAILED, error=NOT_ADMIN_MESSAGE)
    except Exception as error:
        if isinstance(error, StatementError):
            # Its text holds the row's values (emails, IPs, tokens): the class only.
            log.error("Import run %s stopped: %s", run_id, type(error).__name__)
        else:
            log.exception("Import run %s stopped", run_id)
        _finish(
            run_id,
            ImportState.FAILED,
            error=f"The import stopped: {type(error).__name__}",
        )
    else:
        _finish(run_id, ImportState.DONE, summary=summary)
    finally:
        path.unlink(missing_ok=True)


def _finish(
    run_id: int,
    state: ImportState,
    *,
    summary: Summary | None = None,
    error: str = "",
) -> None:
    db.session.rollback()  # whatever the importer left open
    values: dict[str, Any] = {"state": state, "error": error, "updated_at": utcnow()}
    if summary is not None:
        values["summary"] = summary.to_json()
        values["bytes_done"] = ImportRun.bytes_total
    db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(values))
    db.session.commit()


def progress_writer(run_id: int, options: ImportOptions) -> Callable[[int, int], None]:
    """The importer's progress callback: at most once a second, bytes read
    and the heartbeat, committed so that the run's page sees them.

    A real import commits as it goes, so committing its session between
    two records keeps only finished work. A dry run must keep nothing: its
    progress goes through a connection of its own, except on SQLite, where
    the dry run's one transaction holds the only write lock until it ends.
    """
    if options.dry_run and db.engine.dialect.name == "sqlite":
        return lambda done, total: None
    last = 0.0

    def write(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_EVERY:
            return
        last = now
        statement = (
            update(ImportRun)
            .where(ImportRun.id == run_id)
            .values(bytes_done=done, bytes_total=total, updated_at=utcnow())
        )
        if options.dry_run:
            with db.engine.begin() as connection:
                connection.execute(statement)
        else:
            db.session.execute(statement)
            db.session.commit()

    return write


# -- showing ----------------------------------------------------------------


@dataclass(frozen=True)
class RunStatus:
    """What the pages show of a run."""

    id: int
    filename: str
    state: ImportState
    started_by: str
    created_at: datetime
    updated_at: datetime
    bytes_done: int
    bytes_total: int
    dry_run: bool
    error: str
    #: Queued or running, but its heartbeat stopped (the server restarted?).
    stopped: bool
    #: Whether its progress is written as it goes (see :func:`progress_writer`).
    shows_progress: bool
    summary: Summary | None

    @property
    def live(self) -> bool:
        """Still queued or running (the page refreshes itself)."""
        return self.state in _LIVE and not self.stopped

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        if self.bytes_total <= 0:
            return 0
        return min(100, self.bytes_done * 100 // self.bytes_total)

    @property
    def label(self) -> str:
        """The state in words."""
        if self.stopped:
            return "stopped (the server restarted?)"
        return {
            ImportState.QUEUED: "waiting to start",
            ImportState.RUNNING: "running",
            ImportState.DONE: "done",
            ImportState.FAILED: "failed",
        }[self.state]

    def to_json(self) -> dict[str, Any]:
        """For the page's script, which polls while the run is live."""
        return {
            "id": self.id,
            "state": "stopped" if self.stopped else self.state.value,
            "label": self.label,
            "live": self.live,
            "bytes_done": self.bytes_done,
            "bytes_total": self.bytes_total,
            "percent": self.percent,
        }


def run_status(run_id: int) -> RunStatus | None:
    """The run ``run_id`` as its page shows it, or ``None``."""
    row = db.session.execute(_query().where(ImportRun.id == run_id)).first()
    return None if row is None else _status(row[0], row[1])


def recent_runs(limit: int = RECENT) -> list[RunStatus]:
    """The latest runs, newest first (without their summaries)."""
    rows = db.session.execute(
        _query().order_by(ImportRun.created_at.desc(), ImportRun.id.desc()).limit(limit)
    )
    return [_status(run, name, with_summary=False) for run, name in rows]


def _query() -> Any:
    return select(ImportRun, User.display_name).outerjoin(
        User, User.id == ImportRun.started_by_id
    )


def _status(
    run: ImportRun, name: str | None, *, with_summary: bool = True
) -> RunStatus:
    dry_run = bool((run.options or {}).get("dry_run"))
    return RunStatus(
        id=run.id,
        filename=run.filename,
        state=run.state,
        started_by=name or "(a deleted user)",
        created_at=run.created_at,
        updated_at=run.updated_at,
        bytes_done=run.bytes_done,
        bytes_total=run.bytes_total,
        dry_run=dry_run,
        error=run.error,
        stopped=_stopped(run, utcnow()),
        shows_progress=not (dry_run and db.engine.dialect.name == "sqlite"),
        summary=Summary.from_json(run.summary)
        if with_summary and run.state == ImportState.DONE
        else None,
    )


def _stopped(run: ImportRun, now: datetime) -> bool:
    """Queued or running, but silent for too long: its worker is gone."""
    if run.state not in _LIVE:
        return False
    silent = (
        bool((run.options or {}).get("dry_run")) and db.engine.dialect.name == "sqlite"
    )
    if silent and run.state == ImportState.RUNNING:
        return now - run.updated_at > STALE_SILENT_AFTER
    return now - run.updated_at > STALE_AFTER
