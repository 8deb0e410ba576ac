"""Who may do what in the media library, as in WordPress: every member of
staff may browse it and use its images; authors, editors and admins may
upload (WordPress's ``upload_files``: contributors may not); authors edit
and delete their own uploads, editors and admins everyone's."""

from __future__ import annotations

from blog.models import EDITOR_ROLES, Media, Role, User

UPLOADERS = EDITOR_ROLES | {Role.AUTHOR}


def can_upload(user: User) -> bool:
    """Add files to the library."""
    return user.role in UPLOADERS


def can_edit_media(user: User, media: Media) -> bool:
    """Change an upload's alt text, caption and title, or delete it."""
    if user.role in EDITOR_ROLES:
        return True
    return user.role == Role.AUTHOR and media.uploaded_by_id == user.id
