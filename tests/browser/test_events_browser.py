"""Golden path for events: an editor creates an event like the seed and
publishes it; an anonymous visitor sees every part, in the seed's order.

Uses the ``browser_page`` and ``new_page`` fixtures of ``tests/browser/conftest.py``
(the system Chromium; skipped with a reason when it is missing, unless
``BLOG_REQUIRE_BROWSER=1``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import icalendar
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.fixtures_events import png_bytes


def row(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-row]", has=page.locator(f'[name="{name}"]'))


#: The seed page's "Open to": three of the names hold commas.
SEED_AUDIENCES = [
    "Parents and Families",
    "Students, Graduate and Professional",
    "Students, Prospective",
    "Students, Undergraduate",
]


def test_an_editor_publishes_an_event_and_a_visitor_reads_it(
    browser_page, new_page, make_user, make_event, artifacts_dir
):
    priya = make_user("editor", "priya", display_name="Priya Nandakumar")
    # An earlier event brought one audience and one unit into the vocabulary.
    make_event(
        "An earlier talk",
        author=priya,
        audiences=("Students, Prospective",),
        units=("East Asia Programme",),
    )
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or Email").fill("priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="Add New Event").click()
    expect(page.get_by_role("heading", name="Add New Event")).to_be_visible()

    page.get_by_label("Title").fill("Quiet Channels: Can Unofficial Talks Help?")
    page.get_by_label("Starts on").fill("2031-03-13")
    page.get_by_label("Start time").fill("16:00")
    page.get_by_label("Ends on").fill("2031-03-13")
    page.get_by_label("End time").fill("17:30")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("Venue name").fill("Lakeside Hall")
    page.get_by_label("Room").fill("Room 341")
    page.get_by_label("Body").fill(
        "When official talks stall, can quiet channels keep a door open?\n\n"
        "Three practitioners compare notes."
    )
    # Speakers typed out of order, then put right with "Move up" (JavaScript).
    page.locator('[name="speakers-0-name"]').fill("Tomas Eriksen")
    page.locator('[name="speakers-0-affiliation"]').fill("Northfield Policy Centre")
    page.locator('[name="speakers-1-name"]').fill("Mira Castellanos")
    page.locator('[name="speakers-1-affiliation"]').fill("Harbor University")
    row(page, "speakers-1-name").get_by_role("button", name="Move up").click()
    page.locator('[name="speakers-2-name"]').fill("Aiko Brandt")
    page.locator('[name="speakers-2-affiliation"]').fill("Bridgeway Foundation")
    # A fourth row added in the page (no reload), then removed again.
    url_before = page.url
    page.get_by_role("button", name="Add another speaker").click()
    page.locator('[name="speakers-3-name"]').fill("Someone Else")
    assert page.url == url_before
    row(page, "speakers-3-name").get_by_label("Remove").check()

    page.locator('[name="moderators-0-name"]').fill("Samuel Okoro")
    page.locator('[name="moderators-0-affiliation"]').fill("Riverton College")
    page.locator('[name="sponsors-0-name"]').fill("The Lantern Project")
    page.locator('[name="sponsors-1-name"]').fill(
        "Programme on Conflict and Cooperation"
    )
    page.get_by_label("Categories").fill("Diplomacy")
    # Audiences and units: tick existing names, add new ones one a line.
    open_to = page.get_by_role("group", name="Open to")
    open_to.get_by_role("checkbox", name="Students, Prospective").check()
    open_to.get_by_label("Add new audience").fill(
        "Parents and Families\n"
        "Students, Graduate and Professional\n"
        "Students, Undergraduate"
    )
    units = page.get_by_role("group", name="Organising units")
    units.get_by_role("checkbox", name="East Asia Programme").check()
    units.get_by_label("Add new unit").fill("Institute for Global Dialogue")
    page.get_by_label("Contact name").fill("Priya Nandakumar")
    page.get_by_label("Contact email").fill("priya@example.org")
    page.get_by_label("Featured image").set_input_files(
        files=[{"name": "hall.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Alt text").fill("The old lecture hall in winter")
    page.get_by_label("Caption").fill("Lakeside Hall, before the new wing")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Event published.")).to_be_visible()

    visitor = new_page()
    visitor.goto("/events/")
    visitor.get_by_role(
        "link", name="Quiet Channels: Can Unofficial Talks Help?"
    ).click()
    expect(visitor).to_have_url(re.compile(r"/events/quiet-channels-[a-z-]+/$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Quiet Channels: Can Unofficial Talks Help?"
    )
    expect(visitor.get_by_role("link", name="Skip to content")).to_be_attached()
    expect(visitor.get_by_role("link", name="Google Calendar")).to_have_attribute(
        "href", re.compile(r"dates=20310313T200000Z%2F20310313T213000Z")
    )
    expect(
        visitor.get_by_role("img", name="The old lecture hall in winter")
    ).to_be_visible()
    audiences = visitor.get_by_role("region", name="Open to").get_by_role("listitem")
    expect(audiences).to_have_text(SEED_AUDIENCES)
    units = visitor.get_by_role("region", name="Organising units")
    expect(units.get_by_role("listitem")).to_have_text(
        ["East Asia Programme", "Institute for Global Dialogue"]
    )
    # The whole page is parsed before its text is read.
    expect(visitor.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    text = visitor.locator("main").inner_text()
    position = 0
    for part in [
        "Quiet Channels: Can Unofficial Talks Help?",
        "Thursday, March 13, 2031, 4:00–5:30 p.m. EDT",
        "Room 341, Lakeside Hall",
        "Add to: Outlook, iCal, Google Calendar",
        "can quiet channels keep a door open?",
        "Speakers",
        "Mira Castellanos",
        "Harbor University",
        "Tomas Eriksen",
        "Aiko Brandt",
        "Moderator",
        "Samuel Okoro",
        "Riverton College",
        "Co-sponsored by",
        "The Lantern Project",
        "Programme on Conflict and Cooperation",
        "Categories",
        "Diplomacy",
        "Open to",
        "Parents and Families",
        "Students, Undergraduate",
        "Organising units",
        "East Asia Programme",
        "Contact",
        "Contact Priya Nandakumar to request accommodations",
        "Lakeside Hall, before the new wing",
        "Leave a Reply",
    ]:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing or out of order"
        position = found + len(part)
    assert "Someone Else" not in text
    visitor.screenshot(path=str(artifacts_dir / "event-page.png"), full_page=True)


def _second_tuesday_of_next_month(today: date) -> date:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    first_tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + timedelta(days=7)


def test_a_weekly_seminar_with_a_skipped_week_is_found_and_added_to_a_calendar(
    browser_page, new_page, make_user
):
    make_user("editor", "ines", display_name="Ines Alvarez")
    start = _second_tuesday_of_next_month(date.today())
    skipped, last = start + timedelta(days=7), start + timedelta(days=14)
    page = browser_page
    page.goto("/login")
    page.get_by_label("Username or Email").fill("ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    page.goto("/dashboard/events/new")
    page.get_by_label("Title").fill("Graduate Seminar in Hydrology")
    page.get_by_label("Starts on").fill(start.isoformat())
    page.get_by_label("Start time").fill("16:00")
    page.get_by_label("End time").fill("17:30")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("Repeats", exact=True).select_option("weekly")
    ends = page.get_by_role("group", name="Ends")
    ends.get_by_label("After a number of times").check()
    page.get_by_label("How many times").fill("3")
    page.locator('[name="changes-0-day"]').fill(skipped.isoformat())
    page.locator('[name="changes-0-change"]').select_option("skipped")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Event published.")).to_be_visible()

    visitor = new_page()
    visitor.goto("/events/")
    visitor.get_by_role("link", name="Month view").click()
    month_name = f"{start:%B} {start.year}"
    visitor.get_by_role("navigation", name="Months").get_by_role(
        "link", name=re.compile(month_name)
    ).click()
    grid = visitor.get_by_role("table", name=month_name)
    seminar = grid.get_by_role("link", name=re.compile("Graduate Seminar"))
    expect(seminar).to_have_count(2)  # the skipped week is not there
    seminar.last.click()
    expect(visitor).to_have_url(
        re.compile(rf"/events/graduate-seminar[a-z-]*/{last}/$")
    )
    expect(visitor.locator(".event-when")).to_contain_text("4:00")

    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="iCal").click()
    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (series,) = [c for c in cal.walk("VEVENT") if "RECURRENCE-ID" not in c]
    rule = series["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [3]
    assert series["DTSTART"].dt.date() == start
    assert series["DTSTART"].dt.hour == 16
    assert series["DTSTART"].params["TZID"] == "America/New_York"
    exdates = [d.dt.date() for d in series["EXDATE"].dts]
    assert exdates == [skipped]
