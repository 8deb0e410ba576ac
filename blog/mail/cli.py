"""``flask --app blog mail send|status|retry``: the outbox's cron job and its
operator's view."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from blog.mail import MailConfig, outbox

mail = AppGroup("mail", help="The outbox: send queued mail, show or retry failures.")


@mail.command("send")
@click.option("--limit", default=200, show_default=True, help="Messages at most.")
def send(limit: int) -> None:
    """Send queued mail that is due, and delete old sent and failed mail.

    Run it from cron every few minutes; stops at the first server failure.
    """
    config = MailConfig.from_config(current_app.config)
    if not config.enabled:
        click.echo("Mail is off (MAIL_SERVER is empty); nothing sent.")
        return
    result = outbox.deliver_outbox(config, limit=limit)
    purged = outbox.purge(config.retention_days)
    click.echo(
        f"Sent {result.sent} message(s); {result.failed} will be retried; "
        f"gave up on {result.gave_up}; deleted {purged} old message(s)."
    )
    if result.stopped:
        click.echo("The mail server failed; will retry on the next run.", err=True)


@mail.command("status")
def status() -> None:
    """How many messages wait, were sent or failed; the last failures."""
    counts = outbox.counts()
    click.echo(", ".join(f"{status}: {count}" for status, count in counts.items()))
    for message in outbox.failed_messages():
        click.echo(
            f"failed #{message.id} {message.created_at:%Y-%m-%d %H:%M} UTC, "
            f"{message.attempts} attempt(s), {message.last_error or 'no error'}: "
            f"{message.subject}"
        )


@mail.command("retry")
def retry() -> None:
    """Queue every failed message again (after fixing the mail server)."""
    click.echo(f"Queued {outbox.retry_failed()} failed message(s) again.")
