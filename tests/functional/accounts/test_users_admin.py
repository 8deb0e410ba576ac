"""The users screen for administrators, through the real pages: the list
(columns, filters, search, a constant number of queries), inviting a user
(a real SMTP server, the mailed link, or the link shown when the site
cannot send mail), editing, deactivating, deleting, the last-admin rule
and the record of changes on the user's page."""

from __future__ import annotations

import html
import logging
import re
import threading
from email.message import Message

import pytest
from sqlalchemy import select

from blog.accounts import tokens
from blog.accounts.directory import UserFilters, user_page
from blog.accounts.lifecycle import deactivate_user, set_role
from blog.accounts.users import AccountError
from blog.errors import PermissionDenied
from blog.extensions import db
from blog.models import (
    AccountEvent,
    Comment,
    Media,
    Post,
    PostStatus,
    Role,
    TokenPurpose,
    User,
    UserSession,
    utcnow,
)
from tests.conftest import PASSWORD
from tests.fixtures_comments import finish_response

NEW_PASSWORD = "a fresh and unusual passphrase"
DEACTIVATED = b"This account is deactivated"


def table_rows(page: str) -> dict[str, str]:
    """The list's rows as text, by username."""
    found = {}
    for row in re.findall(r'<tr class="user-row[^"]*">(.*?)</tr>', page, re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        found[cells[0]] = " | ".join(cells)
    return found


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link_in(text: str) -> str:
    """The path of the one invitation link in ``text`` (it is absolute)."""
    found = re.findall(r"http://localhost(/password/reset/[A-Za-z0-9_-]+)", text)
    assert len(set(found)) == 1, text
    return str(found[0])


def stored(app, user: User) -> User:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.get(User, user.id)
        assert found is not None
        db.session.expunge(found)
        return found


def history(app, user_id: int) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.action, e.actor_name, e.detail)
            for e in db.session.scalars(
                select(AccountEvent)
                .where(AccountEvent.username == db.session.get(User, user_id).username)
                .order_by(AccountEvent.id)
            )
        ]


def make_invited(app, make_user, role: Role, username: str) -> User:  # type: ignore[no-untyped-def]
    """A user invited and not yet signed up (no password)."""
    user = make_user(role, username)
    with app.app_context():
        db.session.get(User, user.id).password_hash = None
        db.session.commit()
    return user


@pytest.fixture
def admin(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN, "boss")
    auth.login("boss")
    return user


# The list ----------------------------------------------------------------


def test_list_shows_every_user_with_their_columns(
    app, client, admin, make_user, make_post
):
    editor = make_user(Role.EDITOR, "ed", display_name="Edith Editor")
    make_post("Out", author=editor)
    make_post("Also out", author=editor)
    make_post("Draft", author=editor, publish=False)
    make_invited(app, make_user, Role.AUTHOR, "newbie")
    make_user(Role.CONTRIBUTOR, "gone", deactivated_at=utcnow())
    with app.app_context():
        db.session.get(User, editor.id).last_login_at = utcnow()
        db.session.commit()
    page = client.get("/dashboard/users/").get_data(as_text=True)
    rows = table_rows(page)
    assert set(rows) == {"boss", "ed", "newbie", "gone"}
    assert rows["ed"].startswith(
        "ed | Edith Editor | ed@example.org | Editor | 2 | "
    )  # drafts are not counted
    assert rows["ed"].endswith("| Active") and "Never" not in rows["ed"]
    assert rows["newbie"].endswith("Author | 0 | Never | Invited")
    assert rows["gone"].endswith("Contributor | 0 | Never | Deactivated")
    assert "<caption>4 users</caption>" in page
    assert 'href="/dashboard/users/new">Add New User</a>' in page


def test_filters_and_search(app, client, admin, make_user):
    make_user(Role.EDITOR, "ed")
    make_user(Role.AUTHOR, "ann_1", display_name="Ann Underscore")
    make_user(Role.AUTHOR, "annx1", display_name="Ann Plain", email="ax@example.net")
    make_invited(app, make_user, Role.AUTHOR, "newbie")

    def names(query: str) -> set[str]:
        response = client.get(f"/dashboard/users/?{query}")
        assert response.status_code == 200
        return set(table_rows(response.get_data(as_text=True)))

    assert names("role=author") == {"ann_1", "annx1", "newbie"}
    assert names("role=admin") == {"boss"}
    assert names("status=invited") == {"newbie"}
    assert names("role=author&status=active") == {"ann_1", "annx1"}
    assert names("q=ANN") == {"ann_1", "annx1"}
    assert names("q=underscore") == {"ann_1"}  # display name
    assert names("q=example.net") == {"annx1"}  # email
    assert names("q=ann_") == {"ann_1"}  # "_" is literal, not any character
    assert names("q=%25") == set()  # so is "%"
    # Unknown filters mean all; they never fail.
    assert len(names("role=king&status=%00")) == 5
    assert client.get("/dashboard/users/?page=abc").status_code == 404
    assert client.get("/dashboard/users/?page=99999999999999").status_code == 404
    assert len(names("page=7")) == 5  # past the end: the last page


