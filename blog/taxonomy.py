"""Categories and tags: parsing the editor's comma lists, creating, renaming."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Taxonomy, Term, User
from blog.permissions import can_manage_terms, require
from blog.slugs import slugify, unique_slug

MAX_NAME = 100


class TermError(ValueError):
    pass


def parse_names(text: str) -> list[str]:
    """``"News, python ,news"`` -> ``["News", "python"]`` (first spelling wins)."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())[:MAX_NAME]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def find_terms(taxonomy: str, names: Iterable[str]) -> dict[str, Term]:
    """Existing terms by lower-cased name, in one query."""
    wanted = [n.lower() for n in names]
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(Term).where(Term.taxonomy == taxonomy, func.lower(Term.name).in_(wanted))
    )
    return {t.name.lower(): t for t in rows}


def resolve_terms(
    taxonomy: str, names: list[str], *, create: bool = True
) -> list[Term]:
    """The terms for ``names``, creating missing ones (unsaved unless ``create``)."""
    existing = find_terms(taxonomy, names)
    terms = []
    for name in names:
        term = existing.get(name.lower())
        if term is None:
            term = Term(taxonomy=taxonomy, name=name, slug=slugify(name, 120))
            if create:
                term.slug = unique_slug(term.slug, lambda s: _slug_taken(taxonomy, s))
                db.session.add(term)
                db.session.flush()
        terms.append(term)
    return terms


def _slug_taken(taxonomy: str, slug: str, exclude_id: int | None = None) -> bool:
    query = select(Term.id).where(Term.taxonomy == taxonomy, Term.slug == slug)
    if exclude_id is not None:
        query = query.where(Term.id != exclude_id)
    return db.session.scalar(query) is not None


def term_names(taxonomy: str) -> list[str]:
    """Every name in a taxonomy, for the editor's suggestions."""
    return list(
        db.session.scalars(
            select(Term.name).where(Term.taxonomy == taxonomy).order_by(Term.name)
        )
    )


def create_term(actor: User, taxonomy: str, name: str, description: str = "") -> Term:
    """Add a category or tag (commits). :raises TermError: name empty or taken."""
    require(can_manage_terms(actor))
    name = " ".join(name.split())[:MAX_NAME]
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
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        raise TermError("Give it a name.")
    clash = find_terms(term.taxonomy, [name]).get(name.lower())
    if clash is not None and clash.id != term.id:
        raise TermError(f"“{name}” already exists.")
    new_slug = slugify(slug or name, 120)
    if _slug_taken(term.taxonomy, new_slug, exclude_id=term.id):
        raise TermError(f"The slug “{new_slug}” is taken.")
    term.name, term.slug, term.description = name, new_slug, description
    db.session.commit()


def delete_term(actor: User, term: Term) -> None:
    """Delete a term; posts keep their other terms (commits)."""
    require(can_manage_terms(actor))
    db.session.delete(term)
    db.session.commit()


TAXONOMIES = (Taxonomy.CATEGORY, Taxonomy.TAG)
