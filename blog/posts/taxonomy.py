"""Terms (categories, tags, event audiences and units): parsing the editor's
comma lists (categories and tags) or lists of names (audiences and units,
whose names may hold commas), finding and creating terms, renaming,
deleting, counting use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Select, func, select

from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import Post, Taxonomy, Term, User, post_terms
from blog.posts.permissions import can_manage_terms
from blog.posts.slugs import slugify, unique_slug
from blog.validation import strip_invisible

MAX_NAME = 100
MAX_SLUG = 120


class TermError(FieldError):
    """A term's name or slug is refused (shown next to its Name field)."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message, field)


def tidy_name(raw: str) -> str:
    """A term's name on one line, its spaces tidied, without control or
    invisible characters (bidi overrides, zero-width spaces)."""
    return " ".join(strip_invisible(raw).split())


def unique_names(names: Iterable[str]) -> list[str]:
    """Names with their spaces tidied, without blanks or repeats in any case
    (the first spelling wins); commas are part of a name."""
    seen: dict[str, str] = {}
    for raw in names:
        name = tidy_name(raw)
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def parse_names(text: str) -> list[str]:
    """``"News, python ,news"`` -> ``["News", "python"]`` (first spelling wins)."""
    return unique_names(tidy_name(raw)[:MAX_NAME] for raw in text.split(","))


def find_terms(taxonomy: Taxonomy, names: Iterable[str]) -> dict[str, Term]:
    """Existing terms by lower-cased name, in one query."""
    wanted = [n.lower() for n in names]
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(Term).where(Term.taxonomy == taxonomy, func.lower(Term.name).in_(wanted))
    )
    return {t.name.lower(): t for t in rows}


def resolve_terms(
    taxonomy: Taxonomy, names: list[str], *, create: bool = True
) -> list[Term]:
    """The terms for ``names``, creating missing ones (unsaved unless ``create``)."""
    existing = find_terms(taxonomy, names)
    terms = []
    for name in names:
        term = existing.get(name.lower())
        if term is None:
            term = Term(taxonomy=taxonomy, name=name, slug=slugify(name, MAX_SLUG))
            if create:
                term.slug = unique_slug(term.slug, lambda s: slug_taken(taxonomy, s))
                db.session.add(term)
                db.session.flush()
        terms.append(term)
    return terms


def slug_taken(taxonomy: Taxonomy, slug: str, exclude_id: int | None = None) -> bool:
    """Whether another term of ``taxonomy`` has ``slug``."""
    query = select(Term.id).where(Term.taxonomy == taxonomy, Term.slug == slug)
    if exclude_id is not None:
        query = query.where(Term.id != exclude_id)
    return db.session.scalar(query) is not None


def terms_from_text(
    taxonomy: Taxonomy, text: str, *, create: bool = True
) -> list[Term]:
    """The terms an editor typed as a comma list (see :func:`resolve_terms`)."""
    return resolve_terms(taxonomy, parse_names(text), create=create)


def term_names(taxonomy: Taxonomy) -> list[str]:
    """Every name in a taxonomy, for the editor's suggestions."""
    return list(
        db.session.scalars(
            select(Term.name).where(Term.taxonomy == taxonomy).order_by(Term.name)
        )
    )


def create_term(
    actor: User, taxonomy: Taxonomy, name: str, description: str = ""
) -> Term:
    """Add a category or tag (commits). :raises TermError: name empty or taken."""
    require(can_manage_terms(actor))
    name = tidy_name(name)[:MAX_NAME]
    if not name:
        raise TermError("Give it a name.")
    if find_terms(taxonomy, [name]):
        raise TermError(f"“{name}” already exists.")
    term = resolve_terms(taxonomy, [name])[0]
    term.description = description
    db.session.commit()
    return term


def rename_term(
    actor: User, term: Term, name: str, slug: str = "", description: str = ""
) -> None:
    """Rename a term; its posts keep it (commits). :raises TermError:"""
    require(can_manage_terms(actor))
    name = tidy_name(name)[:MAX_NAME]
    if not name:
        raise TermError("Give it a name.")
    clash = find_terms(term.taxonomy, [name]).get(name.lower())
    if clash is not None and clash.id != term.id:
        raise TermError(f"“{name}” already exists.")
    new_slug = slugify(slug or name, MAX_SLUG)
    if slug_taken(term.taxonomy, new_slug, exclude_id=term.id):
        raise TermError(f"The slug “{new_slug}” is taken.")
    term.name, term.slug, term.description = name, new_slug, description
    db.session.commit()


def delete_term(actor: User, term: Term) -> None:
    """Delete a term; posts keep their other terms (commits)."""
    require(can_manage_terms(actor))
    db.session.delete(term)
    db.session.commit()


def usage(taxonomy: Taxonomy) -> list[tuple[Term, int]]:
    """Every term of a taxonomy with how many posts carry it, by name."""
    rows = db.session.execute(
        select(Term, func.count(post_terms.c.post_id))
        .outerjoin(post_terms, post_terms.c.term_id == Term.id)
        .where(Term.taxonomy == taxonomy)
        .group_by(Term.id)
        .order_by(Term.name)
    )
    return [(term, count) for term, count in rows]


def carried_by(post_ids: Select[int]) -> ColumnElement[bool]:
    """The term is carried by one of the posts ``post_ids`` selects (the
    reverse of :meth:`blog.models.Post.has_term`).

    A correlated ``EXISTS``: each term's posts are looked at until one
    qualifies, so the menu's categories cost the same with 100 posts or
    100,000 (an ``IN`` of every visible post's terms read them all)."""
    carriers = post_ids.where(Post.id == post_terms.c.post_id)
    return (
        select(post_terms.c.term_id)
        .where(post_terms.c.term_id == Term.id, carriers.exists())
        .exists()
    )


def terms_used_by(post_ids: Select[int], taxonomies: Sequence[Taxonomy]) -> list[Term]:
    """Terms of ``taxonomies`` carried by the posts ``post_ids`` selects, by name."""
    return list(
        db.session.scalars(
            select(Term)
            .where(Term.taxonomy.in_(taxonomies), carried_by(post_ids))
            .order_by(Term.name)
        )
    )
