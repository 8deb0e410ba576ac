"""The models, one module per aggregate; importing this registers them all."""

from blog.models.base import utcnow
from blog.models.media import Media
from blog.models.post import Post, PostKind, PostStatus, SlugRedirect
from blog.models.setting import Setting
from blog.models.term import Taxonomy, Term, post_terms
from blog.models.user import LoginFailure, Role, User

__all__ = [
    "LoginFailure",
    "Media",
    "Post",
    "PostKind",
    "PostStatus",
    "Role",
    "Setting",
    "SlugRedirect",
    "Taxonomy",
    "Term",
    "User",
    "post_terms",
    "utcnow",
]
