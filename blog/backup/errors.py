"""What can go wrong with a backup, in words for the person at the shell."""

from __future__ import annotations


class BackupError(Exception):
    """A backup could not be written, or an archive could not be restored."""


class ArchiveInvalid(BackupError):
    """The archive is truncated, tampered with, or not a blog backup."""


class TargetNotEmpty(BackupError):
    """The site to restore into already has content (and ``--force`` was not given)."""
