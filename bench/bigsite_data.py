"""The big site's data, made in memory (``bench/bigsite.py`` writes it).

The big site: 100,000 articles over ten years (published, with some drafts,
pending, scheduled and trashed ones), 1,000,000 approved comments (most
posts a few, 20 posts 5,000 each, a third of them replies), 100,000 pending
and 10,000 spam comments, 200 authors, 2,000 tags, 10 categories, 2,000
events (20 upcoming). The small site has the same shape at 100 articles.
Every site has an admin ``admin`` (password :data:`ADMIN_PASSWORD`), a busy
article ``busy-article-1`` and a category ``category-1``. Markdown is
rendered once: every post shares one ~800-word body, comments a few dozen.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

ADMIN_PASSWORD = "bench-admin-password"
#: A word some comment bodies carry, for the moderation search.
SEARCH_WORD = "zeppelin"
BUSY_SLUG = "busy-article"


@dataclass(frozen=True)
class Size:
    articles: int
    authors: int
    tags: int
    categories: int
    approved: int  # approved comments in all
    busy_posts: int  # posts with ``busy_comments`` approved comments each
    busy_comments: int
    pending: int
    spam: int
    upcoming_events: int
    past_events: int


SIZES = {
    "big": Size(
        articles=100_000, authors=200, tags=2_000, categories=10,
        approved=1_000_000, busy_posts=20, busy_comments=5_000,
        pending=100_000, spam=10_000, upcoming_events=20, past_events=1_980,
    ),
    "small": Size(
        articles=100, authors=10, tags=20, categories=2,
        approved=1_000, busy_posts=1, busy_comments=200,
        pending=100, spam=10, upcoming_events=20, past_events=5,
    ),
}  # fmt: skip


# Content ---------------------------------------------------------------------

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his "
    "from at which but have an they you were her she there one all we their can "
    "been has more will if no when what so about would them into some could time "
    "these two may then do first any my now such like our over man me even most "
    "made after also did many before must through years where much your way well "
    "down should because each just those people how too little state good very "
    "make world still own see men work long get here between both life being "
    "under never day same another know while last might us great old year off "
    "come since against go came right used take three garden river library "
    "season harbour valley lantern orchard meadow festival workshop bicycle"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def post_markdown(rng: random.Random, words: int = 800) -> str:
    """An article of about ``words`` words: headings, paragraphs, a list,
    a link, emphasis and a quote, as editors write them."""
    parts: list[str] = []
    count = 0
    section = 0
    while count < words:
        if len(parts) % 4 == 0:
            section += 1
            parts.append(f"## Part {section}: {_sentence(rng, 4)[:-1]}")
        paragraph = _paragraph(rng, rng.randint(3, 6))
        if len(parts) % 5 == 2:
            paragraph += " See [the programme](https://example.org/programme) *soon*."
        if len(parts) % 7 == 3:
            items = [
                f"- **{rng.choice(WORDS)}**: {_sentence(rng, 6)}" for _ in range(4)
            ]
            paragraph += "\n\n" + "\n".join(items)
        if len(parts) % 9 == 5:
            paragraph += f"\n\n> {_sentence(rng, 12)}"
        parts.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(parts)


def comment_bodies(rng: random.Random, n: int = 40) -> list[tuple[str, str]]:
    """``n`` comment texts (Markdown, HTML), one in eight saying :data:`SEARCH_WORD`."""
    from blog.rendering import render_comment

    bodies = []
    for k in range(n):
        text_ = "\n\n".join(
            _paragraph(rng, rng.randint(1, 3)) for _ in range(rng.randint(1, 2))
        )
        if k % 8 == 0:
            text_ += f" A {SEARCH_WORD} flew over the *harbour*."
        bodies.append((text_, render_comment(text_)))
    return bodies


# The data set ------------------------------------------------------------------


@dataclass
class CommentRow:
    time: float  # POSIX seconds
    post_id: int
    parent: int  # index in the post's list, -1 for none
    root: int  # index of the top-level comment shown above it, -1 for none
    status: str
    id: int = 0


class Builder:
    """Rows for every table, made in memory in the order they are written."""

    def __init__(self, size: Size, seed: int = 11) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.start = self.now - timedelta(days=3652)
        self.posts: list[dict[str, Any]] = []
        self.post_terms: list[tuple[int, int]] = []
        self.events: list[dict[str, Any]] = []
        self.comments: list[CommentRow] = []

    # users and terms
    def users(self, password_hash: str) -> list[dict[str, Any]]:
        rows = [self._user(1, "admin", "admin", password_hash)]
        for n in range(1, self.size.authors + 1):
            role = "editor" if n % 50 == 0 else "author"
            rows.append(self._user(n + 1, f"author-{n}", role, password_hash))
        return rows

    def _user(self, id_: int, username: str, role: str, pw: str) -> dict[str, Any]:
        return {
            "id": id_,
            "username": username,
            "email": f"{username}@example.org",
            "display_name": username.replace("-", " ").title(),
            "slug": username,
            "bio": "Writes about the harbour.",
            "bio_html": "<p>Writes about the harbour.</p>",
            "role": role,
            "password_hash": pw,
            "created_at": self.start,
            "website": "",
        }

    def terms(self) -> list[dict[str, Any]]:
        rows = []
        for n in range(1, self.size.categories + 1):
            rows.append(self._term(len(rows) + 1, "category", f"Category {n}"))
        for n in range(1, self.size.tags + 1):
            rows.append(self._term(len(rows) + 1, "tag", f"Tag {n}"))
        return rows

    @staticmethod
    def _term(id_: int, taxonomy: str, name: str) -> dict[str, Any]:
        slug = name.lower().replace(" ", "-")
        return {"id": id_, "taxonomy": taxonomy, "name": name, "slug": slug,
                "description": ""}  # fmt: skip

    # posts
    def make_posts(self, body_html: str, body_source: str, excerpt: str) -> None:
        size, rng = self.size, self.rng
        span = (self.now - timedelta(days=1) - self.start).total_seconds()
        busy = set(rng.sample(range(size.articles), size.busy_posts))
        busy_n = 0
        for n in range(size.articles):
            post_id = n + 1
            published = self.start + timedelta(seconds=rng.random() * span)
            status, slug = "published", f"{_slug(rng)}-{post_id}"
            roll = rng.random()
            if n in busy:
                busy_n += 1
                slug = f"{BUSY_SLUG}-{busy_n}"
            elif roll < 0.03:
                status = "draft"
            elif roll < 0.04:
                status = "pending"
            elif roll < 0.05:
                status = "trash"
            elif roll < 0.06:  # scheduled
                published = self.now + timedelta(days=rng.uniform(1, 60))
            self.posts.append(
                self._post(
                    post_id,
                    "article",
                    status,
                    slug,
                    published,
                    body_html,
                    body_source,
                    excerpt,
                )  # fmt: skip
            )
            self.post_terms.append((post_id, rng.randint(1, size.categories)))
            tags = rng.sample(range(size.tags), min(3, size.tags))
            self.post_terms.extend((post_id, size.categories + 1 + t) for t in tags)
        shown = [p for p in self.posts if p["status"] == "published"]
        for post in shown[:2]:  # "Stick to the top of the blog"
            post["sticky"] = post["published_at"] <= self.now

    def _post(
        self, id_: int, kind: str, status: str, slug: str, published: datetime,
        body_html: str, body_source: str, excerpt: str,
    ) -> dict[str, Any]:  # fmt: skip
        is_draft = status in ("draft", "pending")
        return {
            "id": id_,
            "kind": kind,
            "status": status,
            "title": slug.replace("-", " ").capitalize(),
            "slug": slug,
            "body_source": body_source,
            "body_html": body_html,
            "excerpt_source": "",
            "excerpt_html": excerpt,
            "rendered_version": _renderer_version(),
            "author_id": 2 + self.rng.randrange(self.size.authors),
            "published_at": None if is_draft else published,
            "created_at": min(published, self.now),
            "updated_at": min(published, self.now),
            "comments_open": True,
            "featured_image_alt": "",
            "featured_image_caption": "",
            "version": 1,
            "sticky": False,
            "menu_order": 0,
        }

    def make_events(self, body_html: str, body_source: str, excerpt: str) -> None:
        size, rng = self.size, self.rng
        first = len(self.posts) + 1
        total = size.upcoming_events + size.past_events
        for n in range(total):
            post_id = first + n
            upcoming = n < size.upcoming_events
            if upcoming:
                starts = self.now + timedelta(days=3 + 5 * n, hours=rng.randint(8, 18))
                published = self.now - timedelta(days=rng.uniform(2, 30))
            else:
                starts = self.start + timedelta(days=rng.uniform(0, 3640))
                published = starts - timedelta(days=rng.uniform(7, 60))
            self.posts.append(
                self._post(
                    post_id,
                    "event",
                    "published",
                    f"event-{n + 1}",
                    published,
                    body_html,
                    body_source,
                    excerpt,
                )  # fmt: skip
            )
            self.post_terms.append((post_id, rng.randint(1, size.categories)))
            self.events.append(
                {
                    "post_id": post_id,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "timezone": "Europe/Paris",
                    "all_day": False,
                    "venue_name": "Harbour Hall",
                    "venue_address": "1 Quay Street",
                    "room": "Room 2",
                    "online_url": "",
                    "status": "scheduled",
                    "registration_url": "",
                    "cost": "Free",
                    "contact_name": "Events team",
                    "contact_email": "events@example.org",
                    "contact_phone": "",
                    "sequence": 0,
                }
            )

    # comments
    def make_comments(self) -> None:
        size, rng = self.size, self.rng
        visible = [
            p for p in self.posts
            if p["kind"] == "article" and p["status"] == "published"
            and p["published_at"] <= self.now
        ]  # fmt: skip
        busy = [p for p in visible if p["slug"].startswith(BUSY_SLUG)]
        others = [p for p in visible if not p["slug"].startswith(BUSY_SLUG)]
        counts = _spread(
            rng, size.approved - len(busy) * size.busy_comments, len(others)
        )
        per_post: dict[int, list[CommentRow]] = {}
        for post in busy:
            per_post[post["id"]] = self._thread(post, size.busy_comments, 0.5)
        for post, n in zip(others, counts, strict=True):
            if n:
                per_post[post["id"]] = self._thread(post, n, 0.35)
        self._held(visible, per_post, size.pending, "pending")
        self._held(visible, per_post, size.spam, "spam")
        rows = [row for thread in per_post.values() for row in thread]
        rows.sort(key=lambda r: (r.time, r.post_id))  # ids grow with time
        for n, row in enumerate(rows, start=1):
            row.id = n
        self.comment_threads = per_post
        self.comments = rows

    def _thread(self, post: dict[str, Any], n: int, replies: float) -> list[CommentRow]:
        """``n`` approved comments, oldest first; replies answer recent ones."""
        rng = self.rng
        begin = post["published_at"].timestamp()
        end = min(begin + 2 * 365 * 86400, self.now.timestamp() - 3600)
        times = sorted(rng.uniform(begin, end) for _ in range(n))
        rows: list[CommentRow] = []
        for k, moment in enumerate(times):
            parent = -1
            if k and rng.random() < replies:
                parent = k - rng.randint(1, min(k, 30))
            root = (
                -1
                if parent < 0
                else (rows[parent].root if rows[parent].root >= 0 else parent)
            )
            rows.append(CommentRow(moment, post["id"], parent, root, "approved"))
        return rows

    def _held(
        self, posts: Sequence[dict[str, Any]], threads: dict[int, list[CommentRow]],
        n: int, status: str,
    ) -> None:  # fmt: skip
        """Recent comments waiting for a moderator (or marked spam)."""
        rng = self.rng
        recent = self.now.timestamp() - 60 * 86400
        for _ in range(n):
            post = rng.choice(posts)
            thread = threads.setdefault(post["id"], [])
            moment = rng.uniform(max(recent, post["published_at"].timestamp()),
                                 self.now.timestamp() - 60)  # fmt: skip
            parent = -1
            if thread and rng.random() < 0.2:
                k = rng.randrange(len(thread))
                if thread[k].status == "approved" and thread[k].time < moment:
                    parent = k
            thread.append(CommentRow(moment, post["id"], parent, -1, status))


def _slug(rng: random.Random) -> str:
    return "-".join(rng.choice(WORDS) for _ in range(4))


def _spread(rng: random.Random, total: int, posts: int) -> list[int]:
    """``total`` comments over ``posts`` posts: most a few, some many."""
    if posts == 0:
        return []
    mean = total / posts
    counts = [min(int(rng.expovariate(1 / mean)), 400) for _ in range(posts)]
    diff = total - sum(counts)
    step = 1 if diff > 0 else -1
    while diff:
        k = rng.randrange(posts)
        if counts[k] + step >= 0:
            counts[k] += step
            diff -= step
    return counts


def _renderer_version() -> int:
    from blog.rendering import RENDERER_VERSION

    return RENDERER_VERSION


def comment_rows(
    builder: Builder, bodies: list[tuple[str, str]]
) -> Iterator[dict[str, Any]]:
    """The comments as table rows; ``root_id`` as :mod:`blog.comments.threads`
    keeps it (the top-level comment an approved reply shows under)."""
    threads = builder.comment_threads
    ip_pool = [f"198.51.{a}.{b}" for a in range(100) for b in range(1, 250)]
    submitted = json.dumps({"user_ip": "198.51.100.7", "user_agent": "Mozilla/5.0"})
    for row in builder.comments:
        thread = threads[row.post_id]
        reader = row.id % 50_000
        source, html = bodies[row.id % len(bodies)]
        parent = thread[row.parent].id if row.parent >= 0 else None
        root = (
            thread[row.root].id if row.root >= 0 and row.status == "approved" else None
        )
        yield {
            "id": row.id,
            "post_id": row.post_id,
            "parent_id": parent,
            "root_id": root,
            "user_id": None,
            "author_name": f"Reader {reader}",
            "author_email": f"reader{reader}@example.net",
            "author_url": "",
            "author_ip": ip_pool[reader % len(ip_pool)],
            "author_user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
            "body_source": source,
            "body_html": html,
            "rendered_version": _renderer_version(),
            "status": row.status,
            "spam_check": "unchecked" if row.status == "pending" else "ham",
            "submitted_at": datetime.fromtimestamp(row.time, UTC),
            "token": secrets.token_urlsafe(32),
            "content_hash": hashlib.sha256(b"%d" % row.id).hexdigest(),
            "submitted": submitted,
            "notification_pending": False,
        }
