"""A held comment shown to its author on the post itself, in its place in
the thread, with "Your comment is awaiting moderation." (WordPress's
``?unapproved=ID&moderation-hash=…``).

The address the author lands on after posting carries the comment's id and
a keyed hash of its private token; only that address shows the comment, and
its page is made for that person alone (``Cache-Control: private,
no-store``), so the post's page stays the same cached page for everyone
else. The private ``/comments/<token>/`` link keeps working beside it.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import func, select

from blog.comments.threads import Node, Thread, page_of, shown_to_readers
from blog.extensions import db
from blog.models import Comment, CommentStatus

#: Long enough not to be guessed, short enough for a tidy address.
HASH_LENGTH = 32


def moderation_hash(comment: Comment, secret: str) -> str:
    """The ``moderation-hash`` of a held comment: keyed by the site's secret
    over its id and private token, so it cannot be made without both."""
    message = f"awaiting:{comment.id}:{comment.token}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return digest[:HASH_LENGTH]


def held_for_author(
    post_id: int, comment_id: int | None, given_hash: str, secret: str
) -> Comment | None:
    """The held comment this address shows its author, or ``None``: it must
    belong to the post, not be approved (an approved one is in the thread
    already), and the hash must match (one query, only when asked)."""
    if comment_id is None or len(given_hash) != HASH_LENGTH:
        return None
    comment = db.session.get(Comment, comment_id)
    if (
        comment is None
        or comment.post_id != post_id
        or comment.status == CommentStatus.APPROVED
    ):
        return None
    expected = moderation_hash(comment, secret)
    return comment if hmac.compare_digest(expected, given_hash) else None


def place(thread: Thread, comment: Comment) -> None:
    """Put the held ``comment`` into the page of ``thread`` where it will
    stand once approved: under its parent when the parent is on this page
    (beside it at the deepest level), else after the page's last comment."""
    parent = _find(thread.nodes, comment.parent_id)
    if parent is None:
        thread.nodes.append(Node(comment, 1))
    elif parent.depth < thread.max_depth:
        parent.children.append(Node(comment, parent.depth + 1))
    else:
        siblings = _siblings_of(thread.nodes, parent) or thread.nodes
        siblings.append(Node(comment, parent.depth))
    thread.by_id.setdefault(comment.id, comment)


def page_for(comment: Comment, *, max_depth: int, per_page: int) -> int:
    """The thread page a held comment is shown on: its parent's page, or
    (a new top-level comment comes last) the last page (one query)."""
    if comment.parent_id is not None and max_depth > 1:
        parent = db.session.get(Comment, comment.parent_id)
        if parent is not None and parent.status == CommentStatus.APPROVED:
            return page_of(parent, max_depth=max_depth, per_page=per_page)
    conditions = [Comment.post_id == comment.post_id, shown_to_readers()]
    if max_depth > 1:
        conditions.append(Comment.root_id.is_(None))
    tops = db.session.scalar(select(func.count()).where(*conditions)) or 0
    return max((int(tops) + per_page - 1) // max(per_page, 1), 1)


def _find(nodes: list[Node], comment_id: int | None) -> Node | None:
    if comment_id is None:
        return None
    for node in nodes:
        if node.comment.id == comment_id:
            return node
        found = _find(node.children, comment_id)
        if found is not None:
            return found
    return None


def _siblings_of(nodes: list[Node], target: Node) -> list[Node] | None:
    """The list that holds ``target`` (the top level, or a node's children)."""
    if any(node is target for node in nodes):
        return nodes
    for node in nodes:
        found = _siblings_of(node.children, target)
        if found is not None:
            return found
    return None
