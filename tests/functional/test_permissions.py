"""Every dashboard route against every role: a new route must join the matrix.

The matrix says which roles may reach each route. Contributors and authors
may open the posts area (their own posts); editors also manage terms;
admins also change settings. Anonymous visitors are sent to log in.
"""

from __future__ import annotations

import io
import re

import pytest

from blog.models import Role, User
from tests.conftest import Auth

#: What it checks cannot differ between SQLite and PostgreSQL.
pytestmark = pytest.mark.engine_independent

ROLES = ["contributor", "author", "editor", "admin"]
EVERYONE = set(ROLES)
EDITORS = {"editor", "admin"}
ADMINS = {"admin"}
MODERATORS = {"author", "editor", "admin"}

#: endpoint -> (method, path template, roles allowed)
MATRIX: dict[str, tuple[str, str, set[str]]] = {
    "dashboard.home": ("GET", "/dashboard/", EVERYONE),
    # Quick Draft: anyone may write a draft of their own.
    "dashboard.quick_draft": ("POST", "/dashboard/quick-draft", EVERYONE),
    "dashboard.posts.index": ("GET", "/dashboard/posts/", EVERYONE),
    "dashboard.posts.new": ("GET", "/dashboard/posts/new", EVERYONE),
    "dashboard.posts.edit": ("GET", "/dashboard/posts/{post}/edit", EDITORS),
    "dashboard.posts.trash": ("POST", "/dashboard/posts/{post}/trash", EDITORS),
    "dashboard.posts.restore": ("POST", "/dashboard/posts/{post}/restore", EDITORS),
    "dashboard.posts.delete": ("POST", "/dashboard/posts/{post}/delete", EDITORS),
    # Revisions and autosaves: whoever may edit the post (here someone else's).
    "dashboard.posts.revisions": ("GET", "/dashboard/posts/{post}/revisions/", EDITORS),
    "dashboard.posts.restore_revision": (
        "POST",
        "/dashboard/posts/{post}/revisions/{post_revision}/restore",
        EDITORS,
    ),
    "dashboard.posts.autosave": ("POST", "/dashboard/posts/{post}/autosave", EDITORS),
    "dashboard.posts.dismiss_autosave": (
        "POST",
        "/dashboard/posts/{post}/autosave/dismiss",
        EDITORS,
    ),
    "dashboard.terms.index": ("GET", "/dashboard/terms/category/", EDITORS),
    "dashboard.terms.edit": ("GET", "/dashboard/terms/category/{term}/edit", EDITORS),
    "dashboard.terms.delete": (
        "POST",
        "/dashboard/terms/category/{term}/delete",
        EDITORS,
    ),
    "dashboard.settings.general": ("GET", "/dashboard/settings/", ADMINS),
    "dashboard.settings.reading": ("GET", "/dashboard/settings/reading/", ADMINS),
    "dashboard.events.index": ("GET", "/dashboard/events/", EVERYONE),
    "dashboard.events.new": ("GET", "/dashboard/events/new", EVERYONE),
    "dashboard.events.edit": ("GET", "/dashboard/events/{event}/edit", EDITORS),
    "dashboard.events.trash": ("POST", "/dashboard/events/{event}/trash", EDITORS),
    "dashboard.events.restore": (
        "POST",
        "/dashboard/events/{event}/restore",
        EDITORS,
    ),
    "dashboard.events.delete": ("POST", "/dashboard/events/{event}/delete", EDITORS),
    "dashboard.events.revisions": (
        "GET",
        "/dashboard/events/{event}/revisions/",
        EDITORS,
    ),
    "dashboard.events.restore_revision": (
        "POST",
        "/dashboard/events/{event}/revisions/{event_revision}/restore",
        EDITORS,
    ),
    "dashboard.events.autosave": (
        "POST",
        "/dashboard/events/{event}/autosave",
        EDITORS,
    ),
    "dashboard.events.dismiss_autosave": (
        "POST",
        "/dashboard/events/{event}/autosave/dismiss",
        EDITORS,
    ),
    "dashboard.promo.edit": ("GET", "/dashboard/settings/promo/", ADMINS),
    # Comments: editors and admins moderate all; authors only on their own
    # posts (the comment here is on someone else's post).
    "dashboard.comments.index": ("GET", "/dashboard/comments/", MODERATORS),
    "dashboard.comments.act": (
        "POST",
        "/dashboard/comments/{comment}/approve",
        EDITORS,
    ),
    "dashboard.comments.bulk": ("POST", "/dashboard/comments/bulk", MODERATORS),
    "dashboard.comments.edit": ("GET", "/dashboard/comments/{comment}/edit", EDITORS),
    "dashboard.comments.reply": (
        "GET",
        "/dashboard/comments/{comment}/reply",
        EDITORS,
    ),
    # Rechecking is site-wide: not for authors, who moderate their own posts.
    "dashboard.comments.recheck": ("POST", "/dashboard/comments/recheck", EDITORS),
    # Undo checks its signed token after the role: a moderator gets the list back.
    "dashboard.comments.undo_action": ("POST", "/dashboard/comments/undo", MODERATORS),
    "dashboard.discussion.edit_discussion": (
        "GET",
        "/dashboard/settings/discussion/",
        ADMINS,
    ),
    "dashboard.discussion.verify_key": (
        "POST",
        "/dashboard/settings/discussion/verify-key",
        ADMINS,
    ),
    # Accounts: everyone has a profile; only admins manage other people.
    "dashboard.profile.edit": ("GET", "/dashboard/profile/", EVERYONE),
    "dashboard.profile.change_password": (
        "POST",
        "/dashboard/profile/password",
        EVERYONE,
    ),
    "dashboard.profile.cancel_email": (
        "POST",
        "/dashboard/profile/email/cancel",
        EVERYONE,
    ),
    "dashboard.profile.confirm_email": (
        "GET",
        "/dashboard/profile/email/not-a-token",
        EVERYONE,
    ),
    "dashboard.profile.end_session": (
        "POST",
        "/dashboard/profile/sessions/999999/end",
        EVERYONE,
    ),
    "dashboard.profile.end_other_sessions": (
        "POST",
        "/dashboard/profile/sessions/end-others",
        EVERYONE,
    ),
    "dashboard.profile.two_factor": ("GET", "/dashboard/profile/two-factor/", EVERYONE),
    "dashboard.profile.two_factor_qr": (
        "GET",
        "/dashboard/profile/two-factor/qr.svg",
        EVERYONE,
    ),
    "dashboard.profile.enable_two_factor": (
        "POST",
        "/dashboard/profile/two-factor/enable",
        EVERYONE,
    ),
    "dashboard.profile.renew_recovery_codes": (
        "POST",
        "/dashboard/profile/two-factor/recovery-codes",
        EVERYONE,
    ),
    "dashboard.profile.disable_two_factor": (
        "POST",
        "/dashboard/profile/two-factor/disable",
        EVERYONE,
    ),
    "dashboard.users.index": ("GET", "/dashboard/users/", ADMINS),
    "dashboard.users.new": ("GET", "/dashboard/users/new", ADMINS),
    "dashboard.users.edit": ("GET", "/dashboard/users/{user}/edit", ADMINS),
    "dashboard.users.deactivate": (
        "POST",
        "/dashboard/users/{user}/deactivate",
        ADMINS,
    ),
    "dashboard.users.reactivate": (
        "POST",
        "/dashboard/users/{user}/reactivate",
        ADMINS,
    ),
    "dashboard.users.reset_two_factor": (
        "POST",
        "/dashboard/users/{user}/reset-two-factor",
        ADMINS,
    ),
    "dashboard.users.resend": (
        "POST",
        "/dashboard/users/{user}/resend-invitation",
        ADMINS,
    ),
    "dashboard.users.delete": ("GET", "/dashboard/users/{user}/delete", ADMINS),
    # Media library: all staff browse it; contributors may not upload; authors
    # change only their own uploads (this one is someone else's).
    "dashboard.media.index": ("GET", "/dashboard/media/", EVERYONE),
    "dashboard.media.choose": ("GET", "/dashboard/media/choose.json", EVERYONE),
    "dashboard.media.upload": ("POST", "/dashboard/media/upload", MODERATORS),
    "dashboard.media.item": ("GET", "/dashboard/media/{media}/", EVERYONE),
    "dashboard.media.delete": ("POST", "/dashboard/media/{media}/delete", EDITORS),
    "dashboard.tools.index": ("GET", "/dashboard/tools/", ADMINS),
    "dashboard.tools.redirects.index": ("GET", "/dashboard/tools/redirects/", ADMINS),
    "dashboard.tools.redirects.edit": (
        "GET",
        "/dashboard/tools/redirects/{redirect}/edit",
        ADMINS,
    ),
    "dashboard.tools.redirects.delete": (
        "POST",
        "/dashboard/tools/redirects/{redirect}/delete",
        ADMINS,
    ),
    "dashboard.tools.importing.index": ("GET", "/dashboard/tools/import/", ADMINS),
    "dashboard.tools.importing.run": (
        "GET",
        "/dashboard/tools/import/{import_run}/",
        ADMINS,
    ),
    "dashboard.tools.importing.run_json": (
        "GET",
        "/dashboard/tools/import/{import_run}.json",
        ADMINS,
    ),
    "dashboard.tools.exporting.index": ("GET", "/dashboard/tools/export/", ADMINS),
    "dashboard.tools.exporting.wordpress": (
        "POST",
        "/dashboard/tools/export/wordpress",
        ADMINS,
    ),
    "dashboard.tools.exporting.json_download": (
        "POST",
        "/dashboard/tools/export/json",
        ADMINS,
    ),
    "dashboard.tools.privacy.index": ("GET", "/dashboard/tools/privacy/", ADMINS),
    "dashboard.tools.privacy.log": ("GET", "/dashboard/tools/privacy/log", ADMINS),
    "dashboard.tools.privacy.resend": (
        "POST",
        "/dashboard/tools/privacy/{privacy_request}/resend",
        ADMINS,
    ),
    "dashboard.tools.privacy.send_link": (
        "POST",
        "/dashboard/tools/privacy/{privacy_request}/send-link",
        ADMINS,
    ),
    "dashboard.tools.privacy.download": (
        "POST",
        "/dashboard/tools/privacy/{privacy_request}/download",
        ADMINS,
    ),
    "dashboard.tools.privacy.erase": (
        "GET",
        "/dashboard/tools/privacy/{privacy_request}/erase",
        ADMINS,
    ),
    "dashboard.tools.privacy.delete": (
        "POST",
        "/dashboard/tools/privacy/{privacy_request}/delete",
        ADMINS,
    ),
    # Pages belong to the site: editors and admins manage them all.
    "dashboard.pages.index": ("GET", "/dashboard/pages/", EDITORS),
    "dashboard.pages.new": ("GET", "/dashboard/pages/new", EDITORS),
    "dashboard.pages.edit": ("GET", "/dashboard/pages/{page}/edit", EDITORS),
    "dashboard.pages.trash": ("POST", "/dashboard/pages/{page}/trash", EDITORS),
    "dashboard.pages.restore": ("POST", "/dashboard/pages/{page}/restore", EDITORS),
    "dashboard.pages.delete": ("POST", "/dashboard/pages/{page}/delete", EDITORS),
    "dashboard.pages.revisions": (
        "GET",
        "/dashboard/pages/{page}/revisions/",
        EDITORS,
    ),
    "dashboard.pages.restore_revision": (
        "POST",
        "/dashboard/pages/{page}/revisions/{page_revision}/restore",
        EDITORS,
    ),
    "dashboard.pages.autosave": ("POST", "/dashboard/pages/{page}/autosave", EDITORS),
    "dashboard.pages.dismiss_autosave": (
        "POST",
        "/dashboard/pages/{page}/autosave/dismiss",
        EDITORS,
    ),
    # Venues and organisers: as terms, editors and admins (authors only pick
    # them in the event editor).
    "dashboard.places.venues.index": ("GET", "/dashboard/events/venues/", EDITORS),
    "dashboard.places.venues.new": ("GET", "/dashboard/events/venues/new", EDITORS),
    "dashboard.places.venues.edit": (
        "GET",
        "/dashboard/events/venues/{venue}/edit",
        EDITORS,
    ),
    "dashboard.places.venues.delete": (
        "POST",
        "/dashboard/events/venues/{venue}/delete",
        EDITORS,
    ),
    "dashboard.places.organisers.index": (
        "GET",
        "/dashboard/events/organisers/",
        EDITORS,
    ),
    "dashboard.places.organisers.new": (
        "GET",
        "/dashboard/events/organisers/new",
        EDITORS,
    ),
    "dashboard.places.organisers.edit": (
        "GET",
        "/dashboard/events/organisers/{organiser}/edit",
        EDITORS,
    ),
    "dashboard.places.organisers.delete": (
        "POST",
        "/dashboard/events/organisers/{organiser}/delete",
        EDITORS,
    ),
    "dashboard.menu.edit": ("GET", "/dashboard/settings/menu/", ADMINS),
    "dashboard.menu.reset": ("POST", "/dashboard/settings/menu/reset", ADMINS),
}


