"""The page editor: Title, Slug, Body, Parent (pages indented by depth),
Order, Allow comments (off by default) and the featured image. No date,
categories or tags."""

from __future__ import annotations

from typing import Any, Self

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from blog.forms.common import FeaturedImageForm, choice
from blog.models import Post
from blog.numbers import parse_int
from blog.pages import PageInput
from blog.pages.editing import ORDER_MAX, ORDER_MIN
from blog.pages.hierarchy import ParentChoice
from blog.pages.paths import MAX_DEPTH


class PageForm(FeaturedImageForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    body = TextAreaField("Body", validators=[Length(max=500_000)])
    parent_id = SelectField(
        "Parent page",
        coerce=str,
        validate_choice=False,
        description=(
            "A page under another gets the address /parent/slug/, one under a "
            f"subpage /grandparent/parent/slug/, and so on: pages nest up to "
            f"{MAX_DEPTH} levels deep."
        ),
    )
    menu_order = IntegerField(
        "Order",
        default=0,
        validators=[
            Optional(),
            NumberRange(
                min=ORDER_MIN,
                max=ORDER_MAX,
                message=f"A whole number from {ORDER_MIN} to {ORDER_MAX}.",
            ),
        ],
    )
    comments_open = BooleanField("Allow comments", default=False)
    #: The page's version this editor was opened on (optimistic locking).
    version = HiddenField()

    @classmethod
    def for_page(cls, page: Post | None) -> Self:
        """The editor for ``page`` (a new one when ``None``)."""
        return cls(data=cls.initial(page)) if page is not None else cls()

    @staticmethod
    def initial(page: Post) -> dict[str, Any]:
        return {
            "title": page.title,
            "slug": page.slug,
            "body": page.body_source,
            "parent_id": str(page.parent_id) if page.parent_id else "",
            "menu_order": page.menu_order,
            "comments_open": page.comments_open,
            "version": page.version,
            **FeaturedImageForm.featured_image_data(page),
        }

    def offer(self, parents: list[ParentChoice]) -> Self:
        """Fill the Parent menu: no parent, then the pages offered, each
        indented by its depth (``— `` a level, as the dashboard's list). A
        parent chosen but no longer offered stays in the menu, so the
        service says why it is refused rather than the choice vanishing."""
        options = [choice("", "(no parent)")]
        options += [
            choice(str(parent.id), "— " * parent.depth + parent.title)
            for parent in parents
        ]
        chosen = parse_int(self.parent_id.data)
        if chosen is not None and chosen not in {parent.id for parent in parents}:
            options.append(choice(str(chosen), f"Page {chosen}"))
        self.parent_id.choices = options
        return self

    def to_input(self) -> PageInput:
        """What the editor sent, for the pages service."""
        return PageInput(
            title=self.title.data or "",
            body=self.body.data or "",
            slug=self.slug.data or "",
            parent_id=parse_int(self.parent_id.data),
            menu_order=self.menu_order.data or 0,
            comments_open=bool(self.comments_open.data),
            image=self.featured_image_input(),
            base_version=parse_int(self.version.data),
        )
