"""What a comment's spam check decides: Akismet's verdict first, then the
site's Discussion rules (WordPress's, in its order), into a status and a
log entry that says why.

The rules themselves (:func:`local_rules`) are pure functions of the
comment's fields and the settings, so tests call them directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import exists, select

from blog.comments.akismet import Verdict
from blog.comments.spam_stats import note_verdict
from blog.comments.states import record
from blog.extensions import db
from blog.models import Comment, CommentStatus, Setting, SpamCheck

_LINK_RE = re.compile(r"\b(?:https?://|www\.)", re.IGNORECASE)


def count_links(text: str) -> int:
    """Links a comment carries, counted as WordPress does (roughly): each URL."""
    return len(_LINK_RE.findall(text))


def word_list(text: str) -> list[str]:
    """One word or phrase per line, as typed in the Discussion settings."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def matching_word(words: Iterable[str], fields: Iterable[str]) -> str | None:
    """The first word found (case-insensitive, inside words too) in any field."""
    haystacks = [field.lower() for field in fields if field]
    for word in words:
        needle = word.lower()
        if any(needle in haystack for haystack in haystacks):
            return word
    return None


def local_rules(
    fields: list[str],
    settings: Mapping[str, Any],
    *,
    hold_reason: str = "",
    approved_before: Callable[[], bool] = lambda: True,
) -> tuple[CommentStatus, str]:
    """WordPress's discussion rules, in its order: (status, reason).

    :param fields: the comment's text first, then name, email, website, IP.
    :param hold_reason: why the submission already looked suspicious.
    :param approved_before: asked only when the setting needs it.
    """
    words = word_list(str(settings.get("comments_disallowed_words") or ""))
    if found := matching_word(words, fields):
        return CommentStatus.TRASH, f"Contains the disallowed word “{found}”"
    words = word_list(str(settings.get("comments_moderation_words") or ""))
    if found := matching_word(words, fields):
        return CommentStatus.PENDING, f"Contains the moderation word “{found}”"
    max_links = int(settings.get("comments_max_links") or 0)
    links = count_links(fields[0])
    if max_links and links >= max_links:
        return CommentStatus.PENDING, f"Contains {links} links"
    if hold_reason:
        return CommentStatus.PENDING, hold_reason
    if settings.get("comments_manual_approval"):
        return CommentStatus.PENDING, "Every comment is approved by hand"
    if settings.get("comments_previously_approved") and not approved_before():
        return CommentStatus.PENDING, "First comment from this author"
    return CommentStatus.APPROVED, ""


#: Verdicts that leave a comment unchecked (retried), and the note that says why.
UNCHECKED: dict[Verdict | None, str] = {
    Verdict.ERROR: "",
    Verdict.INVALID_KEY: "The API key was refused",
    Verdict.SKIPPED: "Not asked: Akismet failed several times in a row",
}


def apply_verdict(
    comment: Comment, verdict: Verdict | None, settings: Mapping[str, Any]
) -> None:
    """Akismet's verdict (``None``: not asked), then the local rules.

    :param settings: the site settings (the Discussion rules).
    """
    note_verdict(verdict)  # the Spam panel's numbers
    if verdict == Verdict.SPAM or (
        verdict == Verdict.DISCARD and comment.user_id is not None
    ):
        comment.spam_check, comment.status = SpamCheck.SPAM, CommentStatus.SPAM
        record(comment, "akismet_spam")
        return
    if verdict == Verdict.DISCARD:
        comment.spam_check, comment.status = SpamCheck.DISCARD, CommentStatus.SPAM
        record(comment, "akismet_discard")
        return
    unchecked = verdict in UNCHECKED
    if unchecked:
        record(comment, "akismet_error", UNCHECKED[verdict])
    elif verdict == Verdict.HAM:
        comment.spam_check = SpamCheck.HAM
        record(comment, "akismet_ham")
    status, reason = comment_rules(comment, settings)
    if status == CommentStatus.APPROVED and unchecked:
        status, reason = CommentStatus.PENDING, ""
    comment.status = status
    if status == CommentStatus.TRASH:
        record(comment, "rule_trash", reason)
    elif status == CommentStatus.PENDING:
        if reason:
            record(comment, "rule_held", reason)
    else:
        record(comment, "rule_approved")


def comment_rules(
    comment: Comment, settings: Mapping[str, Any]
) -> tuple[CommentStatus, str]:
    """:func:`local_rules` applied to a stored comment: (status, why)."""
    return local_rules(
        [
            comment.body_source,
            comment.author_name,
            comment.author_email,
            comment.author_url,
            comment.author_ip,
        ],
        settings,
        hold_reason=(comment.submitted or {}).get("hold_reason") or "",
        approved_before=lambda: _approved_before(comment),
    )


def _approved_before(comment: Comment) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Comment.author_email == comment.author_email,
                    Comment.author_name == comment.author_name,
                    Comment.status == CommentStatus.APPROVED,
                    Comment.id != comment.id,
                )
            )
        )
    )


def note_key_state(verdict: Verdict | None, settings: Mapping[str, Any]) -> None:
    """Remember an invalid key (one warning on the dashboard) until a check
    works (the caller commits)."""
    if verdict in (None, Verdict.ERROR, Verdict.SKIPPED):
        return
    invalid = verdict == Verdict.INVALID_KEY
    if bool(settings.get("akismet_key_invalid")) != invalid:
        db.session.merge(Setting(key="akismet_key_invalid", value=invalid))