def test_every_dashboard_route_is_in_the_matrix(app):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("dashboard.")
    }
    missing = endpoints - set(MATRIX)
    assert not missing, f"add these routes to the permission matrix: {sorted(missing)}"


def _address(
    app,
    template: str,
    endpoint: str,
    owner: User,
    n: int,
    make_post,
    make_event,
    make_page,
    make_comment,
) -> str:  # type: ignore[no-untyped-def]
    """``template`` filled with things of ``owner``'s made for it alone
    (number ``n`` of the test): only what the address names is made."""
    from datetime import timedelta

    from sqlalchemy import select

    from blog.extensions import db
    from blog.media import Uploads, store_image
    from blog.models import (
        ImportRun,
        ImportState,
        Post,
        PostRevision,
        PrivacyRequest,
        PrivacyRequestKind,
        Term,
        utcnow,
    )
    from blog.site.redirects import add_redirect
    from tests.unit.media.samples import photo

    needs = set(re.findall(r"{(\w+)}", template))
    ids: dict[str, object] = {"user": owner.id}
    made: dict[str, int] = {}
    if needs & {"post", "post_revision", "comment", "term"}:
        post = make_post(f"Someone else's post {n}", author=owner, categories="Cat")
        made["post"] = ids["post"] = post.id
        if "comment" in needs:
            ids["comment"] = make_comment(post, status="pending").id
    if needs & {"event", "event_revision"}:
        event = make_event(f"Someone else's event {n}", author=owner)
        made["event"] = ids["event"] = event.id
    if needs & {"page", "page_revision"}:
        page = make_page(f"Someone else's page {n}", author=owner)
        made["page"] = ids["page"] = page.id
    with app.app_context():
        for kind, post_id in made.items():
            ids[f"{kind}_revision"] = db.session.scalar(
                select(PostRevision.id).where(PostRevision.post_id == post_id)
            )
        # The newest: an editor's allowed delete may have taken an older one.
        ids["term"] = db.session.scalar(select(Term.id).order_by(Term.id.desc()))
        trashed = {
            "dashboard.posts.delete": "post",
            "dashboard.posts.restore": "post",
            "dashboard.events.delete": "event",
            "dashboard.events.restore": "event",
            "dashboard.pages.delete": "page",
            "dashboard.pages.restore": "page",
        }
        if endpoint in trashed:
            db.session.get(Post, ids[trashed[endpoint]]).status = "trash"
        if "media" in needs:
            ids["media"] = store_image(
                io.BytesIO(photo()),
                Uploads.of(app),
                uploader=db.session.get(User, owner.id),
            ).id
        if "redirect" in needs:
            redirect = add_redirect(f"/old-address-{n}/", "/new-address/")
            assert redirect is not None
            db.session.flush()
            ids["redirect"] = redirect.id
        if "import_run" in needs:
            run = ImportRun(
                filename="site.xml",
                stored_path="",
                state=ImportState.DONE,
                started_by_id=owner.id,
            )
            db.session.add(run)
            db.session.flush()
            ids["import_run"] = run.id
        if "venue" in needs:
            from blog.models.event import Venue

            venue = Venue(slug=f"hall-{n}", name=f"Someone's hall {n}")
            db.session.add(venue)
            db.session.flush()
            ids["venue"] = venue.id
        if "organiser" in needs:
            from blog.models.event import Organiser

            organiser = Organiser(slug=f"club-{n}", name=f"Someone's club {n}")
            db.session.add(organiser)
            db.session.flush()
            ids["organiser"] = organiser.id
        if "privacy_request" in needs:
            request = PrivacyRequest(
                email="someone@example.net",
                kind=PrivacyRequestKind.ERASE,
                token_hash=f"{n:064d}",
                expires_at=utcnow() + timedelta(days=7),
            )
            db.session.add(request)
            db.session.flush()
            ids["privacy_request"] = request.id
        db.session.commit()
    return template.format(**ids)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_permissions(
    app, make_user, make_post, make_event, make_page, make_comment, endpoint
):
    """Anonymous visitors and every role against one route, on one site.

    Anonymous visitors and the refused roles share one set of things (a
    refused request changes nothing); each allowed role gets things of its
    own, as its request may trash, delete or change them.
    """
    method, template, allowed = MATRIX[endpoint]
    owner = make_user(Role.ADMIN, "owner")
    made = iter(range(1, 100))

    def address() -> str:
        return _address(
            app,
            template,
            endpoint,
            owner,
            next(made),
            make_post,
            make_event,
            make_page,
            make_comment,
        )

    failures = []
    refused = [None, *(role for role in ROLES if role not in allowed)]
    shared = address()
    for role in refused + [role for role in ROLES if role in allowed]:
        path = shared if role in refused else address()
        client = app.test_client()
        if role is not None:
            make_user(Role(role), f"the-{role}")
            Auth(client).login(f"the-{role}")
        response = client.open(path, method=method)
        status = response.status_code
        if role is None:
            ok = status == 302 and "/login" in response.headers["Location"]
            expected = "302 to /login"
        elif role in allowed:
            ok, expected = status in (200, 302), "200 or 302"
        else:
            ok, expected = status == 403, "403"
        if not ok:
            who = role or "anonymous"
            failures.append(f"{who}: {method} {path} gave {status}, not {expected}")
    assert not failures, "\n".join(failures)


