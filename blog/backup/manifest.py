"""The manifest: what an archive holds, and the SHA-256 of every other member.

It is written last (``manifest.json``), once every member's checksum is
known; an archive cut short therefore always lacks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from blog.backup.errors import ArchiveInvalid

MANIFEST_NAME = "manifest.json"
FORMAT = "blog-backup"
FORMAT_VERSION = 1
#: Where members live inside the archive.
DATABASE_PREFIX = "database/"
TABLES_PREFIX = "database/tables/"
UPLOADS_PREFIX = "uploads/"


@dataclass(frozen=True)
class Digest:
    size: int
    sha256: str


@dataclass(frozen=True)
class TableEntry:
    """One table of the portable dump: a JSON Lines member, one row a line."""

    name: str
    member: str
    columns: tuple[str, ...]
    #: Columns holding JSON, stored as their JSON text (SQL NULL stays null).
    json_columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Manifest:
    created_at: str
    app_version: str
    #: The SQLAlchemy dialect name: ``sqlite`` or ``postgresql``.
    database_kind: str
    server_version: str
    #: The Alembic revision the database was at (``None``: not migrated).
    alembic_revision: str | None
    #: The migration head of the code that wrote the backup.
    code_revision: str | None
    tables: tuple[TableEntry, ...]
    #: The database's own copy (SQLite file, or ``pg_dump`` custom format).
    native_member: str | None = None
    native_tool: str | None = None
    notes: tuple[str, ...] = ()
    members: dict[str, Digest] = field(default_factory=dict)

    @property
    def upload_members(self) -> list[str]:
        return sorted(name for name in self.members if name.startswith(UPLOADS_PREFIX))

    @property
    def total_rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "database": {
                "kind": self.database_kind,
                "server_version": self.server_version,
                "alembic_revision": self.alembic_revision,
                "code_revision": self.code_revision,
                "native": (
                    {"member": self.native_member, "tool": self.native_tool}
                    if self.native_member
                    else None
                ),
                "tables": [
                    {
                        "name": table.name,
                        "member": table.member,
                        "columns": list(table.columns),
                        "json_columns": list(table.json_columns),
                        "rows": table.rows,
                    }
                    for table in self.tables
                ],
            },
            "notes": list(self.notes),
            "files": self.upload_members,
            "members": {
                name: {"size": digest.size, "sha256": digest.sha256}
                for name, digest in sorted(self.members.items())
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse a manifest.

        :raises ArchiveInvalid: not JSON, another format, a newer format
            version, or a field missing or of the wrong type.
        """
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ArchiveInvalid(f"The manifest is not valid JSON: {error}") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ArchiveInvalid("This archive is not a blog backup (no manifest).")
        version = data.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise ArchiveInvalid(
                f"This backup has format version {version!r}; this version of the "
                f"blog reads up to {FORMAT_VERSION}. Upgrade the blog to restore it."
            )
        try:
            database = data["database"]
            native = database["native"] or {}
            return cls(
                created_at=str(data["created_at"]),
                app_version=str(data["app_version"]),
                database_kind=str(database["kind"]),
                server_version=str(database["server_version"]),
                alembic_revision=_optional_str(database["alembic_revision"]),
                code_revision=_optional_str(database["code_revision"]),
                tables=tuple(_table(entry) for entry in database["tables"]),
                native_member=_optional_str(native.get("member")),
                native_tool=_optional_str(native.get("tool")),
                notes=tuple(str(note) for note in data["notes"]),
                members={
                    str(name): Digest(int(entry["size"]), str(entry["sha256"]))
                    for name, entry in data["members"].items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ArchiveInvalid(f"The manifest is incomplete: {error!r}") from error


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _table(entry: dict[str, Any]) -> TableEntry:
    return TableEntry(
        name=str(entry["name"]),
        member=str(entry["member"]),
        columns=tuple(str(name) for name in entry["columns"]),
        json_columns=tuple(str(name) for name in entry["json_columns"]),
        rows=int(entry["rows"]),
    )
