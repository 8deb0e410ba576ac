"""A WordPress export read twice, as a stream (memory stays flat whatever
the file's size): first its authors, categories, tags and attachments (so
that bodies can point at the new files), then its posts and pages with
their comments; last the threads of pages, the old addresses and the menu.

Each item is imported in a savepoint and committed on its own: one that
fails is reported and the rest go on, and an import stopped half-way runs
again from the start without duplicates (:mod:`.links`). A dry run does
the same work in one transaction and rolls it back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy.exc import DBAPIError

from blog.accounts import needs_setup
from blog.errors import require
from blog.extensions import db
from blog.importing import addresses, attachments, discussion, items, menus, people
from blog.importing import terms as term_import
from blog.importing.context import ImportContext
from blog.importing.links import Links
from blog.importing.options import ImportOptions
from blog.importing.records import Author, Category, Item, Record, Site, Tag
from blog.importing.summary import Summary
from blog.importing.wxr import NotWordPressExport, UnsafeXML, read
from blog.media import Uploads
from blog.models import User, utcnow
from blog.site import can_manage_settings

log = logging.getLogger(__name__)


class SiteNotSetUp(Exception):
    """The site has no user yet: nobody could administer what is imported."""


#: Called as the file is read: ``(bytes_done, bytes_total)``.
Progress = Callable[[int, int], None]


def import_wordpress(
    path: Path,
    options: ImportOptions,
    progress: Progress | None = None,
    *,
    actor: User | None = None,
) -> Summary:
    """Import the WXR file at ``path`` (commits as it goes; with
    ``options.dry_run`` changes nothing and reports what would happen).

    :param actor: the admin importing from the dashboard (``None`` on the
        command line, which is the server's operator).
    :raises PermissionDenied: ``actor`` is not an administrator.
    :raises SiteNotSetUp: the site has no user yet.
    :raises blog.importing.wxr.NotWordPressExport: not a WXR file, or an
        unsafe one (the message says why, for people); what was read before
        the problem is kept (a dry run keeps nothing).
    """
    if actor is not None:
        require(can_manage_settings(actor))
    if needs_setup():
        # Imported authors are users: the site would count as set up, with
        # no administrator to log in as.
        raise SiteNotSetUp(
            "Set the site up first (open it in a browser: /setup, or "
            "flask --app blog users create NAME --email EMAIL --role admin), "
            "then import."
        )
    size = path.stat().st_size
    report = progress or (lambda done, total: None)
    with path.open("rb") as stream:
        site = _first_site(stream)
        ctx = ImportContext(
            site=site,
            options=options,
            links=Links(site.base_blog_url),
            uploads=None if options.dry_run else Uploads.of(current_app),
            now=utcnow(),
        )
        ctx.summary.dry_run = options.dry_run
        ctx.heartbeat = lambda: report(2 * size, 2 * size)
        try:
            _pass(ctx, stream, _first_pass, lambda at: report(at, 2 * size))
            term_import.link_parents(ctx)
            ctx.checkpoint()
            _pass(ctx, stream, _second_pass, lambda at: report(size + at, 2 * size))
            items.link_page_parents(ctx)
            ctx.checkpoint()
            ctx.heartbeat()
            addresses.make_redirects(ctx)
            menus.import_menu(ctx)
            ctx.checkpoint()
            _note_left_out(ctx)
        finally:
            if options.dry_run:
                db.session.rollback()
    report(2 * size, 2 * size)
    return ctx.summary


def _first_site(stream: BinaryIO) -> Site:
    for record in read(stream):
        if isinstance(record, Site):
            return record
        break
    raise NotWordPressExport("This file is not a WordPress export (WXR).")


Handler = Callable[[ImportContext, Record], None]


def _pass(
    ctx: ImportContext, stream: BinaryIO, handle: Handler, at: Callable[[int], None]
) -> None:
    stream.seek(0)
    try:
        for record in read(stream):
            try:
                with ctx.item():
                    handle(ctx, record)
            except Exception as error:  # one item's failure is reported, not fatal
                # The class only: a database error's text holds the row's
                # values (a commenter's email and IP, a comment's token).
                log.warning("Importing %s failed: %s", _name(record), _error(error))
                ctx.summary.tally(_kind(record)).failed += 1
                ctx.summary.failures.append(f"{_name(record)}: {_error(error)}")
            else:
                if isinstance(record, Item):
                    ctx.checkpoint()
            at(stream.tell())
    except UnsafeXML:
        raise
    except NotWordPressExport as error:  # cut short: keep what came before
        if not ctx.summary.failures or ctx.summary.failures[-1] != str(error):
            ctx.summary.failures.append(str(error))


def _error(error: Exception) -> str:
    """What went wrong, for people and the log, without any row's values."""
    if isinstance(error, ValueError) and not isinstance(error, DBAPIError):
        return str(error)
    return type(error).__name__


def _first_pass(ctx: ImportContext, record: Record) -> None:
    if isinstance(record, Author):
        people.import_author(ctx, record)
    elif isinstance(record, Category):
        term_import.import_category(ctx, record)
    elif isinstance(record, Tag):
        term_import.import_tag(ctx, record)
    elif isinstance(record, Item) and record.post_type == "attachment":
        attachments.import_attachment(ctx, record)


def _second_pass(ctx: ImportContext, record: Record) -> None:
    if not isinstance(record, Item):
        return
    if record.post_type in items.POST_TYPES:
        post_id = items.import_item(ctx, record)
        if post_id is not None:
            discussion.import_comments(ctx, record, post_id)
    elif record.post_type == "nav_menu_item":
        record.content = record.excerpt = ""
        ctx.menu_items.append(record)
    elif record.post_type != "attachment":
        ctx.other_types[record.post_type] += 1


def _note_left_out(ctx: ImportContext) -> None:
    for post_type, count in sorted(ctx.other_types.items()):
        ctx.summary.notes.append(
            f"{count} item(s) of WordPress's type “{post_type}” were left out "
            "(this engine has no such content)."
        )


def _kind(record: Record) -> str:
    if isinstance(record, Author):
        return "authors"
    if isinstance(record, Category):
        return "categories"
    if isinstance(record, Tag):
        return "tags"
    if isinstance(record, Item):
        return {"page": "pages", "attachment": "attachments"}.get(
            record.post_type, "posts"
        )
    return "other"


def _name(record: Record) -> str:
    if isinstance(record, Item):
        return f"{record.post_type} {record.wp_id} “{record.title.strip()}”"
    return type(record).__name__.lower()
