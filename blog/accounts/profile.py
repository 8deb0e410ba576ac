"""Each person's own account: what they show of themselves (display name,
bio, website), their email, their password and their signed-in devices.

:func:`update_profile` is shared by the profile page (people editing
themselves) and the users screen (admins editing someone); the bio is
Markdown, rendered and sanitized once, when saved, with the comments' rules
(links get ``nofollow``, no images). Two-factor login is in
:mod:`blog.accounts.twofactor`, email changes in
:mod:`blog.accounts.email_change`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ua_parser import parse

from blog.accounts import audit, passwords, sessions
from blog.accounts.authentication import ThrottleLimits, claim_try, refund_try
from blog.accounts.avatar import PictureChange, Swap, change_picture
from blog.accounts.credentials import password_matches, set_password
from blog.accounts.email_change import checked_new_email, request_email_change
from blog.accounts.twofactor import reauth_scope
from blog.accounts.users import DISPLAY_NAME_MAX, render_bio
from blog.errors import FieldError
from blog.extensions import db
from blog.media import Uploads
from blog.models import User, UserSession
from blog.validation import clean_text, http_url, name_line

WEBSITE_MAX = 200


def update_profile(
    user: User,
    *,
    display_name: str,
    bio: str,
    website: str,
    actor: User | None,
    also_changed: Sequence[str] = (),
) -> list[str]:
    """Change the public profile (the caller commits); the names of the
    fields that changed, recorded when there are any.

    :param also_changed: what the caller changed besides (the picture),
        recorded in the same line.
    :raises FieldError: naming ``display_name``, ``bio`` or ``website``.
    """
    display_name = name_line(display_name, "display_name", max_length=DISPLAY_NAME_MAX)
    website = (
        http_url(website, "website", max_length=WEBSITE_MAX) if website.strip() else ""
    )
    bio = clean_text(bio).strip()
    bio_html = render_bio(bio)
    changed = [
        name
        for name, old, new in (
            ("display name", user.display_name, display_name),
            ("bio", user.bio, bio),
            ("website", user.website, website),
        )
        if old != new
    ]
    changed += also_changed
    user.display_name = display_name
    user.bio = bio
    user.bio_html = bio_html
    user.website = website
    if changed:
        audit.record(user, "profile_updated", ", ".join(changed), actor=actor)
    return changed


WRONG_PASSWORD = "That is not your current password."
UNKNOWN_BROWSER = "Unknown browser"


def save_own_profile(
    user: User,
    *,
    display_name: str,
    email: str,
    bio: str,
    website: str,
    email_lifetime: timedelta,
    keyboard_shortcuts: bool | None = None,
    picture: PictureChange | None = None,
    uploads: Uploads | None = None,
) -> str | None:
    """The profile page's save (commits): name, bio, website, the comment
    screen's keyboard shortcuts and the profile picture at once; a new
    email only once confirmed from that address (a link is mailed). The new
    address waiting for confirmation, if this asked for one.

    :param picture: a new picture or its removal (needs ``uploads``).
    :raises FieldError: naming the field at fault; nothing is saved.
    """
    swap: Swap | None = None
    try:
        new_email = checked_new_email(user, email)
        also: list[str] = []
        if picture is not None:
            if uploads is None:
                raise TypeError("a picture needs the uploads folder")
            # Decoded before anything is written to the database.
            swap = change_picture(user, picture, uploads)
            if swap is not None:
                also.append("picture" if user.avatar_file else "picture removed")
        if keyboard_shortcuts is not None:  # a preference: not in the account's log
            user.keyboard_shortcuts = keyboard_shortcuts
        update_profile(
            user,
            display_name=display_name,
            bio=bio,
            website=website,
            actor=user,
            also_changed=also,
        )
        if new_email is not None:
            request_email_change(user, new_email, email_lifetime)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if swap is not None:
            swap.undo()
        raise
    if swap is not None:
        swap.done()
    return new_email


def change_own_password(
    user: User,
    current: str,
    new: str,
    limits: ThrottleLimits,
    now: datetime | None = None,
) -> None:
    """Change the password, proven by the current one (wrong tries are
    throttled per user); every other session ends, this one stays, and a
    notice is mailed (commits).

    :raises FieldError: on ``current_password`` or ``new_password``.
    :raises LoginThrottled: too many wrong current passwords lately.
    """
    counted = {reauth_scope(user): limits.free_failures}
    claim_try(counted, limits, now)
    if not password_matches(user, current):
        raise FieldError(WRONG_PASSWORD, "current_password")
    refund_try(counted, now)
    db.session.commit()
    try:
        set_password(
            user,
            new,
            action="password_changed",
            actor=user,
            keep_current_session=True,
        )
    except passwords.PasswordRejected as error:
        db.session.rollback()
        raise FieldError(str(error), "new_password") from None


@dataclass(frozen=True)
class Device:
    """One signed-in session as the profile lists it."""

    id: int
    #: ``"Firefox 121 on Windows 10"``, or :data:`UNKNOWN_BROWSER`.
    name: str
    ip: str
    signed_in: datetime
    last_seen: datetime
    current: bool


def describe_user_agent(user_agent: str) -> str:
    """The browser and system a user agent names, for people to recognize."""
    result = parse(user_agent[: sessions.USER_AGENT_MAX]) if user_agent else None
    browser = result.user_agent if result else None
    system = result.os if result else None
    if browser is None or browser.family == "Other":
        name = UNKNOWN_BROWSER
    else:
        name = " ".join(filter(None, (browser.family, browser.major)))
    if system is not None and system.family != "Other":
        name += " on " + " ".join(filter(None, (system.family, system.major)))
    return name


def devices(user: User) -> list[Device]:
    """The user's signed-in sessions, most recently seen first."""
    return [_device(user, row) for row in sessions.list_sessions(user)]


def _device(user: User, row: UserSession) -> Device:
    return Device(
        id=row.id,
        name=describe_user_agent(row.user_agent),
        ip=row.ip,
        signed_in=row.created_at,
        last_seen=row.last_seen_at,
        current=sessions.is_current(user, row),
    )


def log_out_elsewhere(user: User) -> int:
    """End every session but this one ("Log out everywhere else"), recorded
    (commits); how many ended."""
    ended = sessions.end_sessions(user, keep_current=True, commit=False)
    if ended:
        audit.record(user, "sessions_ended", f"{ended} other session(s)", actor=user)
    db.session.commit()
    return ended