def test_authors_edit_only_their_own_posts(client, make_user, make_post, auth):
    author = make_user(Role.AUTHOR, "au")
    mine = make_post("Mine", author=author)
    theirs = make_post("Theirs")
    auth.login("au")
    assert client.get(f"/dashboard/posts/{mine.id}/edit").status_code == 200
    assert client.get(f"/dashboard/posts/{theirs.id}/edit").status_code == 403
    listing = client.get("/dashboard/posts/").get_data(as_text=True)
    assert "Mine" in listing and "Theirs" not in listing


def test_contributor_cannot_edit_after_publication(client, make_user, make_post, auth):
    cora = make_user(Role.CONTRIBUTOR, "cora")
    draft = make_post("Draft", author=cora, publish=False)
    auth.login("cora")
    assert client.get(f"/dashboard/posts/{draft.id}/edit").status_code == 200
    published = make_post("Published", author=cora)
    with client.application.app_context():
        from blog.extensions import db
        from blog.models import Post

        db.session.get(Post, published.id).status = "published"
        db.session.commit()
    assert client.get(f"/dashboard/posts/{published.id}/edit").status_code == 403


def test_the_settings_service_itself_refuses_non_admins(app, make_user):
    from blog.errors import PermissionDenied
    from blog.extensions import db
    from blog.models import User
    from blog.site import settings as site_settings

    editor = make_user(Role.EDITOR, "ed")
    admin = make_user(Role.ADMIN, "boss")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            site_settings.change_settings(
                db.session.get(User, editor.id), {"title": "Taken over"}
            )
        site_settings.change_settings(
            db.session.get(User, admin.id), {"title": "Renamed"}
        )
        db.session.commit()
        assert site_settings.load_settings()["title"] == "Renamed"
