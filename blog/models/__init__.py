"""The models, one module per aggregate; importing this registers them all."""

from blog.models.base import utcnow
from blog.models.breaker import CircuitBreaker
from blog.models.cache import CacheState
from blog.models.comment import (
    Comment,
    CommentKind,
    CommentLogEntry,
    CommentStatus,
    SpamCheck,
)
from blog.models.event import (
    Event,
    EventOccurrenceChange,
    EventPerson,
    EventSponsor,
    EventStatus,
    MonthlyBy,
    OccurrenceChange,
    Organiser,
    PersonRole,
    Repeat,
    Venue,
)
from blog.models.importing import ImportLink, ImportRun, ImportState
from blog.models.media import Media, MediaVariant, media_uses
from blog.models.outbox import OutboxMessage, OutboxStatus
from blog.models.post import Post, PostKind, PostStatus, SlugRedirect
from blog.models.privacy import (
    PrivacyLogEntry,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from blog.models.redirect import Redirect
from blog.models.revision import PostAutosave, PostEditor, PostRevision
from blog.models.search import SearchDocument
from blog.models.setting import Setting
from blog.models.spam_stats import SpamDailyCount, SpamTally
from blog.models.subscription import (
    CommentSubscription,
    SubscriptionScope,
    SubscriptionStatus,
)
from blog.models.term import Taxonomy, Term, post_terms
from blog.models.user import (
    EDITOR_ROLES,
    AccountEvent,
    AccountToken,
    LoginThrottle,
    RecoveryCode,
    Role,
    TokenPurpose,
    User,
    UserSession,
)

__all__ = [
    "SubscriptionStatus",
    "SubscriptionScope",
    "CommentSubscription",
    "SpamTally",
    "SpamDailyCount",
    "PrivacyRequestStatus",
    "PrivacyRequestKind",
    "PrivacyRequest",
    "PrivacyLogEntry",
    "EDITOR_ROLES",
    "AccountEvent",
    "AccountToken",
    "CacheState",
    "CircuitBreaker",
    "Comment",
    "CommentKind",
    "CommentLogEntry",
    "CommentStatus",
    "Event",
    "EventOccurrenceChange",
    "MonthlyBy",
    "OccurrenceChange",
    "Organiser",
    "Repeat",
    "Venue",
    "EventPerson",
    "EventSponsor",
    "EventStatus",
    "ImportLink",
    "ImportRun",
    "ImportState",
    "LoginThrottle",
    "Media",
    "MediaVariant",
    "OutboxMessage",
    "OutboxStatus",
    "PersonRole",
    "Post",
    "PostAutosave",
    "PostEditor",
    "PostKind",
    "PostRevision",
    "PostStatus",
    "RecoveryCode",
    "Redirect",
    "Role",
    "SearchDocument",
    "Setting",
    "SlugRedirect",
    "SpamCheck",
    "Taxonomy",
    "Term",
    "TokenPurpose",
    "User",
    "UserSession",
    "media_uses",
    "post_terms",
    "utcnow",
]
