"""The site as a whole: its settings (title, tagline, time zone, the
Discussion rules, the privacy text), kept in the database and edited by
admins, the promotional block every article and event page shows, and the
site menu (``menu``: stored and shown; ``menu_editor``: Settings → Menu's
rules), and what pages say about themselves when shared or indexed
(``sharing``: canonical address, description, OpenGraph and Twitter cards;
``structured_data``: schema.org JSON-LD), and the old addresses that answer
with a 301 (``redirects``: Tools → Redirects, WordPress's ``/?p=123``)."""

from blog.site.promo import Promo, PromoInput, current_promo, save_promo
from blog.site.redirects import (
    add_redirect,
    find_target,
    has_routing_query,
    normalize_source,
)
from blog.site.settings import (
    DEFAULTS,
    MAX_IP_BURST,
    SettingsError,
    can_manage_settings,
    change_settings,
    check_akismet_key,
    load_settings,
    save_discussion,
    save_settings,
    site_zone,
)

__all__ = [
    "DEFAULTS",
    "MAX_IP_BURST",
    "Promo",
    "PromoInput",
    "SettingsError",
    "add_redirect",
    "can_manage_settings",
    "change_settings",
    "check_akismet_key",
    "current_promo",
    "find_target",
    "has_routing_query",
    "load_settings",
    "normalize_source",
    "save_discussion",
    "save_promo",
    "save_settings",
    "site_zone",
]
