"""Backups: one archive (``.tar.gz``, mode 0600) holding a consistent snapshot
of the database, a portable dump of every table and the uploaded files, with
a manifest of SHA-256 checksums; and restoring such an archive into a site.

``flask --app blog backup [--output FILE]`` and ``flask --app blog restore
FILE [--force]`` (:mod:`blog.backup.cli`). Which tables are saved is read
from the live database, never from a list kept here.
"""

from blog.backup.create import BackupResult, create_backup
from blog.backup.errors import ArchiveInvalid, BackupError, TargetNotEmpty
from blog.backup.restore import RestoreResult, restore_backup

__all__ = [
    "ArchiveInvalid",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "TargetNotEmpty",
    "create_backup",
    "restore_backup",
]
