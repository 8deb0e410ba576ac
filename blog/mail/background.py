"""Sending the outbox after the response, off the request's path.

When a request queued mail, a hook asks the WSGI server to call
:meth:`AfterResponseSender.kick` once the response has been sent
(``response.call_on_close``). The kick starts one daemon thread per process
(never more: a kick while it runs only makes it run once more), which
delivers what is due in its own app context, each SMTP step bounded by
``MAIL_TIMEOUT``. Nothing is lost if the process dies meanwhile: the message
is still in the outbox, and cron's ``flask --app blog mail send`` sends it.
``MAIL_SEND_AFTER_RESPONSE = False`` leaves all sending to cron.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, g
from flask.wrappers import Response

from blog.mail import MailConfig
from blog.mail.outbox import QUEUED_FLAG, deliver_outbox

log = logging.getLogger(__name__)

#: Messages one kick sends at most; cron sends the rest.
BATCH = 20
EXTENSION_KEY = "blog.mail"


class AfterResponseSender:
    """The process's one background sender for ``app``."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._wanted = False
        self._thread: threading.Thread | None = None

    def kick(self) -> None:
        """Send what is due, in the background; never blocks."""
        with self._lock:
            self._wanted = True
            if self._thread is not None:
                return  # the running thread goes round once more
            self._thread = threading.Thread(
                target=self._run, name="blog-mail-outbox", daemon=True
            )
            self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the background sender is done (tests, shutdown)."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted = False
            stopped = self._deliver()
            if stopped:  # the server is down: cron retries, no hammering
                with self._lock:
                    self._wanted = False

    def _deliver(self) -> bool:
        try:
            with self.app.app_context():
                config = MailConfig.from_config(self.app.config)
                return deliver_outbox(config, limit=BATCH).stopped
        except Exception:  # the messages stay queued for cron
            log.exception("Sending the outbox after a response failed")
            return True


def sender_of(app: Flask) -> AfterResponseSender:
    """The app's background sender (tests join it)."""
    sender: AfterResponseSender = app.extensions[EXTENSION_KEY]
    return sender


def register(app: Flask) -> None:
    """Send mail queued by a request once its response has gone out."""
    sender = AfterResponseSender(app)
    app.extensions[EXTENSION_KEY] = sender

    @app.after_request
    def send_queued_mail(response: Response) -> Response:
        queued = bool(g.pop(QUEUED_FLAG, False))
        if queued and app.config.get("MAIL_SEND_AFTER_RESPONSE", True):
            response.call_on_close(sender.kick)
        return response
