"""Attachments: each file found in a copy of ``wp-content/uploads`` goes
through the media pipeline (metadata stripped, variants made); addresses
of the old files in bodies (resized copies too) lead to the new ones."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from blog.extensions import db
from blog.importing.context import ImportContext, StoredAttachment
from blog.importing.people import author_of
from blog.importing.records import Item
from blog.media import ImageRejected
from blog.media.files import store_upload
from blog.models import Media, User
from blog.rendering import plain_text

KIND = "attachment"
#: What the media library stores: images and PDFs.
STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf"})
#: WordPress's resized copies: ``photo-300x200.jpg`` is ``photo.jpg`` made smaller.
_SIZE_SUFFIX_RE = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[A-Za-z0-9]{2,5}$)")
_ALT_MAX, _CAPTION_MAX, _TITLE_MAX = 300, 500, 200


def uploads_path(address: str) -> str:
    """An upload's path under ``uploads/`` (``2008/06/photo.jpg``), from its
    address on the old site (``/wp-content/uploads/...``, or WordPress.com's
    ``files.wordpress.com/...``)."""
    path = unquote(urlsplit(address.strip()).path)
    if "/uploads/" in path:
        path = path.split("/uploads/", 1)[1]
    return path.lstrip("/")


def file_key(address: str) -> str:
    """What an upload's addresses have in common (a resized copy's too):
    its path under ``uploads/``, without the size, in lower case."""
    return _SIZE_SUFFIX_RE.sub("", uploads_path(address)).lower()


def import_attachment(ctx: ImportContext, item: Item) -> None:
    """Store the attachment's file if it is in the uploads folder."""
    tally = ctx.summary.tally("attachments")
    old_url = item.attachment_url or item.guid
    stored = StoredAttachment(
        wp_id=item.wp_id,
        old_url=old_url,
        parent_wp_id=item.parent_id,
        title=plain_text(item.title).strip()[:_TITLE_MAX],
        alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")).strip()[
            :_ALT_MAX
        ],
        caption=plain_text(item.excerpt).strip()[:_CAPTION_MAX],
        url=old_url,
    )
    ctx.attachments[item.wp_id] = stored
    if (own_id := item.meta.get("_blog_media_id", "")).isdigit():
        ctx.own_media[int(own_id)] = stored
    relative = item.meta.get("_wp_attached_file", "") or uploads_path(old_url)
    for key in {file_key(old_url), file_key("/uploads/" + relative)}:
        if key:
            ctx.attachment_files[key] = stored
    media_id = ctx.links.find(KIND, item.wp_id, item.guid)
    if media_id is not None and (media := db.session.get(Media, media_id)):
        _use(stored, media)
        tally.existing += 1
        return
    source = _source_file(ctx, relative)
    label = f"{relative or old_url} ({stored.title or 'attachment'} {item.wp_id})"
    if PurePosixPath(relative).suffix.lower() not in STORED_SUFFIXES:
        tally.skipped += 1  # audio, video, documents: the library holds none
        ctx.summary.missing_files.append(f"{label}: not an image or a PDF")
        return
    if source is None:
        tally.skipped += 1
        ctx.summary.missing_files.append(label)
        return
    if ctx.options.dry_run or ctx.uploads is None:
        tally.created += 1
        return
    uploader = db.session.get(User, author_of(ctx, item.creator))
    try:
        with source.open("rb") as stream:
            media = store_upload(
                stream, ctx.uploads, original_name=source.name, uploader=uploader
            )
    except ImageRejected as error:
        tally.failed += 1
        ctx.summary.failures.append(f"{label}: {error}")
        return
    media.alt_text, media.caption, media.title = (
        stored.alt,
        stored.caption,
        stored.title,
    )
    if item.date is not None:
        media.created_at = item.date
    _use(stored, media)
    ctx.links.record(KIND, item.wp_id, media.id, item.guid)
    tally.created += 1
    ctx.checkpoint()


def _use(stored: StoredAttachment, media: Media) -> None:
    stored.media_id = media.id
    stored.url = f"/media/{media.filename}"


def _source_file(ctx: ImportContext, relative: str) -> Path | None:
    """The file in the uploads folder, never outside it."""
    folder = ctx.options.uploads_dir
    if folder is None or not relative:
        return None
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if any(part in ("..", "") for part in parts) or relative.startswith("/"):
        return None
    root = folder.resolve()
    candidate = (root / Path(*parts)).resolve()
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def rewrite_url(ctx: ImportContext, url: str) -> str | None:
    """The new address of an old upload's (``None``: not one we stored)."""
    if "/" not in url:
        return None
    stored = ctx.attachment_files.get(file_key(url))
    if stored is None or stored.media_id is None:
        return None
    return stored.url
