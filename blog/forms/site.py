"""The site's settings forms: General, Reading, Discussion and the promo block."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from blog.forms.common import BlogForm, choice, image_field, image_input
from blog.site import PromoInput
from blog.site.settings import DISCUSSION_KEYS, MAX_FEED_ITEMS

GENERAL_KEYS = (
    "title",
    "tagline",
    "timezone",
    "posts_per_page",
    "require_two_factor",
)


class SettingsForm(BlogForm):
    title = StringField("Site Title", validators=[DataRequired(), Length(max=200)])
    tagline = StringField("Tagline", validators=[Optional(), Length(max=300)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=60)])
    posts_per_page = IntegerField(
        "Posts per page", validators=[DataRequired(), NumberRange(min=1, max=100)]
    )
    require_two_factor = BooleanField(
        "Require two-factor login for administrators and editors"
    )

    def values(self) -> dict[str, Any]:
        """The settings as the site service takes them."""
        return {name: self[name].data for name in GENERAL_KEYS}


class DiscussionForm(BlogForm):
    comments_manual_approval = BooleanField("Comment must be manually approved")
    comments_previously_approved = BooleanField(
        "Comment author must have a previously approved comment"
    )
    comments_max_links = IntegerField(
        "Hold a comment in the queue if it contains this many links or more",
        validators=[Optional()],
    )
    comments_moderation_words = TextAreaField(
        "Comment Moderation", validators=[Optional(), Length(max=20000)]
    )
    comments_disallowed_words = TextAreaField(
        "Disallowed Comment Keys", validators=[Optional(), Length(max=20000)]
    )
    comments_close_after_days = IntegerField(
        "Automatically close comments on articles older than (days, 0 for never)",
        validators=[Optional()],
    )
    comments_ip_burst = IntegerField(
        "Comments one IP address may post in a minute",
        validators=[Optional()],
    )
    comments_notify_author_on_approval = BooleanField(
        "Email a comment's author when a moderator approves it"
    )
    comments_gravatar = BooleanField("Show Gravatar pictures")
    comments_ip_retention_days = IntegerField(
        "Remove commenters' IP addresses and browsers after (days, 0 to keep)",
        validators=[Optional()],
    )
    privacy_erase_removes_text = BooleanField(
        "Erasing a person's data also removes the text of their comments"
    )
    akismet_api_key = StringField(
        "Akismet API Key", validators=[Optional(), Length(max=100)]
    )
    privacy_text = TextAreaField(
        "Privacy page text", validators=[Optional(), Length(max=20000)]
    )

    def values(self) -> dict[str, Any]:
        """The settings as the site service takes them (empty numbers are 0)."""
        values = {name: self[name].data for name in DISCUSSION_KEYS}
        values["comments_max_links"] = values["comments_max_links"] or 0
        values["comments_close_after_days"] = values["comments_close_after_days"] or 0
        values["comments_ip_burst"] = values["comments_ip_burst"] or 5
        values["comments_ip_retention_days"] = values["comments_ip_retention_days"] or 0
        values["akismet_api_key"] = (values["akismet_api_key"] or "").strip()
        values["privacy_text"] = values["privacy_text"] or ""
        return values


class ReadingForm(BlogForm):
    """WordPress's Reading screen: feeds, search engine visibility, revisions."""

    feed_items = IntegerField(
        "Syndication feeds show the most recent",
        validators=[DataRequired(), NumberRange(min=1, max=MAX_FEED_ITEMS)],
    )
    feed_content = RadioField(
        "For each post in a feed, include",
        choices=[choice("full", "Full text"), choice("excerpt", "Excerpt")],
        default="full",
    )
    discourage_search_engines = BooleanField(
        "Discourage search engines from indexing this site"
    )
    revisions_to_keep = IntegerField("Revisions to keep", validators=[Optional()])

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> Self:
        """The form filled from the settings in force (or from the request)."""
        content = "full" if settings.get("feed_full_text", True) else "excerpt"
        return cls(data={**settings, "feed_content": content})

    def values(self) -> dict[str, Any]:
        """The settings as the site service takes them (empty: keep all)."""
        return {
            "feed_items": self.feed_items.data,
            "feed_full_text": self.feed_content.data != "excerpt",
            "discourage_search_engines": bool(self.discourage_search_engines.data),
            "revisions_to_keep": self.revisions_to_keep.data,
        }


class PromoForm(BlogForm):
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    text = TextAreaField("Text", validators=[Optional(), Length(max=5000)])
    link = StringField("Link", validators=[Optional(), Length(max=500)])
    image = image_field("Image")
    image_alt = StringField("Alt text", validators=[Optional(), Length(max=300)])
    remove_image = BooleanField("Remove the image")

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> Self:
        """The form filled from the settings in force (or from the request)."""
        return cls(
            data={
                "title": settings["promo_title"],
                "text": settings["promo_text"],
                "link": settings["promo_link"],
                "image_alt": settings["promo_image_alt"],
            }
        )

    def to_input(self) -> PromoInput:
        return PromoInput(
            title=self.title.data or "",
            text=self.text.data or "",
            link=self.link.data or "",
            image=image_input(
                self.image,
                self.image_alt.data or "",
                remove=bool(self.remove_image.data),
            ),
        )
