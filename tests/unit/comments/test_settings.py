"""blog.comments.settings: where the Akismet client's settings come from."""

from __future__ import annotations

from blog.comments.settings import CommentSettings, akismet_config


def test_config_precedence():
    config = {
        "AKISMET_API_KEY": "from-config",
        "SITE_URL": "http://site",
        "ENV": "production",
    }
    conf = akismet_config(config, {"akismet_api_key": ""})
    assert conf.key == "from-config" and conf.blog_url == "http://site"
    assert conf.is_test is False and conf.enabled
    conf = akismet_config(config, {"akismet_api_key": "from-dashboard"})
    assert conf.key == "from-dashboard"
    assert not akismet_config({}, {}).enabled


def test_comment_settings_come_from_the_configuration_and_the_site():
    config = {
        "SITE_URL": "https://blog.example.org/",
        "MAIL_SERVER": "smtp.example.org",
        "COMMENT_FLOOD_SECONDS": 30,
        "SPAM_RETENTION_DAYS": 0,
        "AKISMET_RETRY_DAYS": 2,
    }
    settings = CommentSettings.from_app(config, {"comments_max_links": 4})
    assert settings.site_url == "https://blog.example.org"
    assert settings.mail.enabled and settings.mail.server == "smtp.example.org"
    assert settings.flood_seconds == 30 and settings.site["comments_max_links"] == 4
    assert settings.retention_days == 0  # zero means at once, not the default
    assert settings.retry_days == 2
    defaults = CommentSettings.from_app({}, {})
    assert (defaults.retention_days, defaults.retry_days) == (15, 15)
    assert not defaults.mail.enabled and not defaults.akismet.enabled


def test_the_breaker_and_mail_settings():
    settings = CommentSettings.from_app(
        {
            "AKISMET_BREAKER_FAILURES": 5,
            "AKISMET_BREAKER_SECONDS": 60,
            "AKISMET_BREAKER_STORAGE": "redis://cache:6379/2",
            "SITE_URL": "https://blog.example.org",
            "MAIL_MAX_ATTEMPTS": 4,
            "MAIL_RETRY_DAYS": 1,
            "MAIL_RETENTION_DAYS": 0,
        },
        {},
    )
    assert settings.breaker.failures == 5 and settings.breaker.cooldown == 60
    assert settings.breaker.storage == "redis://cache:6379/2"
    assert settings.breaker.namespace == "blog:https://blog.example.org"
    assert (settings.mail.max_attempts, settings.mail.retry_days) == (4, 1)
    assert settings.mail.retention_days == 0
    defaults = CommentSettings.from_app({}, {})
    assert (defaults.breaker.failures, defaults.breaker.cooldown) == (3, 300)
    assert defaults.breaker.storage == ""  # the database
    assert (defaults.mail.max_attempts, defaults.mail.retry_days) == (20, 3)
