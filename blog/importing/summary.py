"""What an import did (or, with ``--dry-run``, would do), by kind: shown at
the end of the command and on the dashboard, and stored with a dashboard
run as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The kinds, in the order a summary lists them.
KINDS = (
    "authors",
    "categories",
    "tags",
    "attachments",
    "posts",
    "pages",
    "events",
    "comments",
    "menu items",
    "redirects",
)


@dataclass
class Tally:
    created: int = 0
    #: Imported before (same WordPress id or GUID): left as they are.
    existing: int = 0
    #: Left out on purpose (pingbacks when told to skip them, for example).
    skipped: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.existing + self.skipped + self.failed


@dataclass
class Summary:
    dry_run: bool = False
    counts: dict[str, Tally] = field(default_factory=dict)
    #: Items imported as not public, and why ("Title: password-protected").
    not_public: list[str] = field(default_factory=list)
    #: Attachments whose file was not found under ``--uploads`` (or no
    #: folder was given): their old URLs stay in the bodies.
    missing_files: list[str] = field(default_factory=list)
    #: What could not be imported, and why.
    failures: list[str] = field(default_factory=list)
    #: Anything else worth saying (the menu chosen, names changed...).
    notes: list[str] = field(default_factory=list)

    def tally(self, kind: str) -> Tally:
        return self.counts.setdefault(kind, Tally())

    def rows(self) -> list[tuple[str, Tally]]:
        """Each kind that saw anything, in :data:`KINDS` order."""
        order = {kind: i for i, kind in enumerate(KINDS)}
        kinds = sorted(self.counts, key=lambda k: (order.get(k, len(order)), k))
        return [(k, self.counts[k]) for k in kinds if self.counts[k].total]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        return cls(
            dry_run=bool(data.get("dry_run")),
            counts={k: Tally(**v) for k, v in (data.get("counts") or {}).items()},
            not_public=list(data.get("not_public") or []),
            missing_files=list(data.get("missing_files") or []),
            failures=list(data.get("failures") or []),
            notes=list(data.get("notes") or []),
        )

    def lines(self) -> list[str]:
        """The summary as text, for the command line."""
        verb = "would be created" if self.dry_run else "created"
        out = ["Dry run: nothing was changed." if self.dry_run else "Import finished."]
        for kind, t in self.rows():
            out.append(
                f"  {kind}: {t.created} {verb}, {t.existing} already imported, "
                f"{t.skipped} skipped, {t.failed} failed"
            )
        for title, items in (
            ("Imported as not public", self.not_public),
            ("Files not found (old addresses kept)", self.missing_files),
            ("Failed", self.failures),
            ("Notes", self.notes),
        ):
            if items:
                out.append(f"{title} ({len(items)}):")
                out.extend(f"  - {item}" for item in items)
        return out
