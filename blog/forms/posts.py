"""The article editor, the posts list's filters, and the terms form.

Labels are contracts (DESIGN.md): "Title", "Body", "Categories", "Tags".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from zoneinfo import ZoneInfo

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from blog.dates import to_zone
from blog.forms.common import BlogForm, FeaturedImageForm, choice
from blog.models import Post
from blog.numbers import parse_int
from blog.posts import PostInput
from blog.posts.listing import FilterChoices


class PostForm(FeaturedImageForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    body = TextAreaField("Body", validators=[Length(max=500_000)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=5000)])
    categories = StringField("Categories", validators=[Optional(), Length(max=2000)])
    tags = StringField("Tags", validators=[Optional(), Length(max=2000)])
    publish_at = DateTimeLocalField(
        "Publish on", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    comments_open = BooleanField("Allow comments", default=True)
    sticky = BooleanField("Stick to the top of the blog")
    #: The post's version this editor was opened on (optimistic locking).
    version = HiddenField()

    @classmethod
    def for_post(cls, post: Post | None, zone: ZoneInfo) -> Self:
        """The editor for ``post`` (a new one when ``None``), dates in ``zone``."""
        return cls(data=cls.initial(post, zone)) if post is not None else cls()

    @staticmethod
    def initial(post: Post, zone: ZoneInfo) -> dict[str, Any]:
        """The fields' values for ``post``; the publish date in ``zone``."""
        local = to_zone(post.published_at, zone) if post.published_at else None
        return {
            "title": post.title,
            "slug": post.slug,
            "body": post.body_source,
            "excerpt": post.excerpt_source,
            "categories": ", ".join(t.name for t in post.categories),
            "tags": ", ".join(t.name for t in post.tags),
            "publish_at": local.replace(tzinfo=None) if local else None,
            "comments_open": post.comments_open,
            "sticky": post.sticky,
            "version": post.version,
            **FeaturedImageForm.featured_image_data(post),
        }

    def to_input(self, zone: ZoneInfo) -> PostInput:
        """What the editor sent, for the publishing service (dates from ``zone``)."""
        publish_at: datetime | None = None
        if self.publish_at.data:
            publish_at = self.publish_at.data.replace(tzinfo=zone)
        return PostInput(
            title=self.title.data or "",
            body=self.body.data or "",
            slug=self.slug.data or "",
            excerpt=self.excerpt.data or "",
            categories=self.categories.data or "",
            tags=self.tags.data or "",
            comments_open=bool(self.comments_open.data),
            publish_at=publish_at,
            image=self.featured_image_input(),
            sticky=bool(self.sticky.data),
            base_version=parse_int(self.version.data),
        )


class PostFilterForm(BlogForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            choice("", "All"),
            choice("published", "Published"),
            choice("scheduled", "Scheduled"),
            choice("draft", "Drafts"),
            choice("pending", "Pending"),
            choice("trash", "Trash"),
        ],
        validators=[Optional()],
    )
    author = SelectField("Author", coerce=str, validators=[Optional()])
    category = SelectField("Category", coerce=str, validators=[Optional()])
    q = StringField("Search posts", validators=[Optional(), Length(max=200)])

    def offer(self, choices: FilterChoices) -> Self:
        """Fill the Author and Category menus."""
        self.author.choices = [choice("", "All authors")] + [
            choice(str(id_), name) for id_, name in choices.authors
        ]
        self.category.choices = [choice("", "All categories")] + [
            choice(str(id_), name) for id_, name in choices.categories
        ]
        return self

    def filters(self) -> dict[str, Any]:
        """The filters as :func:`blog.posts.listing.dashboard_posts` takes them."""
        return {
            "status": self.status.data or "",
            "author_id": _chosen_id(self.author.data),
            "category_id": _chosen_id(self.category.data),
            "search": self.q.data or "",
        }


def _chosen_id(value: object) -> int | None:
    """The id chosen in a menu ("" for all), if any."""
    return parse_int(value)


class QuickDraftForm(BlogForm):
    """The dashboard home's "Quick Draft" box: a title and a few words."""

    title = StringField(
        "Title",
        validators=[DataRequired("Give the draft a title."), Length(max=300)],
    )
    content = TextAreaField("Content", validators=[Length(max=500_000)])

    def to_input(self) -> PostInput:
        return PostInput(title=self.title.data or "", body=self.content.data or "")


class TermForm(BlogForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    slug = StringField("Slug", validators=[Optional(), Length(max=120)])
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=2000)]
    )

    def values(self) -> dict[str, str]:
        """Name, slug and description as the taxonomy service takes them."""
        return {
            "name": self.name.data or "",
            "slug": self.slug.data or "",
            "description": self.description.data or "",
        }
