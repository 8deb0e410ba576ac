"""The old site's addresses, kept: each imported item's path (from its
``<link>``), WordPress's query addresses (``/?p=123``, ``/?page_id=``,
``/?attachment_id=``, ``/?cat=``), its archives (``/category/<path>/``,
``/tag/<slug>/``, ``/author/<login>/``, ``/YYYY/MM/DD/``) and their
``feed/`` variants become redirects (301) to where the same thing is now.

A redirect that exists already is left alone: an admin may have edited it.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from flask import current_app, url_for
from sqlalchemy import select

from blog.extensions import db
from blog.importing.context import ImportContext
from blog.importing.people import nicename
from blog.importing.terms import category_path
from blog.models import Post, PostKind, Redirect, Taxonomy, Term, User
from blog.site.redirects import add_redirect, normalize_source
from blog.views.context import public_url

ORIGIN = "wordpress"


def make_redirects(ctx: ImportContext) -> None:
    """Store the redirects of everything imported (this run or before)."""
    base = current_app.config.get("SITE_URL") or "http://localhost"
    # A writer's request: on SQLite its transaction takes the write lock at once.
    with current_app.test_request_context("/", base_url=base, method="POST"):
        existing = set(
            db.session.scalars(select(Redirect.source).where(Redirect.origin == ORIGIN))
        )
        for n, (source, target, post_id) in enumerate(_wanted(ctx), start=1):
            _add(ctx, existing, source, target, post_id)
            if n % 200 == 0:
                ctx.heartbeat()  # a big site's redirects take a while


def _add(
    ctx: ImportContext,
    existing: set[str],
    source: str,
    target: str,
    post_id: int | None,
) -> None:
    key = normalize_source(source)
    if key is None or key in existing or key == normalize_source(target):
        return
    tally = ctx.summary.tally("redirects")
    existing.add(key)
    if db.session.scalar(select(Redirect.id).where(Redirect.source == key)):
        tally.existing += 1  # one an admin added: theirs wins
        return
    if add_redirect(key, target, post_id=post_id, origin=ORIGIN) is not None:
        tally.created += 1


def _wanted(ctx: ImportContext) -> Iterator[tuple[str, str, int | None]]:
    yield from _items(ctx)
    yield from _categories(ctx)
    yield from _tags(ctx)
    yield from _authors(ctx)


def _path(link: str) -> str:
    return urlsplit(link).path if link else ""


def _items(ctx: ImportContext) -> Iterator[tuple[str, str, int | None]]:
    ids = [ctx.posts[a.wp_id] for a in ctx.addresses if a.wp_id in ctx.posts]
    posts = {p.id: p for p in db.session.scalars(select(Post).where(Post.id.in_(ids)))}
    days: set[str] = set()
    for address in ctx.addresses:
        post = posts.get(ctx.posts.get(address.wp_id, -1))
        if post is None or (post.kind != PostKind.PAGE and post.published_at is None):
            continue  # a draft has no address yet
        target = public_url(post)
        old = _path(address.link)
        query = "page_id" if post.kind == PostKind.PAGE else "p"
        yield f"/?{query}={address.wp_id}", target, post.id
        if query == "page_id":
            yield f"/?p={address.wp_id}", target, post.id
        if old and "?" not in address.link:
            yield old, target, post.id
            if post.kind == PostKind.ARTICLE:
                yield _joined(old, "feed/"), _joined(target, "feed/"), post.id
                for slug in address.old_slugs:
                    yield _renamed(old, slug), target, post.id
        if post.kind == PostKind.ARTICLE and post.published_at is not None:
            days.add(post.published_at.strftime("%Y/%m/%d"))
    for day in sorted(days):
        year, month, _ = day.split("/")
        yield (
            f"/{day}/",
            url_for("public.month_archive", year=int(year), month=int(month)),
            None,
        )
    for stored in ctx.attachments.values():
        target, post_id = stored.url, None
        if stored.media_id is None:
            parent = posts.get(ctx.posts.get(stored.parent_wp_id, -1))
            if parent is None:
                continue
            target, post_id = public_url(parent), parent.id
        yield f"/?attachment_id={stored.wp_id}", target, post_id


def _joined(path: str, tail: str) -> str:
    return path.rstrip("/") + "/" + tail


def _renamed(path: str, slug: str) -> str:
    parts = path.rstrip("/").split("/")
    parts[-1] = slug
    return "/".join(parts) + "/"


def _terms(ctx: ImportContext, taxonomy: Taxonomy) -> Iterator[tuple[str, Term]]:
    wanted = {slug: tid for (kind, slug), tid in ctx.terms.items() if kind == taxonomy}
    terms = {
        t.id: t
        for t in db.session.scalars(select(Term).where(Term.id.in_(wanted.values())))
    }
    for wp_slug, term_id in sorted(wanted.items()):
        if term_id in terms:
            yield wp_slug, terms[term_id]


def _categories(ctx: ImportContext) -> Iterator[tuple[str, str, int | None]]:
    for wp_slug, term in _terms(ctx, Taxonomy.CATEGORY):
        target = url_for("public.category", slug=term.slug)
        old = f"/category/{category_path(ctx, wp_slug)}/"
        yield old, target, None
        yield _joined(old, "feed/"), _joined(target, "feed/"), None
        if wp_id := ctx.category_ids.get(wp_slug):
            yield f"/?cat={wp_id}", target, None


def _tags(ctx: ImportContext) -> Iterator[tuple[str, str, int | None]]:
    for wp_slug, term in _terms(ctx, Taxonomy.TAG):
        target = url_for("public.tag", slug=term.slug)
        yield f"/tag/{wp_slug}/", target, None
        yield f"/tag/{wp_slug}/feed/", _joined(target, "feed/"), None


def _authors(ctx: ImportContext) -> Iterator[tuple[str, str, int | None]]:
    users = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_(ctx.users.values())))
    }
    for login, user_id in sorted(ctx.users.items()):
        user = users.get(user_id)
        if user is None:
            continue
        target = url_for("public.author", slug=user.slug)
        for name in dict.fromkeys((login, nicename(login))):  # as typed, as served
            yield f"/author/{name}/", target, None
            yield f"/author/{name}/feed/", _joined(target, "feed/"), None
    for wp_id, user_id in sorted(ctx.user_ids.items()):
        if (user := users.get(user_id)) is not None:
            yield f"/?author={wp_id}", url_for("public.author", slug=user.slug), None
