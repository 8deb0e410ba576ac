"""Pages load in a constant number of queries, whatever they show."""

from __future__ import annotations

import pytest

from blog.events import PersonInput
from blog.models import Role


def _queries(client, count_queries, path: str) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


@pytest.mark.parametrize(
    "path", ["/", "/category/c0/", "/tag/t0/", "/author/au/", "/{year}/"]
)
def test_listing_pages_are_constant(client, make_user, make_post, count_queries, path):
    author = make_user(Role.AUTHOR, "au")
    post = make_post("One", author=author, categories="c0", tags="t0")
    path = path.format(year=post.published_at.year)
    small = _queries(client, count_queries, path)
    for n in range(12):
        make_post(
            f"More {n}",
            author=make_user(Role.AUTHOR),
            categories=", ".join(f"c{k}" for k in range(n % 4 + 1)),
            tags=", ".join(f"t{k}" for k in range(n % 5 + 1)),
            days_ago=2 + n,
        )
    assert _queries(client, count_queries, path) == small


def test_article_page_is_constant(client, make_user, make_post, count_queries):
    author = make_user(Role.AUTHOR, "au")
    plain = make_post("Plain", author=author, days_ago=5)
    url = f"/{plain.published_at:%Y}/{plain.published_at:%m}/{plain.slug}/"
    small = _queries(client, count_queries, url)
    rich = make_post(
        "Rich",
        author=author,
        days_ago=5,
        categories=", ".join(f"cat{k}" for k in range(8)),
        tags=", ".join(f"tag{k}" for k in range(15)),
    )
    for n in range(6):
        make_post(f"Neighbour {n}", author=author, days_ago=n + 1, categories=f"x{n}")
    url = f"/{rich.published_at:%Y}/{rich.published_at:%m}/{rich.slug}/"
    assert _queries(client, count_queries, url) == small


def test_article_reads_one_page_of_a_big_thread(
    app, client, make_user, make_post, count_queries
):
    """300 comments, 5 top-level ones a page: the page's queries are those of
    a post with one comment, and only the page's comments are read."""
    import secrets
    from datetime import timedelta

    from sqlalchemy import event

    from blog.extensions import db
    from blog.models import Comment, CommentStatus, utcnow

    app.config["COMMENTS_PER_PAGE"] = 5
    author = make_user(Role.AUTHOR, "au")
    quiet = make_post("Quiet", author=author, days_ago=5)
    busy = make_post("Busy", author=author, days_ago=5)

    def add(post_id: int, n: int, parent_id: int | None) -> int:
        comment = Comment(
            post_id=post_id,
            parent_id=parent_id,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.net",
            body_source=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            status=CommentStatus.APPROVED,
            submitted_at=utcnow() - timedelta(minutes=1000 - n),
            token=secrets.token_urlsafe(32),
            content_hash=f"{n:064d}",
        )
        db.session.add(comment)
        db.session.flush()
        return comment.id

    with app.app_context():
        add(quiet.id, 0, None)
        tops: list[int] = []
        for n in range(300):  # a third are replies, to the comments just before
            parent = tops[-1] if n % 3 == 2 and tops else None
            made = add(busy.id, n, parent)
            if parent is None:
                tops.append(made)
        db.session.commit()

    loaded: list[int] = []

    def on_load(target: Comment, _context: object) -> None:
        loaded.append(target.id)

    def url(post) -> str:  # type: ignore[no-untyped-def]
        return f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"

    event.listen(Comment, "load", on_load)
    try:
        small = _queries(client, count_queries, url(quiet))
        for page in ("", "?cpage=2", "?cpage=40"):
            loaded.clear()
            assert _queries(client, count_queries, url(busy) + page) == small
            assert 5 <= len(loaded) <= 10  # 5 top-level comments and their replies
    finally:
        event.remove(Comment, "load", on_load)


@pytest.mark.parametrize("path", ["/", "/category/c0/", "/author/au/"])
def test_deep_pages_cost_what_the_first_costs(
    client, make_user, make_post, count_queries, path
):
    """The pager's links carry a cursor: page 9 is read like page 2."""
    import re

    author = make_user(Role.AUTHOR, "au")
    for n in range(30):
        make_post(f"Post {n}", author=author, categories="c0", days_ago=1 + n)
    from blog.extensions import db
    from blog.site import settings as site_settings

    with client.application.app_context():
        site_settings.save_settings({"posts_per_page": 3})
        db.session.commit()
    seen: list[str] = []
    page, counts = path, []
    while page:
        with count_queries() as counter:
            html = client.get(page).get_data(as_text=True)
        counts.append(counter.count)
        seen += re.findall(
            r'<h2 class="entry-title"><a href="[^"]+"[^>]*>([^<]+)</a>', html
        )
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        page = found.group(1).replace("&amp;", "&") if found else ""
        if found:
            assert "after=" in page
    assert seen == [f"Post {n}" for n in range(30)]
    assert len(counts) == 10 and len(set(counts)) == 1


def test_event_dates_pages_are_constant(client, make_event, make_series, count_queries):
    """The upcoming and past lists, the month calendar, a series' page and a
    date's page, the home page, the events feed and the calendar file read
    as many queries with one repeating event as with five, whatever their
    people, categories and skipped, cancelled or moved dates."""
    from datetime import UTC, date, datetime, timedelta

    from blog.events.recurrence import HORIZON

    today = datetime.now(UTC).date()
    day = today - timedelta(days=14)  # dates past and to come
    when = {"start": f"{day} 10:00", "end": None, "timezone": "UTC"}
    make_series("Series 0", slug="series-0", until=day + HORIZON, **when)
    make_event("One-off", start=f"{today + timedelta(days=2)} 12:00", end=None)
    paths = [
        "/events/",
        "/events/past/",
        f"/events/{today:%Y}/{today:%m}/",
        "/events/series-0/",
        f"/events/series-0/{day}/",
        "/",
        "/events/feed/",
        "/events.ics",
    ]
    small = [_queries(client, count_queries, path) for path in paths]

    def week(n: int) -> date:
        return day + timedelta(days=7 * n)

    for n in range(1, 5):
        moved_to = datetime.combine(week(4), datetime.min.time(), UTC)
        make_series(
            f"Series {n}",
            categories=", ".join(f"c{k}" for k in range(n)),
            audiences=tuple(f"a{k}" for k in range(n)),
            people=[PersonInput(f"P{k}") for k in range(n)],
            changes=[
                (week(1), "skipped"),
                (week(3), "cancelled"),
                (week(4), "moved", moved_to, moved_to + timedelta(hours=2)),
            ],
            **when,
        )
    assert [_queries(client, count_queries, path) for path in paths] == small
