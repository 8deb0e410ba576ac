"""blog.comments.threads: what readers see, nested and paged."""

from __future__ import annotations

from blog.comments import threads
from blog.models import Comment


def _c(id_: int, parent: int | None = None) -> Comment:
    return Comment(id=id_, parent_id=parent)


def test_threads_cap_depth_and_page():
    made = [_c(1), _c(2, 1), _c(3, 2), _c(4, 3), _c(5), _c(6)]
    thread = threads.build(made, max_depth=2, per_page=2, page=None)
    assert thread.pages == 2 and thread.page == 1 and thread.count == 6
    first = thread.nodes[0]
    assert first.comment.id == 1
    assert [n.comment.id for n in first.children] == [2, 3, 4]  # flattened at depth 2
    assert all(n.depth == 2 for n in first.children)
    assert [n.comment.id for n in thread.nodes] == [1, 5]
    last = threads.build(made, max_depth=2, per_page=2, page=9)
    assert [n.comment.id for n in last.nodes] == [6]
    assert threads.root_index(made, 4) == 0 and threads.root_index(made, 6) == 2


def test_with_one_level_every_reply_stands_at_the_top():
    made = [_c(1), _c(2, 1), _c(3, 2)]
    thread = threads.build(made, max_depth=1, per_page=10, page=None)
    assert [n.comment.id for n in thread.nodes] == [1, 2, 3]
    assert all(n.depth == 1 and not n.children for n in thread.nodes)
    assert not thread.can_reply(thread.nodes[0])


def test_replies_are_offered_above_the_deepest_level():
    made = [_c(1), _c(2, 1)]
    thread = threads.build(made, max_depth=2, per_page=10, page=None)
    [top] = thread.nodes
    assert thread.can_reply(top) and not thread.can_reply(top.children[0])
