"""Which WordPress items were imported before, and what they became: the
record that makes an import safe to run again.

Items are matched by their WordPress id within the exported site's
address; the GUID only matches an item the export gives no id. Real
exports hold different posts with one GUID (a post copied by a plugin keeps
its original's), so a GUID alone would merge them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from blog.extensions import db
from blog.models import ImportLink


class Links:
    """The ``import_links`` of one exported site, read once at the start."""

    def __init__(self, source_site: str) -> None:
        self.source_site = source_site[:200]
        rows = db.session.execute(
            select(
                ImportLink.kind,
                ImportLink.source_id,
                ImportLink.guid,
                ImportLink.local_id,
            ).where(ImportLink.source_site == self.source_site)
        )
        self._ids: dict[tuple[str, str], int] = {}
        self._guids: dict[tuple[str, str], int] = {}
        for kind, source_id, guid, local_id in rows:
            self._ids[(kind, source_id)] = local_id
            if guid:
                self._guids[(kind, guid)] = local_id

    def journal(self, wrap: Callable[[dict[Any, Any]], dict[Any, Any]]) -> None:
        """Let an import take back the links of an item that failed."""
        self._ids = wrap(self._ids)
        self._guids = wrap(self._guids)

    def find(self, kind: str, source_id: object, guid: str = "") -> int | None:
        """The local id an item became, or ``None`` if it is new."""
        if source_id not in (0, "", None):
            return self._ids.get((kind, str(source_id)))
        return self._guids.get((kind, guid[:500])) if guid else None

    def record(
        self, kind: str, source_id: object, local_id: int, guid: str = ""
    ) -> None:
        """Remember that the item became ``local_id`` (the caller commits)."""
        source = str(source_id)[:100]
        self._ids[(kind, source)] = local_id
        if guid:
            self._guids[(kind, guid[:500])] = local_id
        db.session.add(
            ImportLink(
                source_site=self.source_site,
                kind=kind,
                source_id=source,
                guid=guid[:500],
                local_id=local_id,
            )
        )
