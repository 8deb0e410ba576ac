"""Slugs for addresses: ASCII, lowercase, hyphenated, unique where asked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

MAX_LENGTH = 200


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """``"Hello, Wörld!"`` -> ``"hello-world"``; never empty."""
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", normalized.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


def unique_slug(base: str, taken: Callable[[str], bool]) -> str:
    """The first of ``base``, ``base-2``, ``base-3``... that is not ``taken``."""
    candidate, n = base, 2
    while taken(candidate):
        suffix = f"-{n}"
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
        n += 1
    return candidate
