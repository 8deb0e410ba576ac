"""The benchmark's site, built through the app's own services in a fresh
instance folder: the schema by ``flask --app blog db upgrade``, then posts,
comments and an event as an editor and readers would make them.

The measured article has the shape of PERFORMANCE.md's data set: about 860
words (headings, a list, a quote) by one author in one category, with 50
approved comments, 41 top-level and 9 replies. Around it: enough other
articles for a full home page and category archive, and one upcoming event.
"""

from __future__ import annotations

import os
import random
import secrets
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import Flask

from bench import text
from blog import create_app, events
from blog.comments import CommentSettings, Submission, submit_comment
from blog.extensions import db
from blog.media import Uploads
from blog.models import Comment, CommentStatus, Post, Role, Taxonomy, Term, User, utcnow
from blog.posts import PostInput, SaveAction, save_post
from blog.site.settings import load_settings, save_settings

VENV_BIN = Path(sys.executable).parent
CATEGORY = "Community"
OTHER_CATEGORIES = ["Gardening", "Neighbourhood", "Food"]
OTHER_POSTS = 30
TOP_LEVEL, REPLIES = 41, 9
#: Which earlier comment (by position among all 50) each reply answers:
#: seven reply to a top-level comment, two to a reply (a second level).
REPLY_TO = {6: 2, 11: 9, 15: 6, 20: 14, 26: 21, 31: 30, 37: 31, 42: 40, 48: 47}


@dataclass
class Site:
    """Where the site lives and the addresses the benchmark reads."""

    folder: Path
    env: dict[str, str]  # BLOG_* settings for every server of this site
    article: str
    article_id: int
    archive: str
    event: str
    home: str = "/"


