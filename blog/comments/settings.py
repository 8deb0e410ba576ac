"""What the comment services need to know about the site, read once at the
edge (a view or a command) and passed in: the configuration's comment keys,
Akismet and its circuit breaker, mail, and the site's Discussion settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from blog.comments.akismet import AkismetConfig
from blog.comments.breaker import BreakerConfig
from blog.mail import MailConfig


@dataclass(frozen=True)
class CommentSettings:
    #: The site settings (the Discussion rules, the dashboard's Akismet key).
    site: Mapping[str, Any] = field(default_factory=dict)
    akismet: AkismetConfig = field(default_factory=AkismetConfig)
    #: When to stop asking a failing Akismet for a while.
    breaker: BreakerConfig = field(default_factory=BreakerConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    #: The public address, for links in moderators' mail.
    site_url: str = ""
    #: Seconds between two comments from one IP or email address.
    flood_seconds: int = 15
    #: A form sent back faster than this (seconds) is held for moderation.
    min_form_seconds: float = 3.0
    #: A form older than this (seconds) is held for moderation.
    max_form_age: float = 24 * 3600.0
    #: Unchecked comments are retried against Akismet for this many days.
    retry_days: int = 15
    #: Spam and trashed comments are deleted after this many days.
    retention_days: int = 15

    @classmethod
    def from_app(
        cls, config: Mapping[str, Any], site: Mapping[str, Any]
    ) -> CommentSettings:
        """From the app's configuration and the site settings in force."""
        return cls(
            site=site,
            akismet=akismet_config(config, site),
            breaker=BreakerConfig.from_config(config),
            mail=MailConfig.from_config(config),
            site_url=str(config.get("SITE_URL") or "").rstrip("/"),
            flood_seconds=int(config.get("COMMENT_FLOOD_SECONDS") or 0),
            min_form_seconds=float(config.get("COMMENT_MIN_SECONDS") or 0),
            max_form_age=float(config.get("COMMENT_MAX_FORM_AGE") or 86400),
            retry_days=int(config.get("AKISMET_RETRY_DAYS", 15)),
            retention_days=int(config.get("SPAM_RETENTION_DAYS", 15)),
        )


def akismet_config(config: Mapping[str, Any], site: Mapping[str, Any]) -> AkismetConfig:
    """The Akismet set-up from app config and site settings (the dashboard wins)."""
    return AkismetConfig(
        key=str(site.get("akismet_api_key") or config.get("AKISMET_API_KEY") or ""),
        blog_url=str(config.get("AKISMET_BLOG_URL") or config.get("SITE_URL") or ""),
        api_url=str(config.get("AKISMET_API_URL") or "https://rest.akismet.com"),
        timeout=float(config.get("AKISMET_TIMEOUT") or 2.0),
        is_test=config.get("ENV") != "production",
    )
