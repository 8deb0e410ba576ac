"""The page of one date of a repeating event, /events/<slug>/<YYYY-MM-DD>/,
and a series' own page: its next date, its rule in words, its upcoming dates."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime

NOW = datetime(2030, 3, 11, 12, 0, tzinfo=UTC)  # Monday, March 11
SEMINAR = "/events/seminar/"


def _main(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    page = html.unescape(response.get_data(as_text=True))
    return page


def _json_ld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found[1])


def test_dates_of_a_series(app, client, make_event, make_series, monkeypatch):
    monkeypatch.setattr("blog.views.events.utcnow", lambda: NOW)
    moved_to = datetime(2030, 4, 3, 22, 0, tzinfo=UTC)  # Wednesday, 6 p.m. EDT
    make_series(
        "Seminar",
        slug="seminar",
        start="2030-03-12 16:00",
        end="2030-03-12 17:00",
        until=date(2030, 6, 4),
        changes=[
            (date(2030, 3, 19), "skipped"),
            (date(2030, 3, 26), "cancelled"),
            (date(2030, 4, 2), "moved", moved_to, moved_to.replace(hour=23)),
        ],
    )
    make_event("Alpha", slug="alpha", start="2030-03-13 10:00", end=None)

    # The series' page: its next date, its rule, its next ten dates.
    page = _main(client, SEMINAR)
    assert "Tuesday, March 12, 2030, 4:00–5:00 p.m. EDT" in page
    assert '<span class="event-rule">Every Tuesday until June 4, 2030</span>' in page
    dates = re.findall(r'<li><a href="/events/seminar/([0-9-]+)/"', page)
    assert dates[:4] == ["2030-03-12", "2030-03-26", "2030-04-02", "2030-04-09"]
    assert len(dates) == 10 and "2030-03-19" not in dates
    assert "and 2 more" in page  # 12 dates to come, 10 listed
    after = page[page.index('href="/events/seminar/2030-03-26/"') :]
    assert after.index("Cancelled") < after.index("</li>")
    assert 'rel="canonical" href="http://localhost/events/seminar/"' in page

    # One date: its own When, address, data, and the event's comments.
    page = _main(client, f"{SEMINAR}2030-04-09/")
    assert "Tuesday, April 9, 2030, 4:00–5:00 p.m. EDT" in page
    assert 'rel="canonical" href="http://localhost/events/seminar/2030-04-09/"' in page
    assert (
        'property="og:url" content="http://localhost/events/seminar/2030-04-09/"'
        in (page)
    )
    assert _json_ld(page)["startDate"].startswith("2030-04-09T16:00")
    assert 'href="/events/seminar/2030-04-09/" aria-current="page"' in page
    assert f'<a href="{SEMINAR}">All dates</a>' in page
    assert "Leave a Reply" in page and "This date is cancelled" not in page

    moved = _main(client, f"{SEMINAR}2030-04-02/")
    assert "Wednesday, April 3, 2030, 6:00–7:00 p.m. EDT" in moved
    assert "Moved from Tuesday, April 2, 2030, 4:00–5:00 p.m. EDT" in moved

    cancelled = _main(client, f"{SEMINAR}2030-03-26/")
    assert "This date is cancelled." in cancelled
    assert "Tuesday, March 26, 2030, 4:00–5:00 p.m. EDT" in cancelled

    for path in (
        f"{SEMINAR}2030-03-19/",  # skipped
        f"{SEMINAR}2030-03-13/",  # a Wednesday: not a date of the rule
        f"{SEMINAR}2030-06-11/",  # after its end
        f"{SEMINAR}2030-02-30/",
        f"{SEMINAR}2030-3-12/",
        f"{SEMINAR}next/",
        "/events/alpha/2030-03-14/",
        "/events/nothing/2030-03-12/",
    ):
        assert client.get(path).status_code == 404, path
    one_off = client.get("/events/alpha/2030-03-13/")
    assert one_off.status_code == 301
    assert one_off.headers["Location"].endswith("/events/alpha/")
