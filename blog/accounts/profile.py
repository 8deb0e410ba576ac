"""What a person shows of themselves: display name, bio and website.

Shared by the profile page (people editing themselves) and the users screen
(admins editing someone); the bio is Markdown, rendered and sanitized once,
when saved, with the comments' rules (links get ``nofollow``, no images).
"""

from __future__ import annotations

from blog import rendering
from blog.accounts import audit
from blog.accounts.users import DISPLAY_NAME_MAX
from blog.errors import FieldError
from blog.models import User
from blog.validation import clean_text, http_url, name_line

WEBSITE_MAX = 200


def render_bio(source: str) -> str:
    """The bio's HTML.

    :raises FieldError: on ``bio``, when it is too long or malformed.
    """
    if not source.strip():
        return ""
    try:
        return rendering.render_comment(source)
    except rendering.ContentRejected as error:
        raise FieldError(str(error).replace("Your comment", "The bio"), "bio") from None


def update_profile(
    user: User, *, display_name: str, bio: str, website: str, actor: User | None
) -> list[str]:
    """Change the public profile (the caller commits); the names of the
    fields that changed, recorded when there are any.

    :raises FieldError: naming ``display_name``, ``bio`` or ``website``.
    """
    display_name = name_line(display_name, "display_name", max_length=DISPLAY_NAME_MAX)
    website = (
        http_url(website, "website", max_length=WEBSITE_MAX) if website.strip() else ""
    )
    bio = clean_text(bio).strip()
    bio_html = render_bio(bio)
    changed = [
        name
        for name, old, new in (
            ("display name", user.display_name, display_name),
            ("bio", user.bio, bio),
            ("website", user.website, website),
        )
        if old != new
    ]
    user.display_name = display_name
    user.bio = bio
    user.bio_html = bio_html
    user.website = website
    if changed:
        audit.record(user, "profile_updated", ", ".join(changed), actor=actor)
    return changed
