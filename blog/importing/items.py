"""Posts and pages: WordPress's statuses, slugs, dates, authors, terms,
content (made Markdown, then rendered as every post is), excerpts,
stickiness and featured images."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select, update

from blog import rendering
from blog.extensions import db
from blog.importing import content, roundtrip
from blog.importing.attachments import rewrite_url
from blog.importing.context import ImportContext, OldAddress
from blog.importing.people import author_of
from blog.importing.records import Item
from blog.importing.terms import TAXONOMIES, term_for_item
from blog.models import Post, PostKind, PostStatus, Term
from blog.pages.paths import MAX_DEPTH, is_reserved, reserved_words
from blog.posts.editing import TITLE_MAX, render
from blog.posts.slugs import MAX_LENGTH, slugify, unique_slug
from blog.validation import clean_text

KIND = "post"
#: WordPress post types imported as posts here, and their kind.
POST_TYPES = {"post": PostKind.ARTICLE, "page": PostKind.PAGE}
#: WordPress's statuses -> ours (``private`` and password-protected posts
#: are made drafts: readers must not see them).
STATUSES = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.PUBLISHED,  # with its date to come: scheduled
    "draft": PostStatus.DRAFT,
    "auto-draft": PostStatus.DRAFT,
    "pending": PostStatus.PENDING,
    "private": PostStatus.DRAFT,
    "trash": PostStatus.TRASH,
}
UNTITLED = "(no title)"
_TALLIES = {PostKind.ARTICLE: "posts", PostKind.PAGE: "pages", PostKind.EVENT: "events"}
_TRASHED_RE = re.compile(r"__trashed(?:-\d+)?$")


def import_item(ctx: ImportContext, item: Item) -> int | None:
    """Import a post or page, or find it imported before; its post id
    (``None`` when it failed)."""
    kind = roundtrip.kind_of(item, POST_TYPES[item.post_type])
    tally = ctx.summary.tally(_TALLIES[kind])
    post_id = ctx.links.find(KIND, item.wp_id, item.guid)
    if post_id is not None and db.session.get(Post, post_id) is not None:
        tally.existing += 1
    else:
        try:
            post_id = _create(ctx, item, kind)
        except rendering.ContentRejected as error:
            tally.failed += 1
            ctx.summary.failures.append(f"{_label(item)}: {error}")
            return None
        tally.created += 1
    ctx.posts[item.wp_id] = post_id
    if kind == PostKind.PAGE and item.parent_id:
        ctx.page_parents.append((post_id, item.parent_id))
    ctx.addresses.append(
        OldAddress(
            wp_id=item.wp_id,
            post_type=item.post_type,
            link=item.link,
            old_slugs=tuple(
                v for k, v in item.meta.items() if k == "_wp_old_slug" and v
            ),
            published=item.date,
        )
    )
    return post_id


def _label(item: Item) -> str:
    return f"{item.post_type} {item.wp_id} “{item.title.strip() or UNTITLED}”"


def _create(ctx: ImportContext, item: Item, kind: PostKind) -> int:
    status = STATUSES.get(item.status, PostStatus.DRAFT)
    if item.status == "private":
        ctx.summary.not_public.append(f"{_label(item)}: private (now a draft)")
    if item.password and status != PostStatus.TRASH:
        status = PostStatus.DRAFT
        ctx.summary.not_public.append(
            f"{_label(item)}: password-protected (now a draft)"
        )
    title = _title(item.title)
    post = Post(
        kind=kind,
        status=status,
        title=title,
        slug=_slug(kind, item, title),
        author_id=author_of(ctx, item.creator),
        comments_open=item.comment_status == "open",
        sticky=item.is_sticky and kind == PostKind.ARTICLE,
        menu_order=max(-1000, min(1000, item.menu_order)),
    )
    if item.date is not None:
        post.created_at = item.date
    was_public = item.status in ("publish", "future", "private", "trash")
    if was_public or status == PostStatus.PUBLISHED:
        # Private and password-protected posts keep their date (and so
        # their address): published later, their old links lead to them.
        post.published_at = item.date or ctx.now
    post.updated_at = item.modified or item.date or ctx.now
    own = roundtrip.markdown(ctx, item.meta.get("_blog_markdown"))
    if own is not None:  # this engine's own export: its Markdown, as typed
        post.body_source = clean_text(own)
        post.excerpt_source = clean_text(roundtrip.markdown(ctx, item.excerpt) or "")
    else:
        convert = _converter(ctx, item)
        post.body_source = clean_text(convert(item.content))
        post.excerpt_source = clean_text(convert(item.excerpt)).strip()
    render(post)
    post.terms = _terms(ctx, item)
    if kind == PostKind.EVENT:
        post.event = roundtrip.make_event(item)
        if post.event is None:
            raise ValueError("the event's dates could not be read")
        post.terms += roundtrip.event_terms(item)
    _featured_image(ctx, item, post)
    db.session.add(post)
    db.session.flush()
    ctx.links.record(KIND, item.wp_id, post.id, item.guid)
    return post.id


def _title(raw: str) -> str:
    """WordPress titles may carry markup (``<em>``) and entities: the text."""
    text = " ".join(rendering.plain_text(raw).split())
    return text[:TITLE_MAX] or UNTITLED


def _slug(kind: PostKind, item: Item, title: str) -> str:
    from urllib.parse import unquote

    wanted = _TRASHED_RE.sub("", unquote(item.post_name.strip()))
    if not wanted or not wanted.isascii():  # "επίπεδο-2": slugs here are ASCII
        wanted = title if title != UNTITLED else ""
    base = slugify(wanted) if wanted else ""
    if base in ("", "untitled") or (kind == PostKind.PAGE and base.isdigit()):
        base = f"{item.post_type}-{item.wp_id}"
    reserved = reserved_words(current_app.url_map) if kind == PostKind.PAGE else ()

    def taken(slug: str) -> bool:
        if kind == PostKind.PAGE and is_reserved(slug, reserved):
            return True
        found = select(Post.id).where(Post.kind == kind, Post.slug == slug)
        return db.session.scalar(found) is not None

    if kind == PostKind.PAGE and is_reserved(base, reserved):
        base = f"{base}-page"[:MAX_LENGTH]
    return unique_slug(base, taken)


def _converter(ctx: ImportContext, item: Item) -> Callable[[str], str]:
    def gallery(ids: list[int] | None) -> list[content.GalleryImage]:
        if ids is None:
            chosen = [
                a for a in ctx.attachments.values() if a.parent_wp_id == item.wp_id
            ]
        else:
            chosen = [ctx.attachments[i] for i in ids if i in ctx.attachments]
        return [
            content.GalleryImage(url=a.url, alt=a.alt or a.title, caption=a.caption)
            for a in chosen
        ]

    def convert(html: str) -> str:
        if not html.strip():
            return ""
        return content.to_markdown(
            html, gallery=gallery, rewrite_url=lambda url: rewrite_url(ctx, url)
        )

    return convert


def _terms(ctx: ImportContext, item: Item) -> list[Term]:
    ids = []
    for term in item.terms:
        taxonomy = TAXONOMIES.get(term.domain)
        if taxonomy is None:
            continue
        found = ctx.terms.get((taxonomy.value, term.slug))
        if found is None and (term.slug or term.name):
            found = term_for_item(ctx, taxonomy, term.slug, term.name)
        if found is not None and found not in ids:
            ids.append(found)
    if not ids:
        return []
    return list(db.session.scalars(select(Term).where(Term.id.in_(ids))))


def _featured_image(ctx: ImportContext, item: Item, post: Post) -> None:
    try:
        wp_id = int(item.meta.get("_thumbnail_id", "0") or 0)
    except ValueError:
        return
    stored = ctx.attachments.get(wp_id)
    if stored is None or stored.media_id is None:
        return
    post.featured_image_id = stored.media_id
    post.featured_image_alt = (
        item.meta.get("_blog_featured_image_alt") or stored.alt or stored.title
    )[:300]
    post.featured_image_caption = (
        item.meta.get("_blog_featured_image_caption") or stored.caption
    )[:500]


def link_page_parents(ctx: ImportContext) -> None:
    """Set each imported page's parent once every page is in (a parent may
    come after its child in the file), leaving its modified date alone."""
    for post_id, parent_wp_id in ctx.page_parents:
        parent_id = ctx.posts.get(parent_wp_id)
        if parent_id is None or parent_id == post_id:
            continue
        page = db.session.get(Post, post_id)
        parent = db.session.get(Post, parent_id)
        if page is None or parent is None or page.parent_id is not None:
            continue
        if parent.kind != PostKind.PAGE or _is_ancestor(page.id, parent):
            continue
        _set_parent(page, parent.id)
    _fit_depth(ctx, [post_id for post_id, _ in ctx.page_parents])


def _set_parent(page: Post, parent_id: int) -> None:
    db.session.execute(
        update(Post)
        .where(Post.id == page.id)
        # Naming updated_at keeps the page's own date (no onupdate).
        .values(parent_id=parent_id, updated_at=Post.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(page)


def _fit_depth(ctx: ImportContext, page_ids: list[int]) -> None:
    """Pages nest MAX_DEPTH levels here: one deeper in WordPress moves up
    under its ancestor at the last level but one, and the summary says so."""
    for page_id in page_ids:
        page = db.session.get(Post, page_id)
        if page is None:
            continue
        chain: list[Post] = []  # parent, grandparent, ... the top page
        current = page.parent
        while current is not None and len(chain) <= 2 * MAX_DEPTH:
            chain.append(current)
            current = current.parent
        if len(chain) + 1 <= MAX_DEPTH:
            continue
        new_parent = chain[len(chain) - (MAX_DEPTH - 1)]
        _set_parent(page, new_parent.id)
        ctx.summary.notes.append(
            f"“{page.title}” was {len(chain) + 1} pages deep; pages nest "
            f"{MAX_DEPTH} deep here, so it is now under “{new_parent.title}”."
        )


def _is_ancestor(page_id: int, parent: Post) -> bool:
    seen: set[int] = set()
    current: Post | None = parent
    while current is not None and current.id not in seen:
        if current.id == page_id:
            return True
        seen.add(current.id)
        current = current.parent
    return False
