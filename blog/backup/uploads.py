"""The uploads folder in a backup: listing its files, and putting restored
ones in place.

Restored files are first written to a hidden folder *inside* the uploads
folder (same file system even when uploads is a mount or a symlink), then
moved into place one by one with an atomic rename, after the database has
been restored.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path, PurePosixPath

from blog.backup.manifest import UPLOADS_PREFIX

#: Hidden folders restore works in; never backed up, never "content".
STAGING_PREFIX = ".restoring-"


def files(folder: Path) -> list[tuple[str, Path]]:
    """``(relative POSIX name, path)`` of every regular file, sorted.

    Symbolic links are not followed: they point outside what the site owns.
    """
    if not folder.is_dir():
        return []
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(STAGING_PREFIX)
            and not (Path(root) / name).is_symlink()
        )
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(folder).as_posix(), path))
    return found


def member_name(relative: str) -> str:
    return f"{UPLOADS_PREFIX}{relative}"


class Staging:
    """A hidden folder in ``folder`` that restored files are written to."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
        self.path.mkdir()

    def destination(self, member: str) -> Path:
        """Where ``uploads/<name>`` is written (the name was checked safe)."""
        relative = PurePosixPath(member.removeprefix(UPLOADS_PREFIX))
        return self.path.joinpath(*relative.parts)

    def commit(self) -> int:
        """Move the staged files into the uploads folder, deleting the files
        the backup does not have. Returns the number of files restored."""
        staged = files(self.path)
        keep = {relative for relative, _ in staged}
        for relative, path in files(self.folder):
            if relative not in keep:
                path.unlink(missing_ok=True)
        for relative, path in staged:
            target = self.folder.joinpath(*PurePosixPath(relative).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        self.discard()
        return len(staged)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
