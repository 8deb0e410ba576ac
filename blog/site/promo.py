"""The site-wide promotional block shown on article and event pages.

Its title, text, image (with alt text) and link are site settings, so the
pages read them with the other settings, in the one query every page makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from blog.errors import FieldError, require
from blog.extensions import db
from blog.media import ImageInput, ImageRejected, Uploads, store_image
from blog.models import User
from blog.site.settings import SettingsError, can_manage_settings, save_settings
from blog.validation import clean_text, http_url, single_line

KEYS = ("promo_title", "promo_text", "promo_image", "promo_image_alt", "promo_link")
TEXT_MAX = 5000


@dataclass
class PromoInput:
    title: str = ""
    text: str = ""
    link: str = ""
    image: ImageInput = field(default_factory=ImageInput)


@dataclass(frozen=True)
class Promo:
    """What the block shows; ``paragraphs`` is plain text (autoescaped)."""

    title: str
    paragraphs: list[str]
    image: str
    image_alt: str
    link: str


def current_promo(settings: Mapping[str, Any]) -> Promo | None:
    """The block to show, or ``None`` when it has no title and no text."""
    title = str(settings.get("promo_title") or "")
    text = str(settings.get("promo_text") or "")
    if not title and not text:
        return None
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return Promo(
        title=title,
        paragraphs=[p for p in paragraphs if p],
        image=str(settings.get("promo_image") or ""),
        image_alt=str(settings.get("promo_image_alt") or ""),
        link=_safe_link(str(settings.get("promo_link") or "")),
    )


def _safe_link(link: str) -> str:
    """The stored link, or "" for one saved before the check was strict
    (``/\\evil.example`` is another site to a browser)."""
    try:
        return _link(link)
    except FieldError:
        return ""


def _link(link: str) -> str:
    """:raises FieldError: not a web address nor a path on this site."""
    return http_url(
        link,
        "link",
        message="Give a full address (https://...) or a path on this site "
        "(/...), under 500 characters, without spaces or quotes.",
        allow_path=True,
    )


def _check(data: PromoInput, has_image: bool) -> dict[str, str]:
    """The settings to store, checked. :raises SettingsError:"""
    try:
        values = {
            "promo_title": single_line(data.title, "title", max_length=200),
            "promo_link": _link(data.link),
            "promo_image_alt": single_line(data.image.alt, "image_alt", max_length=300),
        }
    except FieldError as error:
        raise SettingsError(str(error), error.field) from error
    values["promo_text"] = clean_text(data.text).strip()
    if len(values["promo_text"]) > TEXT_MAX:
        raise SettingsError(f"Keep the text under {TEXT_MAX:,} characters.", "text")
    if has_image and not values["promo_image_alt"]:
        raise SettingsError(
            "Describe the image for people who cannot see it (alt text).", "image_alt"
        )
    return values


def save_promo(
    actor: User,
    data: PromoInput,
    *,
    current: Mapping[str, Any],
    uploads: Uploads,
) -> None:
    """Validate, store an uploaded image, save the settings and commit.

    :param current: the settings now in force (for the image already set).
    :raises PermissionDenied: only admins change site settings.
    :raises SettingsError: with the field at fault; nothing is written.
    """
    require(can_manage_settings(actor))
    upload = data.image.upload
    image = "" if data.image.remove else str(current.get("promo_image") or "")
    values = _check(data, has_image=bool(image) or upload is not None)
    if upload is not None:
        try:
            media = store_image(
                upload, uploads, original_name=data.image.filename, uploader=actor
            )
        except ImageRejected as error:
            raise SettingsError(str(error), "image") from error
        image = media.filename
    if not image:
        values["promo_image_alt"] = ""
    values["promo_image"] = image
    save_settings(values)
    db.session.commit()
