"""Comments, with their status, thread, author details (kept private, as
every commenter's are) and, for registered users, their account. Imported
comments are not sent to Akismet and notify no one."""

from __future__ import annotations

import hashlib
import secrets

from blog import rendering
from blog.extensions import db
from blog.importing import content
from blog.importing.context import ImportContext
from blog.importing.records import Comment as WPComment
from blog.importing.records import Item
from blog.models import Comment, CommentKind, CommentLogEntry, CommentStatus, SpamCheck
from blog.validation import clean_text, http_url_or_empty

KIND = "comment"
#: ``wp:comment_approved`` -> status (anything else, "post-trashed", is trash).
STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
}
KINDS = {"pingback": CommentKind.PINGBACK, "trackback": CommentKind.TRACKBACK}
_NAME_MAX, _EMAIL_MAX, _URL_MAX, _IP_MAX, _AGENT_MAX = 100, 254, 200, 45, 500


def import_comments(ctx: ImportContext, item: Item, post_id: int) -> None:
    """The item's comments not imported before, threads kept."""
    tally = ctx.summary.tally("comments")
    made: list[tuple[Comment, WPComment]] = []
    for position, wp in enumerate(item.comments, start=1):
        if not wp.wp_id:  # some generators leave ids out: the place in the post
            wp.wp_id = -(item.wp_id * 100_000 + position)
        kind = KINDS.get(wp.type.strip().lower(), CommentKind.COMMENT)
        if ctx.links.find(KIND, wp.wp_id) is not None:
            tally.existing += 1
        elif kind != CommentKind.COMMENT and ctx.options.skip_pingbacks:
            tally.skipped += 1
        else:
            comment = _comment(ctx, wp, kind, post_id)
            db.session.add(comment)
            made.append((comment, wp))
            tally.created += 1
    if not made:
        return
    db.session.flush()
    for comment, wp in made:
        ctx.links.record(KIND, wp.wp_id, comment.id)
        db.session.add(
            CommentLogEntry(
                comment_id=comment.id, action="imported", note="From WordPress"
            )
        )
    for comment, wp in made:
        if wp.parent_id:
            comment.parent_id = ctx.links.find(KIND, wp.parent_id)
    db.session.flush()


def _comment(
    ctx: ImportContext, wp: WPComment, kind: CommentKind, post_id: int
) -> Comment:
    own = wp.meta.get("_blog_markdown")  # this engine's own export
    source = clean_text(own).strip() if own else _markdown(wp.content)
    try:
        html = rendering.render_comment(source)
    except rendering.ContentRejected:  # longer than the form allows: kept as text
        source = rendering.plain_text(wp.content) or "…"
        html = f"<p>{rendering.render_inline_text(source)}</p>"
    email = wp.author_email.strip()[:_EMAIL_MAX]
    user_id = ctx.user_ids.get(wp.user_id) if wp.user_id else None
    if wp.user_id and user_id is None and email:
        user_id = ctx.user_emails.get(email.lower())
    digest = hashlib.sha256(f"wordpress\0{ctx.links.source_site}\0{wp.wp_id}".encode())
    return Comment(
        post_id=post_id,
        kind=kind,
        user_id=user_id,
        author_name=" ".join(wp.author.split())[:_NAME_MAX] or "Anonymous",
        author_email=email,
        author_url=http_url_or_empty(wp.author_url, max_length=_URL_MAX),
        author_ip=wp.author_ip.strip()[:_IP_MAX],
        author_user_agent=wp.user_agent.strip()[:_AGENT_MAX],
        body_source=source,
        body_html=html,
        rendered_version=rendering.RENDERER_VERSION,
        status=STATUSES.get(wp.approved.strip().lower(), CommentStatus.TRASH),
        spam_check=SpamCheck.IMPORTED,
        submitted_at=wp.date or ctx.now,
        token=secrets.token_urlsafe(32),
        content_hash=digest.hexdigest(),
        notification_pending=False,
        # Nobody is mailed about what the old site held, approved later or not.
        announced_at=wp.date or ctx.now,
    )


def _markdown(html: str) -> str:
    """A comment as its Markdown (WordPress keeps comments as HTML)."""
    return clean_text(content.to_markdown(html, keep_html=False)).strip() or "…"
