"""WordPress's navigation menu becomes the site menu, when the export has
one and the site has not saved a menu of its own. An export does not say
which menu the theme showed: the one named like a main menu ("Primary",
"Main", "Header"...) is taken, else the one with the most items.
Menus here nest one level: deeper items join their top-level ancestor."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from flask import current_app

from blog.extensions import db
from blog.importing.context import ImportContext
from blog.importing.records import Item
from blog.models import Post, PostKind, Taxonomy
from blog.site.menu import (
    LABEL_MAX,
    MAX_ITEMS,
    SETTING,
    LinkKind,
    MenuItem,
    stored_menu,
)
from blog.site.settings import load_settings, save_settings
from blog.views.context import public_url

_MAIN_WORDS = ("primary", "main", "header", "top", "navigation")


def import_menu(ctx: ImportContext) -> None:
    menus: dict[str, list[Item]] = defaultdict(list)
    names: dict[str, str] = {}
    for item in ctx.menu_items:
        for term in item.terms:
            if term.domain == "nav_menu":
                menus[term.slug].append(item)
                names[term.slug] = term.name
    if not menus:
        return
    tally = ctx.summary.tally("menu items")
    if stored_menu(load_settings()) is not None:
        tally.skipped += sum(len(items) for items in menus.values())
        ctx.summary.notes.append(
            "The site already has a menu of its own: the export's menus were left out."
        )
        return
    chosen = _choose(menus, names)
    items = _tree(ctx, menus[chosen])
    if not items:
        tally.skipped += sum(len(v) for v in menus.values())
        ctx.summary.notes.append(
            f"The export's “{names[chosen]}” menu links nowhere this site can: "
            "the default menu stays; build one in Settings → Menu."
        )
        return
    tally.created += sum(1 + len(i.children) for i in items)
    tally.skipped += sum(len(v) for k, v in menus.items() if k != chosen)
    tally.skipped += len(menus[chosen]) - sum(1 + len(i.children) for i in items)
    save_settings({SETTING: {"items": [item.to_json() for item in items]}})
    others = ", ".join(f"“{names[k]}”" for k in sorted(menus) if k != chosen)
    ctx.summary.notes.append(
        f"The site menu is the export's “{names[chosen]}” menu"
        + (f" (also in the file: {others})" if others else "")
        + "; change it in Settings → Menu."
    )


def _choose(menus: dict[str, list[Item]], names: dict[str, str]) -> str:
    for slug in sorted(menus):
        if any(word in names[slug].lower() for word in _MAIN_WORDS) and menus[slug]:
            return slug
    return max(sorted(menus), key=lambda slug: len(menus[slug]))


def _tree(ctx: ImportContext, items: list[Item]) -> list[MenuItem]:
    """The menu, one level deep: each kept item under its highest kept
    ancestor; the children of an item that cannot be kept (a "#" heading,
    a page left out) take its place, as the site menu does."""
    items = sorted(items, key=lambda i: (i.menu_order, i.wp_id))
    by_id = {item.wp_id: item for item in items}
    base = current_app.config.get("SITE_URL") or "http://localhost"
    with current_app.test_request_context("/", base_url=base):
        made = {item.wp_id: _item(ctx, item) for item in items}

    def parent_of(item: Item) -> Item | None:
        try:
            wp_id = int(item.meta.get("_menu_item_menu_item_parent", "0") or 0)
        except ValueError:
            return None
        return by_id.get(wp_id)

    def top_of(item: Item) -> Item:
        """The highest kept ancestor, or the item itself."""
        top, seen = item, {item.wp_id}
        current = parent_of(item)
        while current is not None and current.wp_id not in seen:
            seen.add(current.wp_id)
            if made[current.wp_id] is not None:
                top = current
            current = parent_of(current)
        return top

    own: dict[int, MenuItem] = {}  # top-level items, by WordPress id
    kids: dict[int, list[MenuItem]] = defaultdict(list)
    count = 0
    for item in items:
        kept = made[item.wp_id]
        if kept is None or count >= MAX_ITEMS:
            continue
        count += 1
        top = top_of(item)
        if top is item:
            own[item.wp_id] = kept
        else:
            kids[top.wp_id].append(kept)
    return [
        MenuItem(i.link, i.label, i.target_id, i.url, tuple(kids[wp_id]))
        for wp_id, i in own.items()
    ]


def _item(ctx: ImportContext, item: Item) -> MenuItem | None:
    kind = item.meta.get("_menu_item_type", "")
    obj = item.meta.get("_menu_item_object", "")
    label = " ".join(item.title.split())[:LABEL_MAX]
    try:
        object_id = int(item.meta.get("_menu_item_object_id", "0") or 0)
    except ValueError:
        object_id = 0
    if kind == "post_type" and (post_id := ctx.posts.get(object_id)):
        post = db.session.get(Post, post_id)
        if post is None:
            return None
        if post.kind == PostKind.PAGE:
            return MenuItem(LinkKind.PAGE, label, post.id)
        return MenuItem(
            LinkKind.URL, label or post.title[:LABEL_MAX], url=public_url(post)
        )
    if kind == "taxonomy" and obj == "category":
        slug = next(
            (s for s, wp_id in ctx.category_ids.items() if wp_id == object_id), None
        )
        term_id = ctx.terms.get((Taxonomy.CATEGORY.value, slug or ""))
        return MenuItem(LinkKind.CATEGORY, label, term_id) if term_id else None
    if kind == "custom":
        url = item.meta.get("_menu_item_url", "").strip()
        old = urlsplit(ctx.site.link)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc == old.netloc:
            url = parts.path or "/"  # the old site's own page: its redirect leads on
        if not url or url.startswith("#") or not label:
            return None
        return MenuItem(LinkKind.URL, label, url=url[:500])
    return None
