"""The dashboard's Spam panel: real comments through a local Akismet and the
moderation actions, counted per day and read back on ``/dashboard/``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from lxml import html as lxml_html
from sqlalchemy import select

from blog.comments.spam_stats import note_undo, tally
from blog.extensions import db
from blog.models import Comment, Role, SpamTally, utcnow
from blog.site.settings import save_settings

COLUMNS = ["Checked", "Spam", "Ham", "Missed spam", "False positives"]


def panel(client) -> lxml_html.HtmlElement | None:  # type: ignore[no-untyped-def]
    response = client.get("/dashboard/")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.get_data(as_text=True))
    found = page.xpath('//section[@aria-labelledby="spam-heading"]')
    return found[0] if found else None


def row_of(section, table_class: str, header: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A table's row as {column: text} (the first row, or the one whose row
    header reads ``header``)."""
    [table] = section.xpath(f'.//table[contains(@class, "{table_class}")]')
    names = [th.text_content().strip() for th in table.xpath("./thead//th")]
    for tr in table.xpath("./tbody/tr"):
        cells = [cell.text_content().strip() for cell in tr.xpath("./th|./td")]
        if header is None or cells[0] == header:
            return dict(zip(names, cells, strict=True))
    raise AssertionError(f"no row {header!r} in {table_class}")


def comment_id(app, body: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalars(
            select(Comment.id).where(Comment.body_source == body)
        ).one()


def test_verdicts_and_corrections_are_counted_and_shown(
    app, client, make_user, make_post, post_comment, akismet_server, auth
):
    with app.app_context():
        save_settings({"comments_previously_approved": False})
        db.session.commit()
    post = make_post("Talks")
    verdicts = {
        "spam": ["Cheap pills one", "Cheap pills two"],
        "discard": ["Blatant junk"],
        "ham": ["A fine point", "Another view", "Good talk"],
        "500": ["Asked while Akismet was down"],  # counts nothing
    }
    for n, (mode, bodies) in enumerate(verdicts.items()):
        akismet_server.mode = mode
        for m, body in enumerate(bodies):
            post_comment(post, body, email=f"r{n}{m}@example.net", name=f"R{n}{m}")
    auth.login(make_user(Role.EDITOR, "ed"))
    missed, wrongly = comment_id(app, "Good talk"), comment_id(app, "Cheap pills two")
    hesitated = comment_id(app, "Blatant junk")
    for address in (
        f"/dashboard/comments/{missed}/spam",  # missed spam
        f"/dashboard/comments/{missed}/not-spam",  # taken back
        f"/dashboard/comments/{missed}/spam",  # counted again: once in all
        f"/dashboard/comments/{wrongly}/not-spam",  # a false positive
        f"/dashboard/comments/{hesitated}/not-spam",  # a false positive...
        f"/dashboard/comments/{hesitated}/spam",  # ... taken back: Akismet was right
    ):
        assert client.post(address).status_code == 302

    section = panel(client)
    assert section is not None
    assert section.xpath("./h2")[0].text_content() == "Spam"
    expected = {
        "Checked": "6",
        "Spam": "3",
        "Ham": "3",
        "Missed spam": "1",
        "False positives": "1",
    }
    # Akismet judged 6 and was overruled twice: 4/6 right.
    assert row_of(section, "spam-totals") == {**expected, "Accuracy": "66.7%"}
    assert "66.7%" in section.xpath('.//p[@class="spam-accuracy"]')[0].text_content()
    today = utcnow().date()
    day_label = f"{today:%B} {today.day}, {today.year}"
    assert row_of(section, "spam-days", day_label) == {"Day": day_label, **expected}
    month_label = f"{today:%B} {today.year}"
    assert row_of(section, "spam-months", month_label) == {
        "Month": month_label,
        **expected,
        "Accuracy": "66.7%",
    }
    # Yesterday: zeros, filled in.
    yesterday = today - timedelta(days=1)
    other = row_of(
        section, "spam-days", f"{yesterday:%B} {yesterday.day}, {yesterday.year}"
    )
    assert [other[name] for name in COLUMNS] == ["0"] * 5
    assert "Spam checking is off" not in section.text_content()

    # The chart: well-formed SVG, labelled by its own title and description.
    page = client.get("/dashboard/").get_data(as_text=True)
    [svg_text] = re.findall(r"<svg[^>]*spam-chart-svg.*?</svg>", page, flags=re.DOTALL)
    svg = ET.fromstring(svg_text)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    ids = {element.get("id"): element for element in svg.iter() if element.get("id")}
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert ids[title_id].tag == f"{ns}title" and ids[desc_id].tag == f"{ns}desc"
    assert ids[desc_id].text == (
        "Last 30 days: 6 checked, 3 spam, 3 ham, 1 missed spam, 1 false positive; "
        "Akismet's accuracy 66.7%"
    )
    assert len(svg.findall(f".//{ns}g[@class='chart-day']")) == 30
    assert len(svg.findall(f".//{ns}rect[@class='bar-spam']")) == 1
    assert len(svg.findall(f".//{ns}circle[@class='marker-missed']")) == 1
    assert len(svg.findall(f".//{ns}polygon[@class='marker-false-positive']")) == 1
    assert "<script" not in svg_text and "http://" not in svg_text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )

    # Undoing the Spam action takes the missed spam back too.
    with app.app_context():
        note_undo(db.session.get_one(Comment, missed), "spam")
        db.session.commit()
    section = panel(client)
    assert section is not None
    totals = row_of(section, "spam-totals")
    assert (totals["Missed spam"], totals["Accuracy"]) == ("0", "83.3%")
    # Undoing the Spam that had taken a false positive back counts it again.
    with app.app_context():
        note_undo(db.session.get_one(Comment, hesitated), "spam")
        db.session.commit()
    section = panel(client)
    assert section is not None
    assert row_of(section, "spam-totals")["False positives"] == "2"


