"""Threads read a page at a time (blog.comments.threads.load) show exactly
what threading all the post's comments in memory shows (threads.build),
whatever the statuses, depth and page; ``root_id`` (blog.comments.roots)
stays right through every moderation action."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.comments import roots, threads
from blog.comments.states import Action, TransitionRefused, transition
from blog.extensions import db
from blog.models import Comment, CommentStatus, User, utcnow

STATUSES = [CommentStatus.APPROVED] * 6 + [
    CommentStatus.PENDING,
    CommentStatus.SPAM,
    CommentStatus.TRASH,
]


def _add(post_id: int, n: int, parent: Comment | None, status: str) -> Comment:
    """A comment stored through the ORM (as the services store them)."""
    comment = Comment(
        post_id=post_id,
        parent_id=parent.id if parent else None,
        author_name=f"Reader {n}",
        author_email=f"reader{n}@example.net",
        body_source=f"Comment {n}",
        body_html=f"<p>Comment {n}</p>",
        status=status,
        submitted_at=utcnow() - timedelta(hours=1000 - n),
        token=secrets.token_urlsafe(32),
        content_hash=f"{n:064d}",
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def _forest(post_id: int, n: int, seed: int) -> None:
    """``n`` comments, a third of them replies (some to comments readers
    do not see), committed in one transaction."""
    rng = random.Random(seed)
    made: list[Comment] = []
    for k in range(n):
        parent = rng.choice(made) if made and rng.random() < 0.6 else None
        made.append(_add(post_id, k, parent, rng.choice(STATUSES)))
    db.session.commit()


def _approved(post_id: int) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.post_id == post_id, Comment.status == CommentStatus.APPROVED)
            .order_by(Comment.submitted_at, Comment.id)
        )
    )


def _shape(nodes: list[threads.Node]) -> list[tuple[int, int, list]]:  # type: ignore[type-arg]
    return [(n.comment.id, n.depth, _shape(n.children)) for n in nodes]


def _same_pages(post_id: int, per_page: int, max_depth: int) -> None:
    reference = _approved(post_id)
    first = threads.build(reference, max_depth=max_depth, per_page=per_page, page=1)
    for page in range(1, first.pages + 2):  # and one past the last
        expected = threads.build(
            reference, max_depth=max_depth, per_page=per_page, page=page
        )
        loaded = threads.load(
            post_id, max_depth=max_depth, per_page=per_page, page=page
        )
        assert (loaded.page, loaded.pages, loaded.count) == (
            expected.page,
            expected.pages,
            expected.count,
        )
        assert _shape(loaded.nodes) == _shape(expected.nodes), (page, max_depth)


def _stored_roots_are_right(post_id: int) -> None:
    """What roots.recompute finds from scratch is what is stored."""
    every = db.session.scalars(select(Comment.id).where(Comment.post_id == post_id))
    assert roots.recompute(db.session.connection(), list(every)) == {}


@pytest.mark.parametrize("max_depth", [1, 2, 5])
def test_pages_read_from_the_index_match_the_whole_thread(app, make_post, max_depth):
    post = make_post("Busy")
    with app.app_context():
        _forest(post.id, 120, seed=max_depth)
        _stored_roots_are_right(post.id)
        for per_page in (1, 7, 50):
            _same_pages(post.id, per_page, max_depth)


def test_moderation_keeps_every_thread_right(app, make_post, make_user):
    post = make_post("Busy")
    with app.app_context():
        _forest(post.id, 80, seed=11)
        actor = db.session.get(User, make_user().id)
        rng = random.Random(3)
        for _ in range(80):
            mine = select(Comment).where(Comment.post_id == post.id)
            comment = rng.choice(list(db.session.scalars(mine)))
            try:
                transition(actor, comment, rng.choice(list(Action)))
            except TransitionRefused:
                continue
            db.session.commit()
            _stored_roots_are_right(post.id)
        _same_pages(post.id, 5, 3)


def test_deleting_an_approved_parent_lifts_its_replies(app, make_post):
    post = make_post("Busy")
    with app.app_context():
        top = _add(post.id, 1, None, CommentStatus.APPROVED)
        middle = _add(post.id, 2, top, CommentStatus.APPROVED)
        low = _add(post.id, 3, middle, CommentStatus.APPROVED)
        db.session.commit()
        assert (middle.root_id, low.root_id) == (top.id, top.id)
        db.session.delete(middle)
        db.session.commit()
        assert db.session.get(Comment, low.id).root_id is None  # a thread of its own
        _same_pages(post.id, 1, 5)


def test_a_reply_loaded_before_its_parent_changed_shows_its_new_root(app, make_post):
    post = make_post("Busy")
    with app.app_context():
        top = _add(post.id, 1, None, CommentStatus.PENDING)
        reply = _add(post.id, 2, top, CommentStatus.APPROVED)
        db.session.commit()
        assert reply.root_id is None
        top.status = CommentStatus.APPROVED
        db.session.flush()
        assert reply.root_id == top.id  # loaded in the session, refreshed


def test_page_of_finds_every_comment(app, make_post):
    post = make_post("Busy")
    with app.app_context():
        _forest(post.id, 90, seed=5)
        for max_depth in (1, 3):
            for comment in _approved(post.id):
                page = threads.page_of(comment, max_depth=max_depth, per_page=4)
                shown = threads.load(
                    post.id, max_depth=max_depth, per_page=4, page=page
                )
                assert comment.id in shown.by_id


def test_reply_target_reaches_beyond_the_page(app, make_post):
    post = make_post("Busy")
    other = make_post("Other", days_ago=2)
    with app.app_context():
        _forest(post.id, 30, seed=2)
        elsewhere = _add(other.id, 99, None, CommentStatus.APPROVED)
        db.session.commit()
        comments = _approved(post.id)
        thread = threads.load(post.id, max_depth=5, per_page=1, page=1)
        far = comments[-1]
        assert far.id not in thread.by_id
        assert thread.reply_target(far.id) == far
        assert thread.reply_target(elsewhere.id) is None
        pending = db.session.scalar(
            select(Comment).where(
                Comment.post_id == post.id, Comment.status != CommentStatus.APPROVED
            )
        )
        assert pending is not None and thread.reply_target(pending.id) is None


def test_a_reply_is_on_its_threads_page(app, make_post, make_comment):
    post = make_post("Busy")
    first = make_comment(post, "First", minutes_ago=30)
    later = [make_comment(post, f"Later {n}", minutes_ago=20 - n) for n in range(4)]
    reply = make_comment(post, "A late reply to the first", parent_id=first.id)
    with app.app_context():
        loaded = db.session.get(Comment, reply.id)
        assert loaded is not None and loaded.root_id == first.id
        assert threads.page_of(loaded, max_depth=5, per_page=2) == 1
        last = db.session.get(Comment, later[-1].id)
        assert last is not None and threads.page_of(last, max_depth=5, per_page=2) == 3
