"""The WordPress export: WXR 1.2, the file WordPress's Tools → Export writes
and its importer (the "WordPress Importer" plugin) reads.

Written as WordPress's ``wp-admin/includes/export.php`` writes it: an RSS 2.0
document with the ``wp``, ``excerpt``, ``content``, ``wfw`` and ``dc``
namespaces (WordPress's own ``http://wordpress.org/export/1.2/`` form); the
authors, categories (parents first) and tags; then one ``item`` per upload
(``attachment``), page (parents first), article and event (``post``), each
with its terms, meta and every comment. Bodies are the stored, sanitized
HTML, which WordPress shows as it is; the Markdown and what WordPress has no
field for go in meta (:mod:`blog.exporting.postmeta`).

Dates are WordPress's ``Y-m-d H:i:s``, on the site's clock and in UTC. The
document is produced as a stream of text (:func:`wxr_chunks`), batch by
batch (:mod:`blog.exporting.source`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import IO

from blog.exporting import source
from blog.exporting.formats import rfc2822, wp_gmt, wp_local
from blog.exporting.postmeta import (
    Meta,
    attachment_meta,
    comment_meta,
    post_meta,
)
from blog.exporting.source import BATCH_SIZE, ExportSite
from blog.exporting.streams import write_chunks
from blog.exporting.xmltext import attribute, cdata, text
from blog.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Media,
    Post,
    PostKind,
    PostStatus,
    Taxonomy,
    Term,
    User,
)

WXR_VERSION = "1.2"
CONTENT_TYPE = "application/xml; charset=utf-8"
#: The channel's language (the site's pages say ``lang="en"``).
LANGUAGE = "en"

_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated as an export of your site. -->
<!-- It holds the site's posts, pages, comments, categories and other content. -->
<!-- You may use this file to transfer that content from one site to another. -->
<!-- To import it into WordPress: Tools, Import, "WordPress" (install the importer), -->
<!-- then upload this file and map its authors to users of that site. -->
<!-- generator="blog" created="{created}" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/{version}/"
>

<channel>
"""

#: A comment's status in ``wp:comment_approved``.
APPROVED = {
    CommentStatus.APPROVED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "trash",
}
#: A comment's kind in ``wp:comment_type`` ("" for a reader's comment).
COMMENT_TYPES = {
    CommentKind.COMMENT: "",
    CommentKind.PINGBACK: "pingback",
    CommentKind.TRACKBACK: "trackback",
}
_OTHER_STATUSES = {
    PostStatus.DRAFT: "draft",
    PostStatus.PENDING: "pending",
    PostStatus.TRASH: "trash",
}
#: Which term goes in which ``<category domain="...">``.
DOMAINS = {Taxonomy.CATEGORY: "category", Taxonomy.TAG: "post_tag"}


def wp_status(post: Post, now: datetime) -> str:
    """``publish`` (its date has come), ``future`` (scheduled), ``draft``,
    ``pending`` or ``trash``."""
    if post.status == PostStatus.PUBLISHED:
        due = post.published_at is None or post.published_at <= now
        return "publish" if due else "future"
    return _OTHER_STATUSES[post.status]


