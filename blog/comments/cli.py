"""``flask --app blog comments recheck|purge|render``: the comments' cron jobs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from blog import privacy
from blog.comments import jobs
from blog.comments.settings import CommentSettings
from blog.site.settings import load_settings

comments = AppGroup("comments", help="Comment jobs: recheck spam, purge, re-render.")


def _settings() -> CommentSettings:
    return CommentSettings.from_app(current_app.config, load_settings())


@comments.command("recheck")
@click.option("--batch", default=20, show_default=True, help="Comments per batch.")
def recheck(batch: int) -> None:
    """Retry Akismet for unchecked comments and send the outbox.

    Asks Akismet even while its circuit breaker is open (an answer closes
    it); stops at the first failure. Run it from cron every few minutes.
    """
    result = jobs.recheck(_settings(), batch=batch, send_mail=True)
    click.echo(
        f"Checked {result.checked} comment(s); gave up on {result.gave_up}; "
        f"mail sent {result.mail_sent}, failed {result.mail_failed}."
    )
    if result.stopped:
        click.echo("Akismet is unreachable; will retry on the next run.", err=True)


@comments.command("purge")
@click.option(
    "--days",
    type=int,
    default=None,
    help="Age in days (default: the SPAM_RETENTION_DAYS setting, 15).",
)
def purge(days: int | None) -> None:
    """Delete spam and trashed comments untouched for DAYS days; remove
    commenters' IP addresses and user agents after the Discussion setting's
    days; expire unconfirmed personal data requests and delete expired
    exports. Run it from cron daily."""
    settings = _settings()
    count = jobs.purge(settings.retention_days if days is None else days)
    click.echo(f"Deleted {count} spam or trashed comment(s).")
    keep = int(settings.site.get("comments_ip_retention_days") or 0)
    if keep > 0:
        forgotten = jobs.forget_commenter_details(keep)
        click.echo(
            f"Removed the IP address and user agent of {forgotten} comment(s) "
            f"older than {keep} days."
        )
    else:
        click.echo("Kept commenters' IP addresses and user agents (setting: 0 days).")
    expired = privacy.expire_requests()
    exports = privacy.purge_exports(
        privacy.PrivacySettings.from_app(current_app, settings.site)
    )
    click.echo(
        f"Expired {expired} unconfirmed personal data request(s); "
        f"deleted {exports} personal data export(s)."
    )


@comments.command("render")
def render() -> None:
    """Re-render comments made by an older version of the renderer."""
    click.echo(f"Re-rendered {jobs.rerender_stale()} comment(s).")
