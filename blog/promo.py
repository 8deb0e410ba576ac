"""The site-wide promotional block shown on article and event pages.

Its title, text, image (with alt text) and link are site settings, so the
pages read them with the other settings, in the one query every page makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from blog.extensions import db
from blog.media import ImageRejected, store_image
from blog.models import User
from blog.permissions import can_manage_settings, require
from blog.site_settings import SettingsError, save_settings

KEYS = ("promo_title", "promo_text", "promo_image", "promo_image_alt", "promo_link")


@dataclass
class PromoInput:
    title: str = ""
    text: str = ""
    link: str = ""
    image_alt: str = ""
    upload: BinaryIO | None = None
    filename: str = ""
    remove_image: bool = False


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
        link=str(settings.get("promo_link") or ""),
    )


def _check(data: PromoInput, has_image: bool) -> dict[str, str]:
    values = {
        "promo_title": " ".join(data.title.split()),
        "promo_text": data.text.strip(),
        "promo_link": data.link.strip(),
        "promo_image_alt": " ".join(data.image_alt.split()),
    }
    if len(values["promo_title"]) > 200:
        raise SettingsError("Keep the title under 200 characters.", "title")
    if len(values["promo_text"]) > 5000:
        raise SettingsError("Keep the text under 5,000 characters.", "text")
    link = values["promo_link"]
    local = link.startswith("/") and not link.startswith("//")
    if link and not (local or link.lower().startswith(("https://", "http://"))):
        raise SettingsError(
            "Give a full address (https://...) or a path on this site (/...).", "link"
        )
    if len(link) > 500:
        raise SettingsError("Keep the address under 500 characters.", "link")
    if has_image and not values["promo_image_alt"]:
        raise SettingsError(
            "Describe the image for people who cannot see it (alt text).", "image_alt"
        )
    if len(values["promo_image_alt"]) > 300:
        raise SettingsError("Keep the alt text under 300 characters.", "image_alt")
    return values


def save_promo(
    actor: User,
    data: PromoInput,
    *,
    current: Mapping[str, Any],
    folder: Path,
) -> None:
    """Validate, store an uploaded image, save the settings and commit.

    :param current: the settings now in force (for the image already set).
    :raises PermissionDenied: only admins change site settings.
    :raises SettingsError: with the field at fault; nothing is written.
    """
    require(can_manage_settings(actor))
    image = "" if data.remove_image else str(current.get("promo_image") or "")
    values = _check(data, has_image=bool(image) or data.upload is not None)
    if data.upload is not None:
        try:
            media = store_image(
                data.upload, folder, original_name=data.filename, uploader=actor
            )
        except ImageRejected as error:
            raise SettingsError(str(error), "image") from error
        image = media.filename
    if not image:
        values["promo_image_alt"] = ""
    values["promo_image"] = image
    save_settings(values)
    db.session.commit()
