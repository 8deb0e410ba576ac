"""Writing events: the list, the editor (rows for people, sponsors and
changed dates; the saved venues and organisers to pick from), trash."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.events import preview_event, save_event
from blog.events.listings import dashboard_events
from blog.events.places import saved_organisers, saved_venues
from blog.events.recurrence import MAX_OCCURRENCES
from blog.forms.common import ActionForm
from blog.forms.event_repeats import ADD_CHANGE
from blog.forms.events import ROW_LISTS, EventForm
from blog.models import Post, PostKind, Taxonomy
from blog.paging import paginate
from blog.posts import SaveAction
from blog.posts.listing import TABS, status_counts
from blog.posts.taxonomy import term_names
from blog.views.arguments import page_number, text_arg
from blog.views.context import current_zone, menu_context, uploads
from blog.views.dashboard.access import load_event
from blog.views.dashboard.editor import Editor, add_editor_routes
from blog.views.dashboard.revisions import add_revision_routes
from blog.views.events import event_page_context

bp = Blueprint("events", __name__, url_prefix="/events")


class EventEditor(Editor[EventForm]):
    kind = PostKind.EVENT
    template = "dashboard/events/editor.html"
    form_class = EventForm

    def filled(self, post: Post | None) -> EventForm:
        return EventForm.for_post(post, current_zone().key)

    def offer(self, form: EventForm, post: Post | None) -> None:
        form.offer_places(saved_venues(), saved_organisers())

    def intercept(self, form: EventForm, action: str) -> bool:
        """ "Add another speaker" and its kind: one more row, nothing saved."""
        return action.startswith("add-") and form.add_row(action.removeprefix("add-"))

    def preview(self, form: EventForm, post: Post | None) -> str:
        with form.change_errors():
            shown = preview_event(current_user, form.to_input(), post)
        return render_template(
            "events/detail.html",
            **event_page_context(shown, preview=True),
            **menu_context(),
        )

    def save(self, form: EventForm, post: Post | None, *, action: SaveAction) -> Post:
        data = form.to_input(current_zone())
        with form.change_errors():
            return save_event(
                current_user, data, post, action=action, uploads=uploads()
            )

    def context(self) -> dict[str, Any]:
        return {
            "row_lists": ROW_LISTS,
            "add_change": ADD_CHANGE,
            "max_occurrences": MAX_OCCURRENCES,
            "category_names": term_names(Taxonomy.CATEGORY),
            "audience_names": term_names(Taxonomy.AUDIENCE),
            "unit_names": term_names(Taxonomy.UNIT),
        }


@bp.get("/")
def index() -> ResponseReturnValue:
    status = text_arg("status")
    return render_template(
        "dashboard/events/index.html",
        pagination=paginate(
            dashboard_events(current_user, status=status),
            page=page_number(),
            per_page=20,
        ),
        counts=status_counts(current_user, kind=PostKind.EVENT),
        status=status,
        tabs=TABS,
        action_form=ActionForm(),
    )


add_editor_routes(bp, EventEditor, load_event)
add_revision_routes(bp, load_event, PostKind.EVENT)
