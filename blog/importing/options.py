"""How an import is asked for: the same from the command line and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from blog.models import Role


@dataclass
class ImportOptions:
    #: A copy of the old site's ``wp-content/uploads``; ``None``: no files.
    uploads_dir: Path | None = None
    #: Report what would happen; change nothing.
    dry_run: bool = False
    #: The role of the users made from the export's authors.
    author_role: Role = Role.AUTHOR
    #: Leave pingbacks and trackbacks out (counted as skipped).
    skip_pingbacks: bool = False
