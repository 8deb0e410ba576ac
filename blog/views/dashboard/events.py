"""Writing events: the list, the editor (rows for people and sponsors), trash."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from blog import events, publishing, rendering, taxonomy
from blog.extensions import csrf, db
from blog.featured_images import ImageInput
from blog.forms import ActionForm
from blog.forms.events import ROW_LISTS, EventForm
from blog.models import Post, PostKind, Taxonomy
from blog.permissions import can_publish
from blog.views.dashboard.posts import get_post
from blog.views.dashboard.trash import add_trash_routes
from blog.views.events import event_page_context
from blog.views.hooks import current_settings
from blog.views.media import upload_dir

bp = Blueprint("events", __name__, url_prefix="/events")

#: Empty rows offered on a new event, and after existing rows when editing.
NEW_ROWS = {"speakers": 3, "moderators": 1, "sponsors": 2}


def get_event(post_id: int) -> Post:
    """The event the current user may edit, or 404/403."""
    return get_post(post_id, PostKind.EVENT)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    status = request.args.get("status", "")
    query = events.dashboard_events(current_user, status=status)
    return render_template(
        "dashboard/events.html",
        pagination=db.paginate(query, per_page=20),
        counts=publishing.status_counts(current_user, kind=PostKind.EVENT),
        status=status,
        action_form=ActionForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def new():  # type: ignore[no-untyped-def]
    return _editor(None)


@bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(post_id: int):  # type: ignore[no-untyped-def]
    return _editor(get_event(post_id))


def _editor(post: Post | None):  # type: ignore[no-untyped-def]
    if request.method == "GET":
        form = EventForm(data=_form_data(post))
    else:
        form = EventForm()
    action = request.form.get("action", "draft")
    if action.startswith("add-") and action[4:] in ROW_LISTS:
        _tidy_rows(form)
        getattr(form, action[4:]).append_entry()
    elif form.validate_on_submit():
        try:
            if action == "preview":
                preview = events.preview_event(current_user, _event_input(form), post)
                return render_template(
                    "public/event.html", **event_page_context(preview, preview=True)
                )
            post = events.save_event(
                current_user,
                _event_input(form),
                post,
                publish=action == "publish",
                folder=upload_dir(),
            )
        except (publishing.PostError, rendering.ContentRejected) as error:
            db.session.rollback()
            _field_error(form, getattr(error, "field", "body"), str(error))
        else:
            flash(_saved_message(post), "success")
            return redirect(url_for(".edit", post_id=post.id))
    return render_template(
        "dashboard/event_editor.html",
        form=form,
        post=post,
        row_lists=ROW_LISTS,
        can_publish=can_publish(current_user, post),
        category_names=taxonomy.term_names(Taxonomy.CATEGORY),
        audience_names=taxonomy.term_names(Taxonomy.AUDIENCE),
        unit_names=taxonomy.term_names(Taxonomy.UNIT),
        action_form=ActionForm(),
    )


def _field_error(form: EventForm, name: str, message: str) -> None:
    target = form._fields.get(name)
    if target is None or isinstance(target.errors, dict):
        form.form_errors.append(message)
    else:
        target.errors = [*target.errors, message]


def _sorted_rows(rows: Any) -> list[Any]:
    """Rows in the order their numbers say (ties keep the order on the page)."""
    return [
        row
        for _, _, row in sorted(
            (row.position.data if row.position.data is not None else 999, i, row)
            for i, row in enumerate(rows)
        )
    ]


def _tidy_rows(form: EventForm) -> None:
    """Re-render the rows in their numbers' order, without removed ones."""
    for name in ROW_LISTS:
        field_list = getattr(form, name)
        kept = [
            {k: v for k, v in row.data.items() if k != "remove"}
            for row in _sorted_rows(field_list)
            if not row.remove.data
        ]
        while field_list.entries:
            field_list.pop_entry()
        number = 0
        for row in kept:
            if (row.get("name") or "").strip():
                number += 1
                row["position"] = number
            else:
                row["position"] = None
            field_list.append_entry(row)
        if not kept:
            field_list.append_entry()


def _saved_message(post: Post) -> str:
    if post.status == "published":
        return "Event scheduled." if post.is_scheduled else "Event published."
    if post.status == "pending":
        return "Event submitted for review."
    return "Draft saved."


