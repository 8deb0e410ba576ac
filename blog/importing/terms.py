"""Categories (with their parents) and tags, matched by slug with the
site's own. WordPress allows two categories of one name under different
parents; here names are unique, so the second is numbered ("Foo A (2)")."""

from __future__ import annotations

from urllib.parse import unquote

from sqlalchemy import select

from blog.extensions import db
from blog.importing.context import ImportContext
from blog.importing.records import Category, Tag
from blog.models import Taxonomy, Term
from blog.posts.slugs import slugify, unique_slug
from blog.posts.taxonomy import MAX_NAME, MAX_SLUG, find_terms, slug_taken, tidy_name
from blog.rendering import plain_text

#: WordPress's taxonomy names (an item's ``<category domain>``) -> ours.
TAXONOMIES = {"category": Taxonomy.CATEGORY, "post_tag": Taxonomy.TAG}


def import_category(ctx: ImportContext, category: Category) -> None:
    _import(ctx, Taxonomy.CATEGORY, category.slug, category.name, category.description)
    if category.wp_id:
        ctx.category_ids[category.slug] = category.wp_id
    if category.parent_slug:
        ctx.category_parents[category.slug] = category.parent_slug


def import_tag(ctx: ImportContext, tag: Tag) -> None:
    _import(ctx, Taxonomy.TAG, tag.slug, tag.name, tag.description)


def _import(
    ctx: ImportContext, taxonomy: Taxonomy, wp_slug: str, name: str, description: str
) -> int | None:
    kind = taxonomy.value
    tally = ctx.summary.tally("categories" if taxonomy == Taxonomy.CATEGORY else "tags")
    wp_slug = wp_slug.strip()
    name = tidy_name(plain_text(name))[:MAX_NAME] or wp_slug
    if not wp_slug and not name:
        tally.failed += 1
        return None
    wp_slug = wp_slug or slugify(name, MAX_SLUG)
    term_id = ctx.links.find(kind, wp_slug)
    if term_id is None:
        slug = _slug(wp_slug, name)
        term = (
            db.session.scalar(
                select(Term).where(Term.taxonomy == taxonomy, Term.slug == slug)
            )
            if slug
            else None
        )
        if not slug:  # a name in another alphabet: a slug of its own
            slug = unique_slug(kind, lambda s: slug_taken(taxonomy, s))
        if term is None:
            term = Term(
                taxonomy=taxonomy,
                slug=slug,
                name=_free_name(taxonomy, name),
                description=plain_text(description).strip(),
            )
            db.session.add(term)
            db.session.flush()
            tally.created += 1
        else:
            tally.existing += 1
        term_id = term.id
        ctx.links.record(kind, wp_slug, term_id)
    else:
        tally.existing += 1
    ctx.terms[(kind, wp_slug)] = term_id
    return term_id


def _slug(wp_slug: str, name: str) -> str:
    """The slug here: WordPress's (kept percent-encoded, ``%e4%b8%ad``, for
    other alphabets) made ASCII, else the name's; "" when neither has a
    letter this site's slugs can hold ("新闻", "Новости")."""
    for text in (unquote(wp_slug), name):
        slug = slugify(text, MAX_SLUG)
        if slug != "untitled" or text.strip().lower() == "untitled":
            return slug
    return ""


def term_for_item(
    ctx: ImportContext, taxonomy: Taxonomy, slug: str, name: str
) -> int | None:
    """A term an item names that the export did not list (WordPress's
    "Posts only" exports list none): made as WordPress's importer does."""
    return _import(ctx, taxonomy, slug, name, "")


def _free_name(taxonomy: Taxonomy, name: str) -> str:
    """``name``, or "name (2)"... when taken in any letter case (the editor
    finds terms by name as typed, in any case)."""
    candidate, n = name, 2
    while find_terms(taxonomy, [candidate]):
        suffix = f" ({n})"
        candidate, n = name[: MAX_NAME - len(suffix)] + suffix, n + 1
    return candidate


def link_parents(ctx: ImportContext) -> None:
    """Set each imported category's parent, once all are known (a parent may
    come after its child in the file)."""
    for child, parent in ctx.category_parents.items():
        child_id = ctx.terms.get((Taxonomy.CATEGORY.value, child))
        parent_id = ctx.terms.get((Taxonomy.CATEGORY.value, parent))
        if child_id is None or parent_id is None or child_id == parent_id:
            continue
        term = db.session.get(Term, child_id)
        if (
            term is not None
            and term.parent_id is None
            and not _loops(parent_id, child_id)
        ):
            term.parent_id = parent_id


def _loops(parent_id: int, child_id: int) -> bool:
    """Whether ``child_id`` is already among ``parent_id``'s ancestors."""
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == child_id:
            return True
        seen.add(current)
        current = db.session.scalar(select(Term.parent_id).where(Term.id == current))
    return False


def category_path(ctx: ImportContext, slug: str) -> str:
    """WordPress's nested address of a category: ``parent/child``."""
    parts, seen = [slug], {slug}
    while (parent := ctx.category_parents.get(parts[0])) and parent not in seen:
        parts.insert(0, parent)
        seen.add(parent)
    return "/".join(parts)
