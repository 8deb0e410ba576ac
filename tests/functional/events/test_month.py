"""The month calendar, /events/YYYY/MM/: an accessible table of weeks from
Monday, each date on its event's own clock, and the same month as a list."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html

NOW = datetime(2030, 3, 11, 12, 0, tzinfo=UTC)  # Monday, March 11 (UTC site)


def _cells(page: str) -> dict[str, list[str]]:
    """Each day of the grid (ISO date) with the titles of its links."""
    table = lxml.html.fromstring(page).get_element_by_id("content").find(".//table")
    return {
        cell.find("time").get("datetime"): [a.text_content() for a in cell.iter("a")]
        for cell in table.iter("td")
        if cell.find("time") is not None
    }


def test_the_month_grid(app, client, make_event, make_series, monkeypatch):
    monkeypatch.setattr("blog.views.events.utcnow", lambda: NOW)
    make_series(
        "Seminar",
        slug="seminar",
        start="2030-03-05 16:00",
        end="2030-03-05 17:00",
        until=date(2030, 4, 30),
        changes=[(date(2030, 3, 19), "skipped"), (date(2030, 3, 26), "cancelled")],
    )
    make_event("Retreat", start="2030-03-14 18:00", end="2030-03-15 12:00")
    # 8 p.m. on March 31 in Los Angeles: April 1 in UTC, March 31 on its clock.
    make_event(
        "Late", start="2030-03-31 20:00", end=None, timezone="America/Los_Angeles"
    )
    make_event("Spring", start="2030-04-02 10:00", end=None)

    response = client.get("/events/2030/03/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<caption>March 2030</caption>" in page
    assert page.count('<th scope="col">') == 7
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in page
    cells = _cells(page)
    assert list(cells)[:2] == ["2030-03-01", "2030-03-02"]  # Friday, Saturday
    seminar = ["4:00 p.m. Seminar"]
    assert cells["2030-03-05"] == seminar
    assert cells["2030-03-12"] == seminar
    assert cells["2030-03-19"] == []  # skipped
    assert cells["2030-03-26"] == seminar
    assert cells["2030-03-14"] == ["6:00 p.m. Retreat"]
    assert cells["2030-03-15"] == ["(continued) Retreat"]
    assert cells["2030-03-31"] == ["8:00 p.m. Late"]
    assert "Spring" not in page
    assert 'href="/events/seminar/2030-03-12/"' in page
    cancelled = page[page.index('href="/events/seminar/2030-03-26/"') :]
    assert cancelled.index("Cancelled") < cancelled.index("</li>")
    today = page[page.index('aria-current="date"') :]
    assert today.index('datetime="2030-03-11"') < today.index("</td>")
    assert 'rel="prev" href="/events/2030/02/"' in page
    assert 'rel="next" href="/events/2030/04/"' in page
    assert 'href="/events/2030/03/">Today</a>' in page
    assert 'href="/events/">Upcoming</a>' in page
    # The list view of the same month (shown below 700 px).
    listed = page[page.index('class="month-list"') :]
    assert '<h2><time datetime="2030-03-14">Thursday, March 14, 2030</time></h2>' in (
        listed
    )
    assert '<time datetime="2030-03-19">' not in listed

    april = client.get("/events/2030/04/").get_data(as_text=True)
    assert _cells(april)["2030-04-02"] == ["10:00 a.m. Spring", "4:00 p.m. Seminar"]
    assert "Late" not in april and 'aria-current="date"' not in april

    for path in (
        "/events/1899/12/",
        "/events/2201/01/",
        "/events/2030/13/",
        "/events/2030/00/",
        "/events/2030/3/",
    ):
        assert client.get(path).status_code == 404, path
    first = client.get("/events/1900/01/").get_data(as_text=True)
    assert '<meta name="robots" content="noindex, nofollow">' in first
    assert "noindex" not in page
    assert 'rel="prev"' not in first and 'rel="next" href="/events/1900/02/"' in first
