"""Configuration precedence and the production secret check."""

from __future__ import annotations

import pytest

from blog import create_app


def test_precedence_instance_then_environment_then_mapping(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "SITE_URL = 'https://from-instance.example'\nMAIL_SENDER = 'instance@x.org'\n"
    )
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BLOG_MAIL_SENDER", "environment@x.org")
    monkeypatch.setenv("BLOG_AKISMET_TIMEOUT", "1.5")
    app = create_app({"SECRET_KEY": "x" * 32, "COMMENTS_PER_PAGE": 3})
    assert app.config["SITE_URL"] == "https://from-instance.example"
    assert app.config["MAIL_SENDER"] == "environment@x.org"
    assert app.config["AKISMET_TIMEOUT"] == 1.5
    assert app.config["COMMENTS_PER_PAGE"] == 3


def test_development_secret_is_generated_once(tmp_path, monkeypatch):
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    first = create_app().config["SECRET_KEY"]
    assert len(first) >= 32 and first == create_app().config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("secret", [None, "dev", "short"])
def test_production_refuses_to_start_without_a_real_secret(
    tmp_path, monkeypatch, secret
):
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BLOG_ENV", "production")
    if secret:
        monkeypatch.setenv("BLOG_SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_sets_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BLOG_ENV", "production")
    monkeypatch.setenv("BLOG_SECRET_KEY", "k" * 40)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_DURATION"] <= 30 * 24 * 3600


def test_proxy_fix_only_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    seen = []
    for proxies in (0, 1):
        app = create_app({"SECRET_KEY": "x" * 32, "PROXY_FIX_X_FOR": proxies})

        @app.get("/ip")
        def ip():  # type: ignore[no-untyped-def]
            from flask import request

            return request.remote_addr or ""

        response = app.test_client().get(
            "/ip",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        seen.append(response.get_data(as_text=True))
    assert seen == ["10.0.0.1", "203.0.113.9"]


def test_login_throttling_is_configured_in_seconds(tmp_path, monkeypatch):
    from datetime import timedelta

    from blog.accounts import ThrottleLimits

    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    assert ThrottleLimits.from_config(create_app().config) == ThrottleLimits()
    monkeypatch.setenv("BLOG_LOGIN_FREE_FAILURES", "3")
    monkeypatch.setenv("BLOG_LOGIN_MAX_DELAY", "60")
    limits = ThrottleLimits.from_config(create_app().config)
    assert limits.free_failures == 3 and limits.max_delay == timedelta(seconds=60)
    assert limits.free_failures_per_ip == 20


def test_retired_login_keys_are_reported(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("BLOG_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BLOG_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3")
    with caplog.at_level("WARNING"):
        create_app()
    assert "LOGIN_MAX_FAILURES_PER_ACCOUNT is no longer used" in caplog.text
    assert "LOGIN_FREE_FAILURES" in caplog.text
