"""Finding a ``pg_dump`` that can dump the server, without leaking passwords."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy.engine import make_url

from blog.backup import postgres


def test_major_version():
    assert postgres.major_version("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0)") == 15
    assert postgres.major_version("pg_dump (PostgreSQL) 9.6.24") == 9
    assert postgres.major_version("something else") is None


def test_the_password_goes_to_the_environment_not_the_command_line():
    url = make_url("postgresql+psycopg://blog:s3cr%40t@db.example:5433/site")
    target, environment = postgres.libpq_target(url)
    assert target == "postgresql://blog@db.example:5433/site"
    assert environment["PGPASSWORD"] == "s3cr@t"


def _fake_pg_dump(folder, version: str) -> None:  # type: ignore[no-untyped-def]
    script = folder / "pg_dump"
    script.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_an_older_pg_dump_is_not_used(tmp_path, monkeypatch):
    _fake_pg_dump(tmp_path, "13.4")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(postgres.DumpSkipped, match="pg_dump 13 cannot dump"):
        postgres.find_pg_dump(16)
    executable, line = postgres.find_pg_dump(13)
    assert executable == os.path.join(tmp_path, "pg_dump") and "13.4" in line


def test_no_pg_dump(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(postgres.DumpSkipped, match="not on PATH"):
        postgres.find_pg_dump(15)
