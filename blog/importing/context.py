"""What one import run carries from record to record: the options, the
summary being written, what was imported (by WordPress id) and what is
left to connect once everything has been read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from blog.extensions import db
from blog.importing.links import Links
from blog.importing.options import ImportOptions
from blog.importing.records import Item, Site
from blog.importing.summary import Summary
from blog.media import Uploads


@dataclass
class StoredAttachment:
    """An attachment of the export: its file here, if it was found."""

    wp_id: int
    old_url: str
    #: The item's WordPress parent (a ``[gallery]`` without ids shows these).
    parent_wp_id: int
    title: str = ""
    alt: str = ""
    caption: str = ""
    media_id: int | None = None
    #: ``/media/<name>`` once stored; else the old address.
    url: str = ""


class _Journaled(dict[Any, Any]):
    """A dict that notes each key it gains, so that they can be taken back."""

    def __init__(self, added: list[tuple[dict[Any, Any], Any]], items: dict[Any, Any]):
        super().__init__(items)
        self._added_to = added

    def __setitem__(self, key: Any, value: Any) -> None:
        if key not in self:
            self._added_to.append((self, key))
        super().__setitem__(key, value)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]


#: The maps and lists an item may add to (see :meth:`ImportContext.item`).
_MAPS = (
    "users",
    "user_ids",
    "user_emails",
    "terms",
    "category_ids",
    "category_parents",
    "attachments",
    "own_media",
    "attachment_files",
    "posts",
)
_LISTS = ("page_parents", "addresses", "menu_items")
_NOTES = ("not_public", "missing_files", "failures", "notes")


@dataclass(frozen=True)
class OldAddress:
    """Where an imported post, page or attachment lived on the old site."""

    wp_id: int
    post_type: str
    #: Its ``<link>`` (a full URL).
    link: str
    #: ``_wp_old_slug``: slugs it had before, which WordPress still answers.
    old_slugs: tuple[str, ...] = ()
    published: datetime | None = None


@dataclass
class ImportContext:
    site: Site
    options: ImportOptions
    links: Links
    uploads: Uploads | None
    now: datetime
    summary: Summary = field(default_factory=Summary)
    #: Author login (lowercased) -> user id.
    users: dict[str, int] = field(default_factory=dict)
    #: WordPress user id -> user id (when the export gives author ids).
    user_ids: dict[int, int] = field(default_factory=dict)
    #: Author email (lowercased) -> user id, for comments by users.
    user_emails: dict[str, int] = field(default_factory=dict)
    #: The user who writes what has no known author.
    fallback_author_id: int | None = None
    #: ``(taxonomy, WordPress slug)`` -> term id.
    terms: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Category slug -> its WordPress id (``/?cat=ID``).
    category_ids: dict[str, int] = field(default_factory=dict)
    #: Category slug -> its parent's slug, for WordPress's nested paths.
    category_parents: dict[str, str] = field(default_factory=dict)
    attachments: dict[int, StoredAttachment] = field(default_factory=dict)
    #: This engine's own exports: the source site's library id
    #: (``_blog_media_id``) -> its attachment, to renumber ``media:ID``.
    own_media: dict[int, StoredAttachment] = field(default_factory=dict)
    #: An upload's path key (``2008/06/photo.jpg``) -> its attachment.
    attachment_files: dict[str, StoredAttachment] = field(default_factory=dict)
    #: WordPress post id -> post id, for every post or page imported or found.
    posts: dict[int, int] = field(default_factory=dict)
    #: Pages waiting for their parent: ``(post id, WordPress parent id)``.
    page_parents: list[tuple[int, int]] = field(default_factory=list)
    #: Items imported this run or before, for their old addresses.
    addresses: list[OldAddress] = field(default_factory=list)
    menu_items: list[Item] = field(default_factory=list)
    #: Tells whoever watches (the dashboard) that the import is alive.
    heartbeat: Callable[[], None] = lambda: None
    #: Items of post types this engine has no place for, by type.
    other_types: Counter[str] = field(default_factory=Counter)

    #: What the item being imported added to the maps above, to take back
    #: if it fails (its rows are rolled back: their ids must not linger).
    _added: list[tuple[dict[Any, Any], Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in _MAPS:
            setattr(self, name, _Journaled(self._added, getattr(self, name)))
        self.links.journal(lambda mapping: _Journaled(self._added, mapping))

    @contextmanager
    def item(self) -> Iterator[None]:
        """Import one record in a savepoint; if it fails, its rows are rolled
        back and so is what it added here (maps, lists, the summary's counts),
        so that nothing later points at a row that is not there."""
        mark = len(self._added)
        lengths = {name: len(getattr(self, name)) for name in _LISTS}
        noted = {name: len(getattr(self.summary, name)) for name in _NOTES}
        counts = {kind: replace(tally) for kind, tally in self.summary.counts.items()}
        try:
            with db.session.begin_nested():
                yield
        except Exception:
            while len(self._added) > mark:
                mapping, key = self._added.pop()
                dict.pop(mapping, key, None)
            for name, length in lengths.items():
                del getattr(self, name)[length:]
            for name, length in noted.items():
                del getattr(self.summary, name)[length:]
            self.summary.counts = counts
            raise
        del self._added[mark:]

    def checkpoint(self) -> None:
        """Keep what is done: commit (a run stopped later resumes from
        here), or in a dry run only flush, so that nothing is kept."""
        if self.options.dry_run:
            db.session.flush()
        else:
            db.session.commit()
