"""The dashboard's lists of posts: what each person manages, filtered,
counted by status, and the choices its filters offer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from blog.database import contains
from blog.extensions import db
from blog.models import Post, PostKind, PostStatus, Taxonomy, Term, User
from blog.posts.permissions import can_see_all_posts


def dashboard_posts(
    actor: User,
    *,
    kind: PostKind = PostKind.ARTICLE,
    status: str = "",
    author_id: int | None = None,
    category_id: int | None = None,
    search: str = "",
) -> Select[Post]:
    """The posts an actor manages, filtered, newest first.

    Contributors and authors see their own posts; editors and admins see all.
    Trashed posts show only when asked for.
    """
    query = select(Post).where(Post.kind == kind)
    if not can_see_all_posts(actor):
        query = query.where(Post.author_id == actor.id)
    elif author_id:
        query = query.where(Post.author_id == author_id)
    if status:  # an unknown status finds nothing
        query = query.where(Post.status == status)
    else:
        query = query.where(Post.status != PostStatus.TRASH)
    if category_id:
        query = query.where(Post.has_term(Term.id == category_id))
    if search.strip():
        query = query.where(contains(search.strip(), Post.title))
    return query.order_by(Post.updated_at.desc(), Post.id.desc())


def status_counts(actor: User, kind: PostKind = PostKind.ARTICLE) -> dict[str, int]:
    """How many of the actor's visible posts are in each status (one query)."""
    query = (
        select(Post.status, func.count()).where(Post.kind == kind).group_by(Post.status)
    )
    if not can_see_all_posts(actor):
        query = query.where(Post.author_id == actor.id)
    counts = {status.value: 0 for status in PostStatus}
    counts.update({status.value: n for status, n in db.session.execute(query)})
    return counts


def recent_drafts(actor: User, limit: int = 5) -> list[Post]:
    """The actor's most recently changed drafts, for the dashboard's home."""
    query = dashboard_posts(actor, status=PostStatus.DRAFT).limit(limit)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class FilterChoices:
    """What the posts list's Author and Category filters offer: (id, name)."""

    authors: list[tuple[int, str]]
    categories: list[tuple[int, str]]


def filter_choices() -> FilterChoices:
    """Every author and every category, by name (two queries)."""
    authors = db.session.execute(
        select(User.id, User.display_name).order_by(User.display_name)
    )
    categories = db.session.execute(
        select(Term.id, Term.name)
        .where(Term.taxonomy == Taxonomy.CATEGORY)
        .order_by(Term.name)
    )
    return FilterChoices(list(authors), list(categories))