def wxr_chunks(
    site: ExportSite,
    *,
    counts: Counter[str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[str]:
    """The whole export, piece by piece (an item or a batch at a time).

    :param counts: filled in as it goes: ``authors``, ``categories``,
        ``tags``, ``attachments``, ``pages``, ``posts``, ``events``,
        ``comments``.
    """
    counts = Counter() if counts is None else counts
    yield _head(site)
    authors = source.contributors()
    logins = {user.id: user.username for user in authors}
    for user in authors:
        counts["authors"] += 1
        yield _author(user)
    categories = source.terms(Taxonomy.CATEGORY)
    slugs = {term.id: term.slug for term in categories}
    for term in categories:
        counts["categories"] += 1
        yield _category(term, slugs)
    for term in source.terms(Taxonomy.TAG):
        counts["tags"] += 1
        yield _tag(term)
    yield "\n"
    offset = source.attachment_offset()
    for uploads in source.media_batches(batch_size):
        counts["attachments"] += len(uploads)
        yield "".join(_attachment(site, media, offset, logins) for media in uploads)
    # Parent pages before their children, so that a reader of the file (ours
    # streams it) always knows an item's parent by the time it reads the item.
    passes = (
        (Post.kind == PostKind.PAGE, Post.parent_id.is_(None)),
        (Post.kind == PostKind.PAGE, Post.parent_id.is_not(None)),
        (Post.kind != PostKind.PAGE,),
    )
    for criteria in passes:
        for posts in source.post_batches(*criteria, size=batch_size):
            ids = [post.id for post in posts]
            comments = source.comments_of(ids)
            old_slugs = source.old_slugs_of(ids)
            pieces = []
            for post in posts:
                counts[_COUNTED[post.kind]] += 1
                counts["comments"] += len(comments.get(post.id, ()))
                pieces.append(
                    _item(
                        site,
                        post,
                        comments=comments.get(post.id, []),
                        old_slugs=old_slugs.get(post.id, []),
                        logins=logins,
                        offset=offset,
                    )
                )
            yield "".join(pieces)
    yield "</channel>\n</rss>\n"


_COUNTED = {PostKind.ARTICLE: "posts", PostKind.PAGE: "pages", PostKind.EVENT: "events"}


def write_wxr(
    out: IO[str], site: ExportSite, *, batch_size: int = BATCH_SIZE
) -> Counter[str]:
    """Write the export to ``out`` (a UTF-8 text stream); returns the counts."""
    counts: Counter[str] = Counter()
    write_chunks(out, wxr_chunks(site, counts=counts, batch_size=batch_size))
    return counts


def _head(site: ExportSite) -> str:
    created = site.now.strftime("%Y-%m-%d %H:%M")
    lines = [
        _HEAD.format(created=created, version=WXR_VERSION),
        f"\t<title>{text(site.title)}</title>",
        f"\t<link>{text(site.url)}</link>",
        f"\t<description>{text(site.tagline)}</description>",
        f"\t<pubDate>{rfc2822(site.now)}</pubDate>",
        f"\t<language>{LANGUAGE}</language>",
        f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>",
        f"\t<wp:base_site_url>{text(site.url)}</wp:base_site_url>",
        f"\t<wp:base_blog_url>{text(site.url)}</wp:base_blog_url>",
        "",
    ]
    return "\n".join(lines) + "\n"


def _author(user: User) -> str:
    return (
        "\t<wp:author>"
        f"<wp:author_id>{user.id}</wp:author_id>"
        f"<wp:author_login>{cdata(user.username)}</wp:author_login>"
        f"<wp:author_email>{cdata(user.email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(user.display_name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata('')}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata('')}</wp:author_last_name>"
        "</wp:author>\n"
    )


def _category(term: Term, slugs: Mapping[int, str]) -> str:
    parent = slugs.get(term.parent_id, "") if term.parent_id is not None else ""
    description = (
        f"<wp:category_description>{cdata(term.description)}</wp:category_description>"
        if term.description
        else ""
    )
    return (
        "\t<wp:category>"
        f"<wp:term_id>{term.id}</wp:term_id>"
        f"<wp:category_nicename>{cdata(term.slug)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(term.name)}</wp:cat_name>"
        f"{description}</wp:category>\n"
    )


def _tag(term: Term) -> str:
    description = (
        f"<wp:tag_description>{cdata(term.description)}</wp:tag_description>"
        if term.description
        else ""
    )
    return (
        "\t<wp:tag>"
        f"<wp:term_id>{term.id}</wp:term_id>"
        f"<wp:tag_slug>{cdata(term.slug)}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(term.name)}</wp:tag_name>"
        f"{description}</wp:tag>\n"
    )


def _el(name: str, value: str | int, depth: int = 2) -> str:
    """``<name>value</name>`` on its own line; ``value`` already made safe."""
    return "\t" * depth + f"<{name}>{value}</{name}>"


def _dates(
    prefix: str, at: datetime | None, shown: datetime, zone: tzinfo
) -> list[str]:
    """``wp:<prefix>`` on the site's clock and ``wp:<prefix>_gmt`` in UTC;
    ``at`` ``None``: no date chosen (``0000-00-00 00:00:00`` in UTC)."""
    return [
        _el(f"wp:{prefix}", cdata(wp_local(shown, zone))),
        _el(f"wp:{prefix}_gmt", cdata(wp_gmt(at))),
    ]


def _item(
    site: ExportSite,
    post: Post,
    *,
    comments: Sequence[Comment],
    old_slugs: Sequence[str],
    logins: Mapping[int, str],
    offset: int,
) -> str:
    link = site.addresses.post(post)
    thumbnail = offset + post.featured_image_id if post.featured_image_id else None
    # A draft nobody dated has no date in WordPress either: its post_date is
    # when it was written, its post_date_gmt "0000-00-00 00:00:00".
    shown = post.published_at or post.created_at
    body = site.addresses.absolute_html(post.body_html, link)
    lines = [
        "\t<item>",
        # WordPress keeps titles as HTML: a literal "<b>" is written escaped.
        _el("title", cdata(html.escape(post.title, quote=False))),
        _el("link", text(link)),
        _el("pubDate", rfc2822(shown)),
        _el("dc:creator", cdata(logins.get(post.author_id, ""))),
        f'\t\t<guid isPermaLink="false">{text(site.addresses.guid(post))}</guid>',
        "\t\t<description></description>",
        _el("content:encoded", cdata(body)),
        _el("excerpt:encoded", cdata(post.excerpt_source)),
        _el("wp:post_id", post.id),
        *_dates("post_date", post.published_at, shown, site.zone),
        *_dates("post_modified", post.updated_at, post.updated_at, site.zone),
        _el("wp:comment_status", cdata("open" if post.comments_open else "closed")),
        _el("wp:ping_status", cdata("closed")),
        _el("wp:post_name", cdata(post.slug)),
        _el("wp:status", cdata(wp_status(post, site.now))),
        _el("wp:post_parent", post.parent_id or 0),
        _el("wp:menu_order", post.menu_order),
        _el("wp:post_type", cdata(_post_type(post))),
        _el("wp:post_password", cdata("")),
        _el("wp:is_sticky", 1 if post.sticky else 0),
    ]
    lines.extend(
        f"\t\t<category domain={attribute(DOMAINS[term.taxonomy])} "
        f"nicename={attribute(term.slug)}>{cdata(term.name)}</category>"
        for term in post.terms
        if term.taxonomy in DOMAINS
    )
    meta = post_meta(post, old_slugs=old_slugs, thumbnail_id=thumbnail)
    lines.extend(_postmeta(meta))
    lines.extend(_comment(site, comment) for comment in comments)
    lines.append("\t</item>\n")
    return "\n".join(lines)


def _post_type(post: Post) -> str:
    return "page" if post.kind == PostKind.PAGE else "post"


def _attachment(
    site: ExportSite, media: Media, offset: int, logins: Mapping[int, str]
) -> str:
    wp_id = offset + media.id
    url = site.addresses.media(media.filename)
    creator = logins.get(media.uploaded_by_id, "") if media.uploaded_by_id else ""
    at = media.created_at
    lines = [
        "\t<item>",
        _el("title", cdata(html.escape(media.label, quote=False))),
        _el("link", text(site.addresses.attachment_page(wp_id))),
        _el("pubDate", rfc2822(at)),
        _el("dc:creator", cdata(creator)),
        f'\t\t<guid isPermaLink="false">{text(url)}</guid>',
        "\t\t<description></description>",
        _el("content:encoded", cdata("")),
        _el("excerpt:encoded", cdata(media.caption)),
        _el("wp:post_id", wp_id),
        *_dates("post_date", at, at, site.zone),
        *_dates("post_modified", at, at, site.zone),
        _el("wp:comment_status", cdata("closed")),
        _el("wp:ping_status", cdata("closed")),
        _el("wp:post_name", cdata(_attachment_name(media))),
        _el("wp:status", cdata("inherit")),
        _el("wp:post_parent", 0),
        _el("wp:menu_order", 0),
        _el("wp:post_type", cdata("attachment")),
        _el("wp:post_password", cdata("")),
        _el("wp:is_sticky", 0),
        _el("wp:attachment_url", cdata(url)),
        *_postmeta(attachment_meta(media)),
        "\t</item>\n",
    ]
    return "\n".join(lines)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _attachment_name(media: Media) -> str:
    """A slug for the attachment, from its file's name (WordPress's way)."""
    stem = media.filename.rsplit(".", 1)[0].lower()
    return _NOT_SLUG.sub("-", stem).strip("-") or f"media-{media.id}"


def _postmeta(meta: Meta) -> list[str]:
    return [
        "\t\t<wp:postmeta>"
        f"<wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value>"
        "</wp:postmeta>"
        for key, value in meta
    ]


def _comment(site: ExportSite, comment: Comment) -> str:
    at = comment.submitted_at
    lines = [
        "\t\t<wp:comment>",
        _el("wp:comment_id", comment.id, 3),
        _el("wp:comment_author", cdata(comment.author_name), 3),
        _el("wp:comment_author_email", cdata(comment.author_email), 3),
        _el("wp:comment_author_url", cdata(comment.author_url), 3),
        _el("wp:comment_author_IP", cdata(comment.author_ip), 3),
        _el("wp:comment_date", cdata(wp_local(at, site.zone)), 3),
        _el("wp:comment_date_gmt", cdata(wp_gmt(at)), 3),
        _el("wp:comment_content", cdata(comment.body_html), 3),
        _el("wp:comment_approved", cdata(APPROVED[comment.status]), 3),
        _el("wp:comment_type", cdata(COMMENT_TYPES[comment.kind]), 3),
        _el("wp:comment_parent", comment.parent_id or 0, 3),
        _el("wp:comment_user_id", comment.user_id or 0, 3),
        _el("wp:comment_agent", cdata(comment.author_user_agent), 3),
    ]
    lines.extend(
        "\t\t\t<wp:commentmeta>"
        f"<wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value>"
        "</wp:commentmeta>"
        for key, value in comment_meta(comment)
    )
    lines.append("\t\t</wp:comment>")
    return "\n".join(lines)
