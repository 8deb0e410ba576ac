"""Site settings edited in the dashboard (title, tagline, time zone, ...).

Every known key has a default here, so a fresh site works before anyone
visits the settings page. Values are stored as JSON in the ``settings`` table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from blog import dates, rendering
from blog.comments import akismet
from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import Role, Setting, User
from blog.validation import clean_text, single_line

DEFAULTS: dict[str, Any] = {
    "title": "My Blog",
    "tagline": "Just another blog",
    "timezone": "UTC",
    "posts_per_page": 10,
    # Accounts: administrators and editors must turn two-factor login on.
    "require_two_factor": False,
    # The promotional block on article and event pages (blog/site/promo.py).
    "promo_title": "",
    "promo_text": "",
    "promo_image": "",  # a media filename
    "promo_image_alt": "",
    "promo_link": "",
    # Discussion (the comments' local rules, as WordPress has them).
    "comments_manual_approval": False,
    "comments_previously_approved": True,
    "comments_max_links": 2,
    "comments_moderation_words": "",
    "comments_disallowed_words": "",
    "comments_close_after_days": 0,  # 0: never close
    # Comments from one IP address in a minute (several people behind one
    # address: a campus, an office); the 15-second rule is per email.
    "comments_ip_burst": 5,
    # Email a commenter when a moderator approves their held comment.
    "comments_notify_author_on_approval": False,
    # Gravatar instead of the avatars made here (sends a hash of each
    # commenter's email to Gravatar: off by default).
    "comments_gravatar": False,
    # Commenters' IP addresses and user agents are removed after this many
    # days (0: kept).
    "comments_ip_retention_days": 60,
    # Erasing a person's data also removes the text of their comments.
    "privacy_erase_removes_text": False,
    "akismet_api_key": "",  # overrides the AKISMET_API_KEY config key when set
    "akismet_key_invalid": False,  # set when Akismet refuses the key
    "privacy_text": "",  # empty: the default text in templates/comments/privacy.html
    "privacy_html": "",  # privacy_text rendered when saved
    # Reading: how many revisions each post keeps (None: every one).
    "revisions_to_keep": None,
    # Reading: feeds (blog/feeds) show this many items, full text or excerpt.
    "feed_items": 10,
    "feed_full_text": True,
    # Reading: "Discourage search engines from indexing this site" (robots).
    "discourage_search_engines": False,
    # The site menu (blog/site/menu.py): None until saved, the default menu.
    "menu": None,
}


#: The Discussion screen's settings (the comments' rules and privacy text).
DISCUSSION_KEYS = (
    "comments_manual_approval",
    "comments_previously_approved",
    "comments_max_links",
    "comments_moderation_words",
    "comments_disallowed_words",
    "comments_close_after_days",
    "comments_ip_burst",
    "comments_notify_author_on_approval",
    "comments_gravatar",
    "comments_ip_retention_days",
    "privacy_erase_removes_text",
    "akismet_api_key",
    "privacy_text",
)


#: Settings shown on one line (in <title>, feeds, calendars, the promo
#: block): line breaks are refused, with the longest accepted length.
ONE_LINE_LIMITS = {
    "title": 200,
    "tagline": 300,
    "timezone": 60,
    "akismet_api_key": 20000,  # validate() says what a key looks like
    "promo_title": 200,
    "promo_image_alt": 300,
    "promo_link": 500,
}
TEXT_MAX = 20000


class SettingsError(FieldError):
    """A setting's value is refused; ``field`` names it."""


#: The largest "hold a comment with N or more links" worth storing.
MAX_LINKS_SETTING = 1000
#: The most items a feed may show ("Syndication feeds show the most recent").
MAX_FEED_ITEMS = 100
#: The most revisions per post a site may ask to keep (beyond: keep all).
MAX_REVISIONS_SETTING = 10000


def can_manage_settings(user: User) -> bool:
    """Site, discussion and promo settings are for administrators."""
    return user.role == Role.ADMIN


def load_settings() -> dict[str, Any]:
    """All settings, defaults filled in, in one query."""
    values = dict(DEFAULTS)
    for setting in db.session.scalars(select(Setting).where(Setting.key.in_(DEFAULTS))):
        values[setting.key] = setting.value
    for key in ONE_LINE_LIMITS:  # stored before line breaks were refused
        if isinstance(values[key], str) and not values[key].isprintable():
            values[key] = " ".join(clean_text(values[key]).split())
    return values


def cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with their text cleaned (:func:`blog.validation.clean_text`),
    and the one-line settings on one line (:data:`ONE_LINE_LIMITS`).

    :raises SettingsError: a line break in a one-line setting, or one too long.
    """
    result = dict(values)
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            result[key] = (
                single_line(value, key, max_length=ONE_LINE_LIMITS[key])
                if key in ONE_LINE_LIMITS
                else clean_text(value)
            )
        except FieldError as error:
            raise SettingsError(str(error), key) from error
    return result


def validate(values: Mapping[str, Any]) -> None:
    """:raises SettingsError: for the first bad value."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"Unknown settings: {', '.join(sorted(unknown))}", "")
    if "timezone" in values and values["timezone"] not in dates.place_zones():
        raise SettingsError("Choose a time zone such as Europe/Paris.", "timezone")
    if "title" in values and not str(values["title"]).strip():
        raise SettingsError("The site needs a title.", "title")
    if "posts_per_page" in values and not 1 <= int(values["posts_per_page"]) <= 100:
        raise SettingsError("Between 1 and 100.", "posts_per_page")
    links = values.get("comments_max_links", 0)
    if not 0 <= int(links) <= MAX_LINKS_SETTING:
        raise SettingsError(
            f"Between 0 (off) and {MAX_LINKS_SETTING}.", "comments_max_links"
        )
    days = values.get("comments_close_after_days", 0)
    if not 0 <= int(days) <= 36500:
        raise SettingsError(
            "Between 0 (never) and 36500 days.", "comments_close_after_days"
        )
    _validate_comment_limits(values)
    for key in (
        "comments_moderation_words",
        "comments_disallowed_words",
        "privacy_text",
    ):
        if len(str(values.get(key, ""))) > TEXT_MAX:
            raise SettingsError(f"Keep this under {TEXT_MAX:,} characters.", key)
    _validate_revisions(values)
    if "feed_items" in values and not 1 <= int(values["feed_items"]) <= MAX_FEED_ITEMS:
        raise SettingsError(f"Between 1 and {MAX_FEED_ITEMS}.", "feed_items")
    if len(str(values.get("akismet_api_key", ""))) > 100:
        raise SettingsError(
            "That does not look like an Akismet key.", "akismet_api_key"
        )


#: The most comments one IP address may send in a minute, as a setting.
MAX_IP_BURST = 1000


def _validate_comment_limits(values: Mapping[str, Any]) -> None:
    burst = values.get("comments_ip_burst", 5)
    if not 1 <= int(burst) <= MAX_IP_BURST:
        raise SettingsError(
            f"Between 1 and {MAX_IP_BURST} comments a minute.", "comments_ip_burst"
        )
    days = values.get("comments_ip_retention_days", 60)
    if not 0 <= int(days) <= 36500:
        raise SettingsError(
            "Between 0 (keep them) and 36500 days.", "comments_ip_retention_days"
        )


def _validate_revisions(values: Mapping[str, Any]) -> None:
    """The "Revisions to keep" setting: empty (``None``) for all, or 1 and up; 0 is
    refused, since the latest revision is what Restore and the editor's
    conflict notice rely on."""
    keep = values.get("revisions_to_keep")
    if keep is None:
        return
    if (
        isinstance(keep, bool)
        or not isinstance(keep, int)
        or not 1 <= keep <= MAX_REVISIONS_SETTING
    ):
        raise SettingsError(
            f"Keep from 1 to {MAX_REVISIONS_SETTING:,} revisions, "
            "or leave this empty to keep them all.",
            "revisions_to_keep",
        )


def save_settings(values: Mapping[str, Any]) -> None:
    """Clean, validate and store (the caller commits).

    :raises SettingsError: with the field at fault.
    """
    values = cleaned(values)
    validate(values)
    for key, value in values.items():
        db.session.merge(Setting(key=key, value=value))


def change_settings(actor: User, values: Mapping[str, Any]) -> None:
    """An administrator's change from the dashboard (commits).

    :raises PermissionDenied: only admins change site settings.
    :raises SettingsError: with the field at fault; nothing is written.
    """
    require(can_manage_settings(actor))
    save_settings(values)
    db.session.commit()


def save_discussion(
    actor: User, values: Mapping[str, Any], current: Mapping[str, Any]
) -> None:
    """The Discussion screen: the rules, the Akismet key, the privacy text
    (rendered here, once). A new key is assumed valid until Akismet says
    otherwise. Commits.

    :param current: the settings in force, to see whether the key changed.
    :raises SettingsError: with the field at fault; nothing is written.
    """
    changed = cleaned({key: values[key] for key in DISCUSSION_KEYS if key in values})
    text = str(changed.get("privacy_text") or "")
    try:
        changed["privacy_html"] = rendering.render_post(text) if text.strip() else ""
    except rendering.ContentRejected as error:
        raise SettingsError(str(error), "privacy_text") from error
    if changed.get("akismet_api_key") != current.get("akismet_api_key"):
        changed["akismet_key_invalid"] = False
    change_settings(actor, changed)


def check_akismet_key(actor: User, conf: akismet.AkismetConfig) -> bool | None:
    """Discussion → "Check the Akismet key": ask Akismet, and remember an
    invalid key (one warning on every dashboard page). Commits.

    :returns: ``True``/``False`` for a valid/invalid key, ``None`` when
        Akismet could not be reached (nothing is stored).
    :raises PermissionDenied: only admins change site settings.
    """
    require(can_manage_settings(actor))
    db.session.commit()  # no transaction (no write lock) while Akismet answers
    valid = akismet.verify_key(conf, conf.key)
    if valid is not None:
        change_settings(actor, {"akismet_key_invalid": not valid})
    return valid


def rerender_privacy() -> bool:
    """Render the privacy page's text again with today's renderer (commits).

    Text the renderer now refuses keeps its stored HTML, passed through
    today's sanitizer, as posts do. :returns: whether the HTML changed.
    """
    settings = load_settings()
    text = str(settings.get("privacy_text") or "")
    old = str(settings.get("privacy_html") or "")
    try:
        html = rendering.render_post(text) if text.strip() else ""
    except rendering.ContentRejected:
        html = rendering.sanitize(old, "post")
    if html == old:
        return False
    save_settings({"privacy_html": html})
    db.session.commit()
    return True


def site_zone(settings: Mapping[str, Any]) -> ZoneInfo:
    """The zone the site shows its dates in (events use their own)."""
    return ZoneInfo(settings.get("timezone") or "UTC")
