"""The export's authors become users: invited (no password), with the role
the import was given; someone already here with the same login or email is
matched, not copied."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from blog.accounts.users import DISPLAY_NAME_MAX, AccountError, create_user, find_user
from blog.extensions import db
from blog.importing.context import ImportContext
from blog.importing.records import Author
from blog.models import EDITOR_ROLES, Role, User
from blog.posts.slugs import slugify, unique_slug

KIND = "author"


def import_author(ctx: ImportContext, author: Author) -> None:
    """Match or create the user ``author`` names."""
    tally = ctx.summary.tally("authors")
    login = author.login.strip()
    if not login:
        tally.failed += 1
        ctx.summary.failures.append("An author without a login was left out.")
        return
    linked = ctx.links.find(KIND, login.lower())
    user = db.session.get(User, linked) if linked is not None else None
    if user is None:
        user = _existing_user(login, author.email)
    if user is not None:
        tally.existing += 1
        if linked is None:
            ctx.links.record(KIND, login.lower(), user.id)
    else:
        user = _create(ctx, author, login)
        if user is None:
            tally.failed += 1
            return
        tally.created += 1
        ctx.links.record(KIND, login.lower(), user.id)
    _remember(ctx, author, user)


def _existing_user(login: str, email: str) -> User | None:
    match = func.lower(User.username) == login.lower()
    if email.strip():
        match = match | (func.lower(User.email) == email.strip().lower())
    return db.session.scalar(select(User).where(match).order_by(User.id).limit(1))


def _create(ctx: ImportContext, author: Author, login: str) -> User | None:
    display = author.display_name.strip() or " ".join(
        part for part in (author.first_name.strip(), author.last_name.strip()) if part
    )
    username = unique_slug(_username(login), lambda name: find_user(name) is not None)[
        :60
    ]
    display = " ".join((display or login).split())[:DISPLAY_NAME_MAX]
    email = author.email.strip()
    for attempt_email in (email, f"{slugify(login)}@imported.invalid"):
        try:
            return create_user(
                username, attempt_email, None, ctx.options.author_role, display
            )
        except AccountError as error:
            if error.field != "email":
                ctx.summary.failures.append(
                    f"Author {login!r}: {error} Their posts go to the first author."
                )
                return None
    ctx.summary.failures.append(f"Author {login!r}: no usable email address.")
    return None


def _username(login: str) -> str:
    """WordPress logins may hold spaces and ``@``; usernames here are plainer."""
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", login).strip("-._")
    return plain[:60] or slugify(login)[:60]


def nicename(login: str) -> str:
    """WordPress's ``user_nicename`` for a login (``sanitize_title``): the
    ``/author/<nicename>/`` address it gave the author."""
    text = re.sub(r"\s+", "-", login.strip().lower())
    return re.sub(r"[^a-z0-9_-]", "", text)


def _remember(ctx: ImportContext, author: Author, user: User) -> None:
    ctx.users[author.login.strip().lower()] = user.id
    if author.wp_id:
        ctx.user_ids[author.wp_id] = user.id
    if author.email.strip():
        ctx.user_emails[author.email.strip().lower()] = user.id


def fallback_author(ctx: ImportContext) -> int:
    """Who writes a post whose ``dc:creator`` is not among the authors: the
    first author of the export, else the site's first editor or admin."""
    if ctx.fallback_author_id is None:
        if ctx.users:
            ctx.fallback_author_id = next(iter(ctx.users.values()))
        else:
            ctx.fallback_author_id = db.session.scalar(
                select(User.id)
                .where(User.role.in_(sorted(EDITOR_ROLES)))
                .order_by(User.role != Role.ADMIN, User.id)
                .limit(1)
            )
        if ctx.fallback_author_id is None:
            raise LookupError("the site has no administrator to write posts")
    return ctx.fallback_author_id


def author_of(ctx: ImportContext, creator: str) -> int:
    found = ctx.users.get(creator.strip().lower())
    return found if found is not None else fallback_author(ctx)
