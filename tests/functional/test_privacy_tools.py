"""Tools → Export Personal Data and Erase Personal Data, through the real
pages and a real SMTP server: the request, the person's confirmation by the
mailed link (a fresh client, no session), the export's zip, the erasure,
the log; and the purge job forgetting commenters' IP addresses."""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import zipfile
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
from sqlalchemy import select

from blog.accounts.tokens import token_hash
from blog.extensions import db
from blog.mail import MailConfig, outbox
from blog.models import (
    Comment,
    CommentLogEntry,
    CommentSubscription,
    OutboxMessage,
    PrivacyLogEntry,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
    Role,
    SpamCheck,
    SubscriptionScope,
    SubscriptionStatus,
    utcnow,
)
from blog.privacy.erase import REMOVED_TEXT
from blog.site.settings import save_settings
from tests.fixtures_comments import url_of

SCREEN = "/dashboard/tools/privacy/"


@pytest.fixture
def admin(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN, "boss")
    auth.login(user)
    return user


def deliver(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        outbox.deliver_outbox(MailConfig.from_config(app.config))


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link_in(message: Message, action: str) -> str:
    found = re.findall(
        rf"http://localhost(/privacy/requests/\S+/{action})", body(message)
    )
    assert len(found) == 1, body(message)
    return str(found[0])


def subscribe(app, post, email: str, status=SubscriptionStatus.ACTIVE) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        row = CommentSubscription(
            post_id=post.id,
            email=email,
            scope=SubscriptionScope.ALL,
            status=status,
            token=secrets.token_urlsafe(32),
            confirmed_at=utcnow(),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def confirmed_request(app, email: str, kind: PrivacyRequestKind) -> int:  # type: ignore[no-untyped-def]
    """A request the person has confirmed (as the mailed link does)."""
    with app.app_context():
        request = PrivacyRequest(
            email=email,
            kind=kind,
            status=PrivacyRequestStatus.CONFIRMED,
            token_hash=token_hash(secrets.token_urlsafe(32)),
            expires_at=utcnow() + timedelta(days=7),
            confirmed_at=utcnow(),
        )
        db.session.add(request)
        db.session.commit()
        return request.id


def log_of(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (entry.action, entry.actor_name, entry.email)
            for entry in db.session.scalars(
                select(PrivacyLogEntry).order_by(PrivacyLogEntry.id)
            )
        ]


def test_export_confirmed_by_the_person_and_downloaded(
    app, client, admin, make_post, make_comment, post_comment, approving, smtp_server
):
    garden, bees = make_post("Garden notes"), make_post("On bees")
    post_comment(
        garden,
        "Lovely <roses> & tulips.",
        name="Ada",
        email="Ada@Example.net",
        ip="198.51.100.44",
        user_agent="AdaBrowser/7.1",
        client=app.test_client(),  # a reader, not the logged-in admin
    )
    mine = make_comment(
        bees,
        "Bees are busy.",
        name="Ada L.",
        email="ada@example.net",
        author_ip="198.51.100.45",
        author_url="https://ada.example",
    )
    make_comment(garden, "Someone else's words.", email="bob@example.net")
    subscribe(app, garden, "ADA@example.net")

    response = client.post(SCREEN, data={"email": "ada@example.net", "kind": "export"})
    assert response.status_code == 302
    screen = client.get(SCREEN).get_data(as_text=True)
    assert "ada@example.net has been emailed a link to confirm it" in screen
    assert "Pending" in screen and "Resend confirmation" in screen
    again = client.post(SCREEN, data={"email": "ADA@example.net", "kind": "export"})
    assert "is already open" in again.get_data(as_text=True)  # one at a time

    deliver(app)
    [mail] = smtp_server.messages
    assert mail["To"] == "ada@example.net"
    assert "Confirm the request to export your personal data" in mail["Subject"]
    assert "nothing changes" in body(mail)
    link = link_in(mail, "confirm")
    with app.app_context():  # only the hash is kept
        assert link.split("/")[3] not in db.session.scalar(
            select(PrivacyRequest.token_hash)
        )

    person = app.test_client()  # their own browser: no session
    page = person.get(link)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert "Set-Cookie" not in page.headers
    assert ">Confirm</button>" in page.get_data(as_text=True)
    with app.app_context():  # opening the link (a mail scanner) confirms nothing
        assert db.session.scalar(select(PrivacyRequest.status)) == "pending"

    confirmed = person.post(link)
    assert confirmed.status_code == 303
    download_page = person.get(confirmed.headers["Location"])
    assert ">Download</button>" in download_page.get_data(as_text=True)
    zipped = person.post(confirmed.headers["Location"])
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    assert "Set-Cookie" not in zipped.headers
    archive = zipfile.ZipFile(io.BytesIO(zipped.data))
    zipped.close()
    assert sorted(archive.namelist()) == ["index.html", "personal-data.json"]
    data = json.loads(archive.read("personal-data.json"))
    assert data["email"] == "ada@example.net"
    by_text = {comment["text"]: comment for comment in data["comments"]}
    assert sorted(by_text) == ["Bees are busy.", "Lovely <roses> & tulips."]
    first = by_text["Lovely <roses> & tulips."]
    assert first["post"] == {
        "title": "Garden notes",
        "url": f"http://localhost{url_of(garden)}",
    }
    assert first["ip_address"] == "198.51.100.44"
    assert first["user_agent"] == "AdaBrowser/7.1"
    assert first["name"] == "Ada" and first["email"] == "Ada@Example.net"
    assert first["submitted_at"].endswith("+00:00")
    second = by_text["Bees are busy."]
    assert second["id"] == mine.id and second["website"] == "https://ada.example"
    assert second["ip_address"] == "198.51.100.45"
    [subscription] = data["subscriptions"]
    assert subscription["post"]["title"] == "Garden notes"
    assert subscription["scope"] == "all" and subscription["status"] == "active"
    everything = archive.read("personal-data.json").decode()
    assert "bob@example.net" not in everything and "Someone else" not in everything
    html = archive.read("index.html").decode()
    assert "Lovely &lt;roses&gt; &amp; tulips." in html and "AdaBrowser/7.1" in html

    deliver(app)  # the download link, by mail too
    ready = smtp_server.messages[-1]
    assert "Your personal data export is ready" in ready["Subject"]
    assert link_in(ready, "download") == confirmed.headers["Location"]

    # The administrator downloads it too; the screen shows it completed.
    screen = client.get(SCREEN).get_data(as_text=True)
    assert "Completed" in screen and "Email the link again" in screen
    with app.app_context():
        request_id = db.session.scalar(select(PrivacyRequest.id))
    copy = client.post(f"{SCREEN}{request_id}/download")
    assert copy.status_code == 200
    copied = zipfile.ZipFile(io.BytesIO(copy.data)).read("personal-data.json")
    copy.close()
    assert json.loads(copied)["comments"] == data["comments"]
    assert [(action, who) for action, who, _ in log_of(app)] == [
        ("requested", "boss"),
        ("confirmation_sent", "boss"),
        ("confirmed", "the person"),
        ("export_built", "the person"),
        ("export_link_sent", "the person"),
        ("downloaded", "the person"),
        ("downloaded", "boss"),
    ]
    assert "Export downloaded" in client.get(f"{SCREEN}log").get_data(as_text=True)


@pytest.mark.parametrize("removes_text", [False, True])
def test_erase_anonymizes_comments_and_ends_subscriptions(
    app, client, admin, make_user, make_post, make_comment, removes_text
):
    with app.app_context():
        save_settings({"privacy_erase_removes_text": removes_text})
        db.session.commit()
    post = make_post("Garden notes")
    first = make_comment(
        post,
        "Same words.",
        name="Ada Lovelace",
        email="Ada@example.net",
        author_url="https://ada.example",
        submitted={"user_ip": "198.51.100.44", "comment_author": "Ada Lovelace"},
    )
    second = make_comment(
        post, "Other words.", name="Ada Lovelace", email="ada@EXAMPLE.net"
    )
    pending = make_comment(
        post,
        "Waiting.",
        status="pending",
        name="Ada Lovelace",
        email="ada@example.net",
        spam_check=SpamCheck.UNCHECKED,
    )
    other = make_comment(post, "Not hers.", name="Bob", email="bob@example.net")
    staff = make_user(Role.AUTHOR, "ada", email="ada@example.net")
    own = make_comment(
        post, "As staff.", name="Ada", email="ada@example.net", user_id=staff.id
    )
    subscribe(app, post, "ada@example.net")
    with app.app_context():
        outbox.enqueue(to=["ada@example.net"], subject="Follow-up", body="Hi")
        outbox.enqueue(to=["mods@example.org"], subject="Other", body="Unrelated")
        db.session.commit()
    # An export made earlier: the erasure leaves no copy of what it erased.
    export_id = confirmed_request(app, "ada@example.net", PrivacyRequestKind.EXPORT)
    with client.post(f"{SCREEN}{export_id}/download") as download:
        assert download.status_code == 200
    with app.app_context():
        exported = db.session.get(PrivacyRequest, export_id).export_file
    assert exported and (Path(app.instance_path) / exported).is_file()
    request_id = confirmed_request(app, "ada@example.net", PrivacyRequestKind.ERASE)
    reader = app.test_client(use_cookies=False)  # served from the page cache
    assert "Ada Lovelace" in reader.get(url_of(post)).get_data(as_text=True)
    assert "Ada Lovelace" in reader.get(url_of(post)).get_data(as_text=True)

    page = client.get(f"{SCREEN}{request_id}/erase").get_data(as_text=True)
    assert "3 comments written with this address" in page
    assert "1 follow-up subscription will end" in page
    assert "1 comment by a staff account" in page
    response = client.post(f"{SCREEN}{request_id}/erase", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "3 comments anonymized, 1 subscription ended" in text

    article = reader.get(url_of(post)).get_data(as_text=True)
    assert "Ada Lovelace" not in article and "Anonymous" in article
    with app.app_context():
        rows = {c.id: c for c in db.session.scalars(select(Comment))}
        for erased in (first, second, pending):
            comment = rows[erased.id]
            assert comment.author_name == "Anonymous"
            assert (comment.author_email, comment.author_url) == ("", "")
            assert (comment.author_ip, comment.author_user_agent) == ("", "")
            assert comment.submitted == {}
            assert comment.body_source == (
                REMOVED_TEXT if removes_text else erased.body_source
            )
        assert rows[first.id].content_hash != rows[second.id].content_hash
        assert rows[pending.id].spam_check == SpamCheck.ERROR  # not rechecked
        if removes_text:
            assert "removed at its author" in rows[first.id].body_html
        assert rows[other.id].author_name == "Bob"
        assert rows[own.id].author_email == "ada@example.net"  # staff: left alone
        history = db.session.scalars(
            select(CommentLogEntry.action).where(CommentLogEntry.comment_id == first.id)
        ).all()
        assert "erased" in history
        subscription = db.session.scalars(select(CommentSubscription)).one()
        assert subscription.status == SubscriptionStatus.ENDED
        assert subscription.ended_at is not None and subscription.email == ""
        assert db.session.scalars(select(OutboxMessage.subject)).all() == ["Other"]
        request = db.session.get(PrivacyRequest, request_id)
        assert request.status == PrivacyRequestStatus.COMPLETED
        assert request.result.startswith("3 comments anonymized, 1 subscription ended")
        assert "1 export deleted" in request.result
        assert db.session.get(PrivacyRequest, export_id).export_file == ""
    assert not (Path(app.instance_path) / exported).exists()
    assert ("erased", "boss", "ada@example.net") in log_of(app)
    # Done once: the button is gone and a second erasure is refused.
    again = client.post(f"{SCREEN}{request_id}/erase", follow_redirects=True)
    assert "carried out already" in again.get_data(as_text=True)
    moderation = client.get("/dashboard/comments/").get_data(as_text=True)
    assert (
        "Boss erased its author&#39;s personal data (a privacy request)" in moderation
    )


def test_links_expire_resend_and_delete(app, client, admin, smtp_server):
    client.post(SCREEN, data={"email": "cy@example.net", "kind": "erase"})
    deliver(app)
    old_link = link_in(smtp_server.messages[-1], "confirm")
    person = app.test_client()
    with app.app_context():
        request = db.session.scalars(select(PrivacyRequest)).one()
        request.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        request_id = request.id
    assert person.get(old_link).status_code == 410
    assert person.post(old_link).status_code == 410
    assert person.get("/privacy/requests/no-such-token/confirm").status_code == 404
    assert "Expired" in client.get(SCREEN).get_data(as_text=True)

    client.post(f"{SCREEN}{request_id}/resend")
    deliver(app)
    new_link = link_in(smtp_server.messages[-1], "confirm")
    assert new_link != old_link
    assert person.get(old_link).status_code == 404  # replaced
    assert person.post(new_link).status_code == 303
    page = person.get(new_link).get_data(as_text=True)
    assert "Thank you: your request is confirmed" in page
    screen = client.get(SCREEN).get_data(as_text=True)
    assert "Erase personal data" in screen and "Confirmed" in screen

    client.post(f"{SCREEN}{request_id}/delete")
    with app.app_context():
        assert db.session.get(PrivacyRequest, request_id) is None
    assert [action for action, _, _ in log_of(app)] == [
        "requested",
        "confirmation_sent",
        "confirmation_resent",
        "confirmed",
        "deleted",
    ]
    assert person.get(new_link).status_code == 404


def test_requests_need_mail_and_an_admin(app, client, make_user, auth):
    admin = make_user(Role.ADMIN, "boss")
    auth.login(admin)
    response = client.post(SCREEN, data={"email": "cy@example.net", "kind": "export"})
    assert "This site cannot send email" in response.get_data(as_text=True)
    bad = client.post(SCREEN, data={"email": "not an address", "kind": "export"})
    assert "Enter a valid email address" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PrivacyRequest.id)) is None
    auth.logout()
    auth.login(make_user(Role.EDITOR, "ed"))
    assert client.get(SCREEN).status_code == 403
    assert client.get(f"{SCREEN}log").status_code == 403


def test_purge_forgets_old_ip_addresses_and_expired_exports(
    app, runner, make_post, make_comment
):
    post = make_post("Talks")
    fields = {
        "submitted": {
            "user_ip": "198.51.100.9",
            "user_agent": "Old/1.0",
            "permalink": "http://localhost/x/",
        }
    }
    old = make_comment(post, "Old.", minutes_ago=61 * 24 * 60, **fields)
    recent = make_comment(post, "Recent.", minutes_ago=59 * 24 * 60, **fields)
    waiting = make_comment(
        post,
        "Waiting for Akismet.",
        status="pending",
        spam_check=SpamCheck.UNCHECKED,
        minutes_ago=61 * 24 * 60,
    )
    export_id = confirmed_request(app, "x@example.net", PrivacyRequestKind.EXPORT)
    exports = app.instance_path + "/privacy-exports"
    with app.app_context():
        request = db.session.get(PrivacyRequest, export_id)
        request.status = PrivacyRequestStatus.COMPLETED
        request.export_file = "privacy-exports/abc.zip"
        request.expires_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    os.makedirs(exports, exist_ok=True)
    with open(f"{exports}/abc.zip", "wb") as file:
        file.write(b"zip")

    result = runner.invoke(args=["comments", "purge"])
    assert result.exit_code == 0, result.output
    assert (
        "Removed the IP address and user agent of 1 comment(s) older than 60 days."
        in (result.output)
    )
    assert "deleted 1 personal data export(s)" in result.output
    assert not os.path.exists(f"{exports}/abc.zip")
    with app.app_context():
        rows = {c.id: c for c in db.session.scalars(select(Comment))}
        assert (rows[old.id].author_ip, rows[old.id].author_user_agent) == ("", "")
        assert rows[old.id].submitted == {"permalink": "http://localhost/x/"}
        assert rows[recent.id].author_ip == recent.author_ip != ""
        assert rows[recent.id].submitted["user_ip"] == "198.51.100.9"
        assert rows[waiting.id].author_ip == waiting.author_ip != ""
        assert db.session.get(PrivacyRequest, export_id).export_file == ""

    with app.app_context():
        save_settings({"comments_ip_retention_days": 0})
        db.session.commit()
    kept = runner.invoke(args=["comments", "purge"])
    assert "Kept commenters' IP addresses and user agents" in kept.output
