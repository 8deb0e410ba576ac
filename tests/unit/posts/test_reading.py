"""blog.posts.reading and the one visibility rule it rests on."""

from __future__ import annotations

from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, PostStatus, utcnow
from blog.posts import reading


def test_the_sql_and_python_forms_of_the_rule_agree(app, make_post):
    made = {
        "published": make_post("Published", days_ago=2),
        "scheduled": make_post("Scheduled", days_ago=-2),
        "draft": make_post("Draft", publish=False),
        "pending": make_post("Pending", days_ago=3),
        "trash": make_post("Trash", days_ago=4),
    }
    with app.app_context():
        db.session.get(Post, made["pending"].id).status = PostStatus.PENDING
        db.session.get(Post, made["trash"].id).status = PostStatus.TRASH
        db.session.commit()
        now = utcnow()
        in_sql = set(db.session.scalars(select(Post.id).where(Post.visible_at(now))))
        in_python = {
            p.id for p in db.session.scalars(select(Post)) if p.is_visible(now)
        }
        assert in_sql == in_python == {made["published"].id}
        assert [p.title for p in db.session.scalars(reading.visible())] == ["Published"]
        assert db.session.get(Post, made["scheduled"].id).is_scheduled


def test_neighbours_skip_what_readers_cannot_see(app, make_post):
    first = make_post("First", days_ago=3)
    make_post("Hidden draft", publish=False)
    make_post("Scheduled", days_ago=-1)
    last = make_post("Last", days_ago=1)
    with app.app_context():
        around = reading.neighbours(db.session.get(Post, first.id))
        assert around.previous is None and around.next.id == last.id
        around = reading.neighbours(db.session.get(Post, last.id))
        assert around.previous.id == first.id and around.next is None
