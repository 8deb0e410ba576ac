"""Default configuration.

Order of precedence (lowest first): these defaults, ``instance/config.py``,
``BLOG_*`` environment variables, then the mapping given to ``create_app``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

#: Secrets that must never run a production site.
DEVELOPMENT_SECRETS = frozenset({"", "dev", "development", "changeme", "secret"})


class DefaultConfig:
    ENV = "development"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    SITE_URL = "http://127.0.0.1:5000"
    AKISMET_API_KEY = ""
    AKISMET_BLOG_URL = ""
    AKISMET_API_URL = "https://rest.akismet.com"
    AKISMET_TIMEOUT = 2.0
    #: Where per-IP rate limits are counted: ``memory://`` for one process,
    #: ``redis://host:6379/0`` when several servers share the load.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_LOGIN = "30 per minute"
    RATELIMIT_COMMENT = "20 per minute"
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_SENDER = "blog@localhost"
    #: Log in to the mail server with these (both empty: no login).
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    #: STARTTLS after connecting (usually port 587)...
    MAIL_USE_TLS = False
    #: ... or TLS from the first byte (usually port 465).
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 5.0
    #: Mail waits in the outbox table and is sent after the response that
    #: queued it (False: only by ``flask --app blog mail send`` from cron).
    MAIL_SEND_AFTER_RESPONSE = True
    #: A message is given up (kept as failed) after this many tries or days.
    MAIL_MAX_ATTEMPTS = 20
    MAIL_RETRY_DAYS = 3
    #: Sent and failed messages are deleted after this many days.
    MAIL_RETENTION_DAYS = 15
    #: After this many consecutive Akismet failures (0: never), comments skip
    #: Akismet for AKISMET_BREAKER_SECONDS and wait as unchecked; shared in
    #: AKISMET_BREAKER_STORAGE: a redis:// URL, or "" for the database (or
    #: Redis when RATELIMIT_STORAGE_URI is one).
    AKISMET_BREAKER_FAILURES = 3
    AKISMET_BREAKER_SECONDS = 300
    AKISMET_BREAKER_STORAGE = ""
    #: Comments: seconds between two comments from one IP or email address.
    COMMENT_FLOOD_SECONDS = 15
    #: A form sent back faster than this (seconds) is held for moderation.
    COMMENT_MIN_SECONDS = 3
    #: A form older than this (seconds) is held for moderation.
    COMMENT_MAX_FORM_AGE = 24 * 3600
    COMMENT_THREAD_DEPTH = 5
    COMMENTS_PER_PAGE = 50
    #: Spam and trashed comments are deleted after this many days.
    SPAM_RETENTION_DAYS = 15
    #: Unchecked comments are retried against Akismet for this many days.
    AKISMET_RETRY_DAYS = 15
    #: The page cache (README, "Caching"): finished public pages are kept for
    #: anonymous readers, per content version, so a change shows at once.
    #: False makes every page afresh (validators and Cache-Control stay).
    CACHE_PAGES = True
    #: Where pages are kept: "" for each worker's memory, or a redis:// URL
    #: that every worker and server shares.
    CACHE_REDIS_URL = ""
    #: The longest a stored page is kept, and the length of the ETag's time
    #: bucket: how late a page's time-dependent bits may be.
    CACHE_PAGE_SECONDS = 300
    #: ``s-maxage`` of public pages: how long a shared cache (nginx, a CDN)
    #: may serve one before asking again with its ETag.
    CACHE_SHARED_SECONDS = 5
    #: Most pages a worker keeps in memory (when CACHE_REDIS_URL is "").
    CACHE_THRESHOLD = 500
    #: Proxies in front of the app that set X-Forwarded-For/-Proto (0: none).
    #: Without it, behind a proxy every reader has the proxy's IP address.
    PROXY_FIX_X_FOR = 0
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    #: Largest WordPress export Tools → Import accepts (that address only).
    IMPORT_MAX_BYTES = 200 * 1024 * 1024
    UPLOAD_MAX_PIXELS = 40_000_000
    #: Most memory decoding one upload may take, estimated from its header.
    UPLOAD_MAX_DECODE_BYTES = 160 * 1024 * 1024
    #: Longest side of a stored image (pixels); larger uploads are scaled down.
    UPLOAD_MAX_SIDE = 2560
    WTF_CSRF_TIME_LIMIT = 3600 * 6
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 3600 * 24 * 30
    #: Login throttling (stored in the database): failed logins are counted
    #: per account tried from one address and per address. Past the free
    #: failures, each failure makes the next try from there wait, doubling
    #: from LOGIN_FIRST_DELAY up to LOGIN_MAX_DELAY (seconds); a counter is
    #: forgotten LOGIN_FORGET_AFTER seconds after its last wait ends.
    LOGIN_FREE_FAILURES = 5
    LOGIN_FREE_FAILURES_PER_IP = 20
    #: Failures of one account from addresses it has not logged in from in
    #: the last LOGIN_KNOWN_ADDRESS_DAYS, before tries from such addresses wait.
    LOGIN_FREE_FAILURES_PER_ACCOUNT = 50
    LOGIN_KNOWN_ADDRESS_DAYS = 30
    LOGIN_FIRST_DELAY = 5
    LOGIN_MAX_DELAY = 15 * 60
    LOGIN_FORGET_AFTER = 3600
    #: Accounts: how long the one-use links sent by mail stay valid.
    PASSWORD_RESET_HOURS = 1
    INVITATION_DAYS = 7
    EMAIL_CHANGE_HOURS = 24
    #: Reset emails one account may be sent per hour, and reset requests one
    #: address may make per hour (past these: the same answer, no mail, or a
    #: wait). Separate from the login counters: no reset locks anyone out.
    PASSWORD_RESET_PER_ACCOUNT = 3
    PASSWORD_RESET_PER_IP = 10
    #: A session without "Remember Me" ends this many hours after login;
    #: with it, after REMEMBER_COOKIE_DURATION.
    SESSION_HOURS = 48


def apply_secret_key(app: Flask) -> None:
    """Make sure the app has a usable ``SECRET_KEY``.

    In development a random key is generated once and kept in the instance
    folder so sessions survive restarts. In production a missing or
    well-known key stops the app from starting.

    :raises RuntimeError: in production without a real secret.
    """
    key = app.config.get("SECRET_KEY")
    if app.config["ENV"] == "production":
        if not key or str(key).strip().lower() in DEVELOPMENT_SECRETS or len(key) < 16:
            raise RuntimeError(
                "BLOG_ENV=production needs a real SECRET_KEY (BLOG_SECRET_KEY, "
                "at least 16 random characters); refusing to start."
            )
        return
    if key:
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def apply_production_defaults(app: Flask) -> None:
    """Secure cookies whenever the site runs in production."""
    if app.config["ENV"] == "production":
        app.config.setdefault("SESSION_COOKIE_SECURE", True)
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


#: Keys of earlier versions that no longer do anything, and what replaced them.
RETIRED_KEYS = {
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": "LOGIN_FREE_FAILURES",
    "LOGIN_MAX_FAILURES_PER_IP": "LOGIN_FREE_FAILURES_PER_IP",
    "LOGIN_FAILURE_WINDOW": "LOGIN_FIRST_DELAY, LOGIN_MAX_DELAY and LOGIN_FORGET_AFTER",
}


def warn_retired_keys(app: Flask) -> list[str]:
    """Log a warning for each retired key the configuration still sets, so an
    upgrade does not silently drop an operator's choice; returns the keys."""
    found = [key for key in RETIRED_KEYS if key in app.config]
    for key in found:
        app.logger.warning(
            "Configuration key %s is no longer used; see %s.", key, RETIRED_KEYS[key]
        )
    return found
