"""Old addresses that answer with a 301 (:class:`~blog.models.Redirect`):
how an address is made canonical, the lookup the public site makes on a
404, and Tools → Redirects' rules (admins list, add, edit and delete them).

One canonical form is the unique key, for stored sources and incoming
requests alike (:func:`normalize_source`): the path only (the host is
dropped), percent-decoded then re-encoded one way (``%e4%b8%ad`` and ``中``
are the same address, stored as ``%E4%B8%AD``), a trailing slash when the
last segment has no dot (``/2008/09/03/slug`` is ``/2008/09/03/slug/``),
and of the query only the one key WordPress routes by (``/?p=123``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from flask import current_app, has_app_context
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.urls import iri_to_uri, uri_to_iri

from blog.database import contains
from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import Post, Redirect, User
from blog.paging import KeyedPagination, paginate
from blog.site.settings import can_manage_settings
from blog.validation import http_url, strip_invisible

#: WordPress's query keys that name one thing (``/?p=123``, ``/?cat=4``),
#: in the order one is chosen when an address holds several.
ROUTING_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "m")
#: The model's column length: a longer address cannot be stored.
ADDRESS_MAX = 500
PER_PAGE = 50
#: What Tools → Redirects says for :attr:`Redirect.origin`.
ORIGIN_LABELS = {"wordpress": "WordPress", "manual": "Added by hand"}
#: Left as they are in a path (RFC 3986's ``pchar`` and ``/``), all else
#: percent-encoded in upper case.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SCHEMES = ("http", "https")


# The canonical form ---------------------------------------------------------------


def normalize_source(address: str) -> str | None:
    """``address`` (a full ``http(s)`` address, a path, a path with a
    query) in its canonical form, the key a redirect is stored and found by;
    ``None`` when it cannot be redirected: empty, ``/`` alone, another
    scheme (``mailto:``), a relative path, control characters, too long.

    ``/index.php?p=1`` is WordPress's ``/?p=1`` and is stored as such.
    """
    text = address.strip()
    if _CONTROL.search(text):
        return None
    text = strip_invisible(text)
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # "http://[bad"
        return None
    if parts.scheme and parts.scheme.lower() not in _SCHEMES:
        return None
    if not (parts.scheme or parts.netloc or text.startswith(("/", "?"))):
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    return _canonical(unquote(parts.path), dict(reversed(query)))


def request_key(path: str, query_args: Mapping[str, str]) -> str | None:
    """The canonical form of a request: ``path`` as Werkzeug decoded it
    (``request.path``) and its query arguments (``request.args``)."""
    if _CONTROL.search(path):
        return None
    return _canonical(path, query_args)


def _canonical(path: str, query_args: Mapping[str, str]) -> str | None:
    """The key of a decoded ``path`` with the routing key of ``query_args``."""
    path = quote(path or "/", safe=_PATH_SAFE)
    if not path.startswith("/"):
        path = f"/{path}"
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:
        path = f"{path}/"
    key = next((k for k in ROUTING_KEYS if query_args.get(k)), None)
    if key is not None:
        if path == "/index.php":
            path = "/"
        path = f"{path}?{key}={quote(str(query_args[key]), safe='')}"
    if path == "/" or len(path) > ADDRESS_MAX:
        return None
    return path


def has_routing_query(query_args: Mapping[str, str]) -> bool:
    """Whether a request to the home page is WordPress's ``/?p=123`` (or
    ``?page_id=``, ``?cat=``...): an old address, not the home page. An
    empty value (``/?p=``) is no id: WordPress shows its home page."""
    return any(query_args.get(key) for key in ROUTING_KEYS)


def readable(address: str) -> str:
    """``address`` as people read it (``/2008/09/中文/``), for showing."""
    return uri_to_iri(address)


def _target(target: str) -> str | None:
    """``target`` fit for a ``Location`` header (a path on this site or an
    ``http(s)`` address, non-ASCII percent-encoded), or ``None``."""
    text = target.strip()
    if not text or _CONTROL.search(text):
        return None
    text = strip_invisible(text)
    if text.startswith("/"):
        if text.startswith(("//", "/\\")):  # read by browsers as another host
            return None
    else:
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        if parts.scheme.lower() not in _SCHEMES or not parts.netloc:
            return None
    text = iri_to_uri(text)
    return text if len(text) <= ADDRESS_MAX else None


def _target_key(target: str) -> str | None:
    """The canonical form of ``target`` when it is on this site (a path, or
    an address on ``SITE_URL``'s host), to catch a redirect to itself."""
    if target.startswith("/"):
        return normalize_source(target)
    site = current_app.config.get("SITE_URL", "") if has_app_context() else ""
    host = urlsplit(target).netloc.lower()
    if site and host == urlsplit(site).netloc.lower():
        return normalize_source(target)
    return None


# The public site ------------------------------------------------------------------


def find_target(
    path: str,
    query_args: Mapping[str, str],
    now: datetime,
    address_of: Callable[[Post], str] | None = None,
) -> str | None:
    """Where the request for ``path`` with ``query_args`` now lives, or
    ``None`` (one query; a second when a post's own address is asked for).

    A redirect to a post readers cannot see at ``now`` (a draft, scheduled,
    trashed, private) gives ``None``: the old address is a 404 rather than
    telling where the post will be. Once they can, ``address_of`` (given)
    says where the post is now, so that an imported draft published later,
    or a post whose slug changed, is found at its own address.
    """
    key = request_key(path, query_args)
    if key is None:
        return None
    query = (
        select(Redirect.target, Redirect.post_id)
        .outerjoin(Post, Post.id == Redirect.post_id)
        .where(
            Redirect.source == key,
            or_(Redirect.post_id.is_(None), Post.visible_at(now)),
        )
        .limit(1)
    )
    row = db.session.execute(query).first()
    if row is None:
        return None
    target, post_id = row
    if post_id is not None and address_of is not None:
        post = db.session.get(Post, post_id)  # found: one query more
        if post is not None:
            return address_of(post)
    return str(target)


# Storing --------------------------------------------------------------------------


def add_redirect(
    source: str, target: str, *, post_id: int | None = None, origin: str = "manual"
) -> Redirect | None:
    """Store (or update: the same old address gets the new target) a
    redirect from ``source`` to ``target``; no commit. For the importer's
    loop: one ``SELECT`` and an add (the session's autoflush makes a source
    added twice in one transaction one row).

    ``None``, and nothing stored, when ``source`` cannot be redirected, when
    ``target`` is neither a path nor an ``http(s)`` address, or when both
    are the same address.
    """
    key = normalize_source(source)
    location = _target(target)
    if key is None or location is None or _target_key(location) == key:
        return None
    redirect = db.session.scalar(select(Redirect).where(Redirect.source == key))
    if redirect is None:
        redirect = Redirect(source=key, target=location, post_id=post_id, origin=origin)
        db.session.add(redirect)
    else:
        redirect.target, redirect.post_id = location, post_id
    return redirect


# Tools → Redirects ----------------------------------------------------------------


def redirect_page(
    actor: User, search: str = "", page: int = 1, per_page: int = PER_PAGE
) -> KeyedPagination:
    """The redirects whose old or new address holds ``search`` (typed as
    read, ``中文``, or as stored, ``%E4%B8%AD``), newest first, one page of
    them with their exact count (``total``).

    :raises PermissionDenied: only admins manage redirects.
    """
    require(can_manage_settings(actor))
    query = select(Redirect).order_by(Redirect.created_at.desc(), Redirect.id.desc())
    if search := " ".join(search.split()):
        encoded = quote(search, safe=_PATH_SAFE + "?%")
        query = query.where(
            or_(
                contains(search, Redirect.source, Redirect.target),
                contains(encoded, Redirect.source, Redirect.target),
            )
        )
    return paginate(query, page=page, per_page=per_page, error_out=False, cap=None)


def create_redirect(actor: User, source: str, target: str) -> Redirect:
    """Tools → Redirects' "Add Redirect" (commits).

    :raises PermissionDenied: only admins manage redirects.
    :raises FieldError: on ``source`` or ``target``; nothing is stored.
    """
    require(can_manage_settings(actor))
    key, location = _checked(source, target, None)
    redirect = Redirect(source=key, target=location, origin="manual")
    db.session.add(redirect)
    _commit()
    return redirect


def update_redirect(actor: User, redirect: Redirect, source: str, target: str) -> None:
    """Tools → Redirects' "Save Redirect" (commits). A new target forgets
    the post the old address meant: it no longer follows its visibility.

    :raises PermissionDenied: only admins manage redirects.
    :raises FieldError: on ``source`` or ``target``; nothing is changed.
    """
    require(can_manage_settings(actor))
    key, location = _checked(source, target, redirect.id)
    if location != redirect.target:
        redirect.post_id = None
    redirect.source, redirect.target = key, location
    _commit()


def delete_redirect(actor: User, redirect: Redirect) -> None:
    """Tools → Redirects' "Delete" (commits): the old address answers 404 again.

    :raises PermissionDenied: only admins manage redirects.
    """
    require(can_manage_settings(actor))
    db.session.delete(redirect)
    db.session.commit()


def _checked(source: str, target: str, own_id: int | None) -> tuple[str, str]:
    """The canonical source and the target, checked together.

    :raises FieldError: every field's problem at once.
    """
    errors: dict[str, str] = {}
    key = normalize_source(source)
    if not source.strip():
        errors["source"] = "Give the old address."
    elif key is None:
        errors["source"] = (
            "Give the old address as a path such as /2008/09/03/old-post/ "
            "or a full address starting with https:// (not the home page alone)."
        )
    location = ""
    try:
        location = http_url(target, "target", max_length=ADDRESS_MAX, allow_path=True)
    except FieldError as error:
        errors.update(error.errors)
    else:
        if not location:
            errors["target"] = "Give the new address."
        elif (found := _target(location)) is None:
            errors["target"] = (
                "Give a path on this site starting with / or a full address "
                "starting with https://"
            )
        else:
            location = found
    if key is not None and location and "target" not in errors:
        if _target_key(location) == key:
            errors["target"] = "The new address is the old one: it would never load."
        elif _loops(key, location):
            errors["target"] = (
                "The new address is redirected back to the old one: "
                "readers would go round in circles."
            )
    if key is not None and "source" not in errors:
        taken = db.session.scalar(select(Redirect.id).where(Redirect.source == key))
        if taken is not None and taken != own_id:
            errors["source"] = (
                f"There is already a redirect from {readable(key)}: edit that one."
            )
    if errors:
        raise FieldError(errors=errors)
    assert key is not None
    return key, location


def _loops(key: str, location: str) -> bool:
    """Whether ``location`` is itself redirected back to ``key``."""
    target_key = _target_key(location)
    if target_key is None:
        return False
    back = db.session.scalar(
        select(Redirect.target).where(Redirect.source == target_key)
    )
    return back is not None and _target_key(back) == key


def _commit() -> None:
    """Commit; a source another admin stored meanwhile is a field's error."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError(
            "There is already a redirect from this address: edit that one.",
            "source",
        ) from None