def _form_data(post: Post | None) -> dict[str, Any]:
    """The editor's fields for ``post`` (local times in the event's zone)."""
    site_zone = current_settings().get("timezone") or "UTC"
    if post is None or post.event is None:
        return {
            "timezone": site_zone,
            "comments_open": True,
            "speakers": [{}] * NEW_ROWS["speakers"],
            "moderators": [{}] * NEW_ROWS["moderators"],
            "sponsors": [{}] * NEW_ROWS["sponsors"],
        }
    event = post.event
    start, end = event.local_start, event.local_end
    if event.all_day:
        end_date, end_time = event.last_day, None
    else:
        end_date, end_time = end.date(), end.time()
    moderators = [
        {**_person(p, i), "role": p.role}
        for i, p in enumerate(event.moderators, start=1)
    ]
    return {
        "title": post.title,
        "slug": post.slug,
        "body": post.body_source,
        "excerpt": post.excerpt_source,
        "status": event.status,
        "start_date": start.date(),
        "start_time": None if event.all_day else start.time(),
        "end_date": end_date,
        "end_time": end_time,
        "all_day": event.all_day,
        "timezone": event.timezone,
        "venue_name": event.venue_name,
        "room": event.room,
        "venue_address": event.venue_address,
        "online_url": event.online_url,
        "registration_url": event.registration_url,
        "cost": event.cost,
        "speakers": [_person(p, i) for i, p in enumerate(event.speakers, start=1)]
        + [{}],
        "moderators": moderators + [{}],
        "sponsors": [
            {"name": s.name, "url": s.url, "position": i}
            for i, s in enumerate(event.sponsors, start=1)
        ]
        + [{}] * (1 if event.sponsors else NEW_ROWS["sponsors"]),
        "categories": ", ".join(t.name for t in post.categories),
        "audiences": ", ".join(t.name for t in event.audiences),
        "units": ", ".join(t.name for t in event.units),
        "contact_name": event.contact_name,
        "contact_email": event.contact_email,
        "contact_phone": event.contact_phone,
        "accommodations_deadline": event.accommodations_deadline,
        "featured_image_alt": post.featured_image_alt,
        "featured_image_caption": post.featured_image_caption,
        "comments_open": post.comments_open,
    }


def _person(person: Any, position: int) -> dict[str, Any]:
    return {
        "name": person.name,
        "affiliation": person.affiliation,
        "url": person.url,
        "position": position,
    }


def _person_input(row: Any, role: str) -> events.PersonInput:
    return events.PersonInput(
        row.name.data or "", row.affiliation.data or "", row.url.data or "", role
    )


def _event_input(form: EventForm) -> events.EventInput:
    upload = form.featured_image.data
    has_upload = upload is not None and getattr(upload, "filename", "")
    people = [
        _person_input(row.form, "speaker")
        for row in _sorted_rows(form.speakers)
        if not row.remove.data
    ] + [
        _person_input(row.form, row.form.role.data or "moderator")
        for row in _sorted_rows(form.moderators)
        if not row.remove.data
    ]
    sponsors = [
        events.SponsorInput(row.form.name.data or "", row.form.url.data or "")
        for row in _sorted_rows(form.sponsors)
        if not row.remove.data
    ]
    return events.EventInput(
        post=publishing.PostInput(
            title=form.title.data or "",
            body=form.body.data or "",
            slug=form.slug.data or "",
            excerpt=form.excerpt.data or "",
            categories=form.categories.data or "",
            comments_open=form.comments_open.data,
        ),
        start_date=form.start_date.data,
        start_time=form.start_time.data,
        end_date=form.end_date.data,
        end_time=form.end_time.data,
        all_day=form.all_day.data,
        timezone=form.timezone.data or "",
        status=form.status.data or "scheduled",
        venue_name=form.venue_name.data or "",
        room=form.room.data or "",
        venue_address=form.venue_address.data or "",
        online_url=form.online_url.data or "",
        registration_url=form.registration_url.data or "",
        cost=form.cost.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        accommodations_deadline=form.accommodations_deadline.data,
        people=people,
        sponsors=sponsors,
        audiences=form.audiences.data or "",
        units=form.units.data or "",
        image=ImageInput(
            upload=upload.stream if has_upload else None,
            filename=upload.filename if has_upload else "",
            alt=form.featured_image_alt.data or "",
            caption=form.featured_image_caption.data or "",
            remove=form.remove_image.data,
        ),
    )


add_trash_routes(bp, get_event, "Event")