def site_env(folder: Path) -> dict[str, str]:
    """The configuration every server of the benchmark runs with.

    Production mode (``BLOG_ENV=production``: secure cookies, HSTS) as a
    real site runs, over plain HTTP on 127.0.0.1: nothing measured here
    needs a cookie to come back except the comment form's, which the
    benchmark's own client returns. Flood and timing rules are off and the
    comment rate limit is out of reach (the limiter still runs), so that
    every comment POST is taken; Akismet and mail are off unless a phase
    turns them on.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOG_")}
    env.update(
        BLOG_ENV="production",
        BLOG_SECRET_KEY=secrets.token_urlsafe(32),
        BLOG_INSTANCE_PATH=str(folder / "instance"),
        BLOG_SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.sqlite3'}",
        BLOG_SITE_URL="http://127.0.0.1",
        BLOG_COMMENT_FLOOD_SECONDS="0",
        BLOG_COMMENT_MIN_SECONDS="0",
        BLOG_RATELIMIT_COMMENT='"100000 per minute"',  # limits on, never hit
        BLOG_AKISMET_API_KEY='""',
        BLOG_MAIL_SERVER='""',
    )
    return env


def app_for(env: dict[str, str]) -> Flask:
    """The app as the servers will see it (same settings, same folder)."""
    config = {
        "SECRET_KEY": env["BLOG_SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": env["BLOG_SQLALCHEMY_DATABASE_URI"],
        "SITE_URL": env["BLOG_SITE_URL"],
    }
    saved = os.environ.get("BLOG_INSTANCE_PATH")
    os.environ["BLOG_INSTANCE_PATH"] = env["BLOG_INSTANCE_PATH"]
    try:
        return create_app(config)
    finally:
        if saved is None:
            del os.environ["BLOG_INSTANCE_PATH"]
        else:
            os.environ["BLOG_INSTANCE_PATH"] = saved


def build(folder: Path) -> Site:
    """Upgrade a fresh database with the CLI, then fill it."""
    env = site_env(folder)
    upgrade = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "blog", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if upgrade.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{upgrade.stderr}")
    app = app_for(env)
    with app.app_context():
        site = _fill(app, folder, env)
        db.session.remove()
        db.engine.dispose()
    return site


def _fill(app: Flask, folder: Path, env: dict[str, str]) -> Site:
    rng = random.Random(11)
    author = User(
        username="ada",
        email="ada@example.org",
        display_name="Ada Greenfield",
        slug="ada-greenfield",
        role=Role.ADMIN,
        password_hash="x",
    )
    db.session.add(author)
    save_settings({"title": "Elm Street Garden", "tagline": "Notes from a plot"})
    # While building: every comment is approved at once (no earlier approval
    # needed, any number of links); restored afterwards, so that the POSTs
    # measured later are held for moderation, as WordPress's were.
    save_settings({"comments_previously_approved": False, "comments_max_links": 0})
    db.session.commit()
    now = utcnow().replace(microsecond=0)
    article_at = now - timedelta(days=12, hours=3)
    for n in range(OTHER_POSTS):  # one every 26 hours, some after the article
        _publish(
            author,
            title=f"Garden diary, week {n + 1}",
            body=text.short_body(rng, 3),
            category=OTHER_CATEGORIES[n % 3] if n % 4 else CATEGORY,
            tags=", ".join(rng.sample(["beans", "compost", "tools", "rain"], 2)),
            at=now - timedelta(hours=26 * n + 5),
        )
    article = _publish(
        author,
        title="How a car park became the street's garden",
        body=text.article_body(860),
        category=CATEGORY,
        tags="",
        at=article_at,
    )
    settings = CommentSettings(site=load_settings(), flood_seconds=0)
    _comments(article, settings, rng, article_at)
    for post in db.session.scalars(db.select(Post).where(Post.id != article.id)):
        _comments(post, settings, rng, post.published_at, count=rng.randint(0, 3))
    save_settings({"comments_previously_approved": True, "comments_max_links": 2})
    db.session.commit()
    event = _event(app, author, rng, now)
    category = db.session.scalar(
        db.select(Term).where(Term.taxonomy == Taxonomy.CATEGORY, Term.name == CATEGORY)
    )
    assert category is not None and article.published_at is not None
    shown = db.session.scalar(
        db.select(db.func.count(Comment.id)).where(
            Comment.post_id == article.id, Comment.status == CommentStatus.APPROVED
        )
    )
    assert shown == TOP_LEVEL + REPLIES, shown
    return Site(
        folder=folder,
        env=env,
        article=f"/{article.published_at:%Y}/{article.published_at:%m}/{article.slug}/",
        article_id=article.id,
        archive=f"/category/{category.slug}/",
        event=f"/events/{event.slug}/",
    )


def _publish(
    author: User, *, title: str, body: str, category: str, tags: str, at: datetime
) -> Post:
    return save_post(
        author,
        PostInput(
            title=title, body=body, categories=category, tags=tags, publish_at=at
        ),
        action=SaveAction.PUBLISH,
    )


def _comments(
    post: Post,
    settings: CommentSettings,
    rng: random.Random,
    start: datetime | None,
    count: int = TOP_LEVEL + REPLIES,
) -> None:
    """``count`` approved comments through the comment service, a few
    minutes apart; on the article, the replies of :data:`REPLY_TO`."""
    assert start is not None
    ids: list[int] = []
    for n in range(count):
        parent = (
            ids[REPLY_TO[n]] if count == TOP_LEVEL + REPLIES and n in REPLY_TO else None
        )
        data = Submission(
            name=f"Reader {n + 1}",
            email=f"reader{post.id}-{n + 1}@example.net",
            url="https://example.net/" if n % 5 == 0 else "",
            body=text.comment_body(rng),
            parent_id=parent,
            ip=f"192.0.2.{n % 250 + 1}",
            user_agent="Mozilla/5.0 (bench)",
            permalink="http://127.0.0.1/",
            form_age=60.0,
        )
        at = start + timedelta(minutes=17 * (n + 1))
        comment = submit_comment(post, data, None, settings, now=at)
        assert comment.status == CommentStatus.APPROVED, comment.status
        ids.append(comment.id)


def _event(app: Flask, author: User, rng: random.Random, now: datetime) -> Post:
    day: date = (now + timedelta(days=30)).date()
    data = events.EventInput(
        post=PostInput(
            title="Spring planting day",
            body=text.short_body(rng, 4),
            categories="Workshops",
            publish_at=now - timedelta(days=2),
        ),
        start_date=day,
        start_time=time(10, 0),
        end_date=day,
        end_time=time(15, 30),
        timezone="Europe/London",
        venue_name="Elm Street Garden",
        venue_address="12 Elm Street, London",
        cost="Free",
        registration_url="https://example.org/register",
        people=[
            events.PersonInput("Ada Greenfield", "Elm Street Garden"),
            events.PersonInput("Sam Okafor", "City Allotments"),
        ],
        sponsors=[events.SponsorInput("The Seed Library", "https://example.org/")],
    )
    return events.save_event(
        author, data, action=SaveAction.PUBLISH, uploads=Uploads.of(app)
    )