def test_pages_keep_the_filters(client, admin, make_user):
    for n in range(23):
        make_user(Role.AUTHOR, f"writer{n:02d}")
    first = client.get("/dashboard/users/?role=author").get_data(as_text=True)
    assert len(table_rows(first)) == 20 and "<caption>23 users found" in first
    assert 'href="/dashboard/users/?role=author&amp;page=2"' in first
    second = client.get("/dashboard/users/?role=author&page=2").get_data(as_text=True)
    assert set(table_rows(second)) == {"writer20", "writer21", "writer22"}


def test_the_list_costs_the_same_queries_for_many_users(
    client, admin, make_user, make_post, count_queries
):
    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/dashboard/users/").status_code == 200
        return counter.count

    author = make_user(Role.AUTHOR, "first")
    make_post("One", author=author)
    few = queries()
    for n in range(15):
        user = make_user(Role.AUTHOR, f"more{n}")
        make_post(f"Post {n}", author=user)
    assert queries() == few


def test_the_services_refuse_non_admins(app, make_user):
    editor = make_user(Role.EDITOR, "ed")
    other = make_user(Role.AUTHOR, "au")
    with app.app_context():
        actor = db.session.get(User, editor.id)
        with pytest.raises(PermissionDenied):
            user_page(actor, UserFilters())
        with pytest.raises(PermissionDenied):
            deactivate_user(db.session.get(User, other.id), actor=actor)
        assert db.session.get(User, other.id).deactivated_at is None


# Inviting ----------------------------------------------------------------

NEWBIE = {
    "username": "newbie",
    "email": "newbie@example.org",
    "display_name": "New Person",
    "role": "author",
}


