"""Follow-up comments by email: "Notify me of follow-up comments by email."

(Scaffold: the helper building subscriptions fills this in.)

:func:`announce_approved` is called wherever a comment becomes approved
(:func:`blog.comments.submit.settle`, :func:`blog.comments.moderation.moderate`
and ``reply``, the recheck job, an undo), in the transaction that approves
it; it queues the follow-up mail and the approval notice at most once per
comment (``Comment.announced_at``).
"""

from __future__ import annotations

from datetime import datetime

from blog.comments.settings import CommentSettings
from blog.models import Comment


def announce_approved(
    comment: Comment, settings: CommentSettings, *, now: datetime | None = None
) -> int:
    """Queue what a comment's approval sends (the caller commits): mail to
    the post's confirmed subscribers, and the approval notice to its author
    when the Discussion setting asks for it. Returns how many messages.

    Does nothing for a comment that is not approved, or was announced
    before; callers call it after any change that may approve.
    """
    return 0