def test_off_history_permissions_and_constant_queries(
    app, client, make_user, auth, count_queries
):
    admin = make_user(Role.ADMIN, "boss")
    auth.login(admin)
    # No Akismet key and no numbers: a line saying so, no chart.
    section = panel(client)
    assert section is not None
    off = section.xpath('.//p[@class="spam-off"]')[0]
    assert "Spam checking is off" in off.text_content()
    assert off.xpath(".//a/@href") == ["/dashboard/settings/discussion/"]
    assert not section.xpath(".//svg") and not section.xpath(".//table")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/dashboard/").status_code == 200
        return counter.count

    now = utcnow()
    with app.app_context():
        tally(SpamTally.CHECKED, now)
        tally(SpamTally.SPAM, now)
        db.session.commit()
    few = queries()
    with app.app_context():
        for days_ago in range(1, 60):
            when = now - timedelta(days=days_ago)
            tally(SpamTally.CHECKED, when, n=days_ago)
            tally(SpamTally.HAM, when, n=days_ago)
            tally(SpamTally.MISSED, when)
        tally(SpamTally.CHECKED, now - timedelta(days=400), n=1000)  # out of range
        db.session.commit()
    assert queries() == few

    section = panel(client)
    assert section is not None
    # Days 1..29 ago are within the 30 days: 1 + (1+...+29) = 436 checked.
    totals = row_of(section, "spam-totals")
    assert totals["Checked"] == "436" and totals["Missed spam"] == "29"
    assert totals["Spam"] == "1" and totals["Ham"] == "435"
    # Still off: numbers from before are shown, with the line.
    assert "Spam checking is off" in section.text_content()
    assert section.xpath(".//svg")
    month_rows = section.xpath('.//table[contains(@class, "spam-months")]/tbody/tr')
    assert len(month_rows) == 12
    month_sum = sum(
        int(tr.xpath("./td")[0].text_content().replace(",", "")) for tr in month_rows
    )
    assert month_sum == 1 + sum(range(1, 60))  # the 400-day-old row left out

    # Authors moderate only their own posts: no site-wide numbers.
    auth.logout()
    auth.login(make_user(Role.AUTHOR, "writer"))
    assert panel(client) is None