def test_add_user_mails_an_invitation_whose_link_sets_the_password(
    app, client, admin, smtp_server
):
    page = client.get("/dashboard/users/new").get_data(as_text=True)
    for label in ("Username", "Email", "Display name", "Role"):
        assert f">{label}</label>" in page
    assert "<h1>Add New User</h1>" in page and ">Add New User</button>" in page
    response = client.post("/dashboard/users/new", data=NEWBIE)
    assert response.status_code == 302
    finish_response(app, response)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "newbie"))
        assert user.password_hash is None and user.status == "invited"
        assert user.role == Role.AUTHOR and user.display_name == "New Person"
    [mail] = smtp_server.messages
    assert mail["To"] == "newbie@example.org"
    text = body(mail)
    assert "Boss has invited you" in text and '"newbie"' in text
    assert "7 days" in text
    link = link_in(text)
    with app.app_context():  # the link holds a valid invitation token
        token = link.rsplit("/", 1)[1]
        assert tokens.find_token(token, [TokenPurpose.INVITATION]) is not None
    assert [a for a, _, _ in history(app, user.id)] == ["created", "invited"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "An invitation was emailed to newbie@example.org" in page
    assert "Resend invitation" in page

    invitee = app.test_client()
    assert invitee.get(link).status_code == 200
    chosen = invitee.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert chosen.status_code == 302
    assert stored(app, user).status == "active"
    assert (
        invitee.post("/login", data={"login": "newbie", "password": NEW_PASSWORD})
    ).status_code == 302
    again = app.test_client().post(
        link, data={"password": "x" * 20, "confirm": "x" * 20}
    )
    assert again.status_code != 302  # used once


def test_add_user_refuses_bad_or_taken_input_keeping_it(client, admin, make_user):
    make_user(Role.EDITOR, "taken", email="taken@example.org")
    response = client.post(
        "/dashboard/users/new", data={**NEWBIE, "email": "TAKEN@example.org"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "That email is already taken." in page
    assert 'value="New Person"' in page and 'value="newbie"' in page
    page = client.post(
        "/dashboard/users/new", data={**NEWBIE, "username": "Taken"}
    ).get_data(as_text=True)
    assert "That username is already taken." in page
    page = client.post(
        "/dashboard/users/new", data={**NEWBIE, "username": "two words"}
    ).get_data(as_text=True)
    assert "without spaces" in page
    page = client.post(
        "/dashboard/users/new", data={**NEWBIE, "role": "king"}
    ).get_data(as_text=True)
    assert "Not a valid choice" in page


def test_resend_voids_the_old_link(app, client, admin, smtp_server):
    finish_response(app, client.post("/dashboard/users/new", data=NEWBIE))
    first = link_in(body(smtp_server.messages[0]))
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "newbie"))
    response = client.post(f"/dashboard/users/{user_id}/resend-invitation")
    assert response.status_code == 302
    finish_response(app, response)
    second = link_in(body(smtp_server.messages[1]))
    assert second != first
    stale = app.test_client().post(
        first, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert stale.status_code != 302
    fresh = app.test_client().post(
        second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert fresh.status_code == 302
    assert [a for a, _, _ in history(app, user_id)][-2:] == [
        "invitation_resent",
        "password_set",
    ]
    # Once a password is chosen, there is nothing to resend.
    client.post(f"/dashboard/users/{user_id}/resend-invitation")
    page = client.get(f"/dashboard/users/{user_id}/edit").get_data(as_text=True)
    assert "has already chosen a password" in page


def test_without_mail_the_link_is_shown_once_and_never_logged(
    app, client, admin, caplog
):
    caplog.set_level(logging.DEBUG)
    response = client.post("/dashboard/users/new", data=NEWBIE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "This site cannot send email" in page and "privately" in page
    link = link_in(page)
    token = link.rsplit("/", 1)[1]
    assert token not in caplog.text
    with app.app_context():
        assert tokens.find_token(token, [TokenPurpose.INVITATION]) is not None
        user_id = db.session.scalar(select(User.id).where(User.username == "newbie"))
    assert token not in client.get(f"/dashboard/users/{user_id}/edit").get_data(
        as_text=True
    )
    assert (
        history(app, user_id)[-1][2] == "valid 7 days, link shown to the administrator"
    )
    chosen = app.test_client().post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert chosen.status_code == 302


# Editing -----------------------------------------------------------------


def test_edit_changes_profile_email_and_role_and_records_them(
    app, client, admin, make_user, make_post
):
    ed = make_user(Role.EDITOR, "ed", display_name="Ed")
    make_post("Beans", author=ed)  # so that ed has an author page
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    assert 'value="ed@example.org"' in page and "<h1>Edit User ed</h1>" in page
    response = client.post(
        f"/dashboard/users/{ed.id}/edit",
        data={
            "display_name": "Edward Writer",
            "email": "edward@example.org",
            "role": "author",
            "bio": "I *grow* beans.<script>alert(1)</script>",
            "website": "https://beans.example.org/",
        },
    )
    assert response.status_code == 302
    user = stored(app, ed)
    assert (user.display_name, user.email, user.role) == (
        "Edward Writer",
        "edward@example.org",
        Role.AUTHOR,
    )
    assert "<em>grow</em>" in user.bio_html and "<script" not in user.bio_html
    author_page = client.get("/author/ed/").get_data(as_text=True)
    assert "<em>grow</em>" in author_page and "<script>alert" not in author_page
    events = history(app, ed.id)
    assert ("role_changed", "boss", "editor → author") in events
    assert ("email_changed", "boss", "ed@example.org → edward@example.org") in events
    assert ("profile_updated", "boss", "display name, bio, website") in events
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    history_table = page.split("History</h2>", 1)[1]
    assert history_table.index("Role changed") < history_table.index(
        "Profile updated"
    )  # newest first (recorded in one change: the latest id first)
    assert "editor → author" in history_table and "<bdi>boss</bdi>" in history_table


def test_edit_refuses_a_taken_email_next_to_the_field(client, admin, make_user):
    ed = make_user(Role.EDITOR, "ed")
    response = client.post(
        f"/dashboard/users/{ed.id}/edit",
        data={
            "display_name": "Still Ed",
            "email": "BOSS@example.org",
            "role": "editor",
            "bio": "",
            "website": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error">That email is already taken.' in page
    assert 'value="Still Ed"' in page


# Deactivating, reactivating, two-factor ------------------------------------


def test_deactivate_ends_sessions_and_blocks_login_then_reactivate(
    app, client, admin, make_user, make_post
):
    ed = make_user(Role.EDITOR, "ed", display_name="Edith")
    post = make_post("Still here", author=ed)
    theirs = app.test_client()
    theirs.post("/login", data={"login": "ed", "password": PASSWORD})
    assert theirs.get("/dashboard/").status_code == 200
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    assert ">Deactivate</button>" in page
    assert client.post(f"/dashboard/users/{ed.id}/deactivate").status_code == 302
    assert stored(app, ed).status == "deactivated"
    with app.app_context():
        left = select(UserSession).where(UserSession.user_id == ed.id)
        assert db.session.scalar(left) is None
    assert theirs.get("/dashboard/").status_code == 302  # logged out
    login = app.test_client().post("/login", data={"login": "ed", "password": PASSWORD})
    assert DEACTIVATED in login.data
    with app.app_context():  # their post stays published under their name
        kept = db.session.get(Post, post.id)
        assert kept.status == PostStatus.PUBLISHED and kept.author_id == ed.id
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    assert ">Reactivate</button>" in page and ">Deactivate</button>" not in page

    assert client.post(f"/dashboard/users/{ed.id}/reactivate").status_code == 302
    assert stored(app, ed).status == "active"
    again = app.test_client().post("/login", data={"login": "ed", "password": PASSWORD})
    assert again.status_code == 302
    assert [a for a, _, _ in history(app, ed.id)] == ["deactivated", "reactivated"]


def test_deactivating_voids_invitation_links(app, client, admin):
    response = client.post("/dashboard/users/new", data=NEWBIE)
    link = link_in(response.get_data(as_text=True))
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "newbie"))
    client.post(f"/dashboard/users/{user_id}/deactivate")
    with app.app_context():
        token = link.rsplit("/", 1)[1]
        assert tokens.find_token(token, [TokenPurpose.INVITATION]) is None


def test_reset_two_factor(app, client, admin, make_user):
    ed = make_user(Role.EDITOR, "ed", totp_secret="JBSWY3DPEHPK3PXP")
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    assert ">Reset two-factor login</button>" in page
    client.post(f"/dashboard/users/{ed.id}/reset-two-factor")
    assert stored(app, ed).totp_secret is None
    assert history(app, ed.id)[-1][:2] == ("two_factor_reset", "boss")
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    assert ">Reset two-factor login</button>" not in page


def test_admins_cannot_deactivate_or_delete_themselves(app, client, admin, make_user):
    make_user(Role.ADMIN, "other-admin")
    page = client.get(f"/dashboard/users/{admin.id}/edit").get_data(as_text=True)
    assert "You cannot deactivate or delete your own account." in page
    assert ">Deactivate</button>" not in page
    client.post(f"/dashboard/users/{admin.id}/deactivate")
    assert stored(app, admin).status == "active"
    page = client.get(f"/dashboard/users/{admin.id}/edit").get_data(as_text=True)
    assert "You cannot deactivate your own account." in page
    response = client.post(
        f"/dashboard/users/{admin.id}/delete", data={"fate": "trash"}
    )
    assert response.status_code == 200 and stored(app, admin) is not None


# The last active administrator ---------------------------------------------


def test_the_only_admin_cannot_be_demoted(app, client, admin, make_user):
    page = client.get(f"/dashboard/users/{admin.id}/edit").get_data(as_text=True)
    assert "only active administrator" in page
    response = client.post(
        f"/dashboard/users/{admin.id}/edit",
        data={
            "display_name": "Boss",
            "email": "boss@example.org",
            "role": "editor",
            "bio": "",
            "website": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = page.split('id="role-error">', 1)[1].split("</p>", 1)[0]
    assert error.startswith("boss is the site") and "only active administrator" in error
    assert stored(app, admin).role == Role.ADMIN
    page = client.get(f"/dashboard/users/{admin.id}/delete").get_data(as_text=True)
    assert "You cannot delete your own account." in page
    # An invited admin (no password yet) does not count.
    make_invited(app, make_user, Role.ADMIN, "invited-admin")
    client.post(
        f"/dashboard/users/{admin.id}/edit",
        data={"display_name": "Boss", "email": "boss@example.org", "role": "editor"},
    )
    assert stored(app, admin).role == Role.ADMIN


def test_with_two_admins_one_may_be_demoted_deactivated_or_deleted(
    app, client, admin, make_user
):
    second = make_user(Role.ADMIN, "second")
    data = {
        "display_name": "Second",
        "email": "second@example.org",
        "role": "editor",
        "bio": "",
        "website": "",
    }
    assert (
        client.post(f"/dashboard/users/{second.id}/edit", data=data).status_code == 302
    )
    assert stored(app, second).role == Role.EDITOR
    client.post(f"/dashboard/users/{second.id}/edit", data={**data, "role": "admin"})
    client.post(f"/dashboard/users/{second.id}/deactivate")
    assert stored(app, second).status == "deactivated"
    # Now boss is the only active admin: demoting themselves is refused.
    page = client.post(
        f"/dashboard/users/{admin.id}/edit",
        data={**data, "display_name": "Boss", "email": "boss@example.org"},
    ).get_data(as_text=True)
    assert "only active administrator" in page
    client.post(f"/dashboard/users/{second.id}/reactivate")
    response = client.post(
        f"/dashboard/users/{second.id}/delete", data={"fate": "trash"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, second.id) is None


# Deleting ----------------------------------------------------------------


def test_delete_attributes_posts_to_another_user(
    app, client, admin, make_user, make_post, make_comment
):
    ed = make_user(Role.EDITOR, "ed", display_name="Edith")
    heir = make_user(Role.AUTHOR, "heir")
    make_user(Role.AUTHOR, "gone", deactivated_at=utcnow())
    post = make_post("Edith's post", author=ed)
    draft = make_post("Edith's draft", author=ed, publish=False)
    comment = make_comment(post)
    with app.app_context():
        db.session.get(Comment, comment.id).user_id = ed.id
        upload = Media(filename="edith.png", mimetype="image/png", width=1, height=1)
        upload.uploaded_by_id = ed.id
        db.session.add(upload)
        db.session.commit()
        upload_id = upload.id
    page = client.get(f"/dashboard/users/{ed.id}/delete").get_data(as_text=True)
    assert (
        "Attribute all content to:" in page and "Move their posts to the trash" in page
    )
    assert "Heir (heir)" in page and "gone" not in page  # active users only
    assert "under your name" in page
    refused = client.post(
        f"/dashboard/users/{ed.id}/delete",
        data={"fate": "reassign", "reassign_to": str(ed.id)},
    )
    assert "Choose another, active user." in refused.get_data(as_text=True)
    response = client.post(
        f"/dashboard/users/{ed.id}/delete",
        data={"fate": "reassign", "reassign_to": str(heir.id)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, ed.id) is None
        for post_id in (post.id, draft.id):
            assert db.session.get(Post, post_id).author_id == heir.id
        assert db.session.get(Post, post.id).status == PostStatus.PUBLISHED
        kept = db.session.get(Comment, comment.id)
        assert kept.user_id is None and kept.author_name == comment.author_name
        assert db.session.get(Media, upload_id).uploaded_by_id is None
        record = db.session.scalar(
            select(AccountEvent).where(AccountEvent.action == "deleted")
        )
        assert (record.username, record.actor_name, record.user_id) == (
            "ed",
            "boss",
            None,
        )
        assert record.detail == "2 posts attributed to heir"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Deleted ed: 2 posts attributed to heir." in page


def test_delete_moves_posts_to_the_trash_under_the_admin(
    app, client, admin, make_user, make_post, make_event
):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post("Going", author=ed)
    event = make_event("Also going", author=ed)
    response = client.post(f"/dashboard/users/{ed.id}/delete", data={"fate": "trash"})
    assert response.status_code == 302
    with app.app_context():
        for post_id in (post.id, event.id):
            trashed = db.session.get(Post, post_id)
            assert trashed.status == PostStatus.TRASH
            assert trashed.author_id == admin.id
    restored = client.post(f"/dashboard/posts/{post.id}/restore")
    assert restored.status_code == 302


def test_buttons_need_the_csrf_token(app, client, admin, make_user):
    ed = make_user(Role.EDITOR, "ed")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/dashboard/users/{ed.id}/edit").get_data(as_text=True)
    forged = client.post(f"/dashboard/users/{ed.id}/deactivate")
    assert forged.status_code == 400 and stored(app, ed).status == "active"
    action = f'action="/dashboard/users/{ed.id}/deactivate"'
    form = page.split(action, 1)[1]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token is not None
    done = client.post(
        f"/dashboard/users/{ed.id}/deactivate", data={"csrf_token": token.group(1)}
    )
    assert done.status_code == 302 and stored(app, ed).status == "deactivated"


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, make_user):
    """The active admins' rows are locked before counting, so of two
    concurrent demotions only one can succeed."""
    first, second = make_user(Role.ADMIN, "first"), make_user(Role.ADMIN, "second")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def demote(target_id: int, name: str) -> None:
        with app.app_context():
            target = db.session.get(User, target_id)
            db.session.commit()  # end the read: the race starts at the lock
            barrier.wait()
            try:
                set_role(target, Role.EDITOR, actor=None)
                outcomes[name] = "demoted"
            except AccountError:
                outcomes[name] = "refused"
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=demote, args=(first.id, "first")),
        threading.Thread(target=demote, args=(second.id, "second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()) == ["demoted", "refused"]
    with app.app_context():
        admins = db.session.scalars(select(User.username).where(User.role == "admin"))
        assert len(list(admins)) == 1
