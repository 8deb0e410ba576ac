"""Forms of the media library: uploading several files, an upload's words,
deleting one (confirmed when it is in use), and the search."""

from __future__ import annotations

from typing import BinaryIO

from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from blog.forms.common import BlogForm
from blog.media.library import ALT_MAX, CAPTION_MAX, SEARCH_MAX, TITLE_MAX
from blog.models import Media
from blog.validation import clean_text

#: What the file field offers (the server checks the bytes, not these).
ACCEPT = ",".join(
    ["image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"]
    + [".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf"]
)


class UploadForm(BlogForm):
    files = MultipleFileField("Upload files")

    def uploads(self) -> list[tuple[BinaryIO, str]]:
        """Each file sent, as a stream and the name it had."""
        return [
            (upload.stream, clean_text(str(upload.filename)).strip())
            for upload in self.files.data or []
            if getattr(upload, "filename", "")
        ]


class MediaForm(BlogForm):
    """An upload's words: one line each."""

    alt_text = StringField("Alt text", validators=[Optional(), Length(max=ALT_MAX)])
    caption = StringField("Caption", validators=[Optional(), Length(max=CAPTION_MAX)])
    title = StringField("Title", validators=[Optional(), Length(max=TITLE_MAX)])

    @classmethod
    def for_media(cls, media: Media | None) -> MediaForm:
        """Filled from ``media`` (GET), or from the request (POST: ``None``)."""
        if media is None:
            return cls()
        return cls(
            data={
                "alt_text": media.alt_text,
                "caption": media.caption,
                "title": media.title,
            }
        )

    def values(self) -> dict[str, str]:
        return {
            "alt_text": self.alt_text.data or "",
            "caption": self.caption.data or "",
            "title": self.title.data or "",
        }


class DeleteMediaForm(BlogForm):
    """ "Delete Permanently"; ``confirmed`` once the uses were shown."""

    confirmed = HiddenField(default="")


class MediaSearchForm(BlogForm):
    """The library's search (a GET form: no CSRF, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField("Search media", validators=[Optional(), Length(max=SEARCH_MAX)])

    def search(self) -> str:
        return " ".join(str(self.q.data or "").split())[:SEARCH_MAX]
