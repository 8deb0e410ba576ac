"""Old addresses that answer with a 301: what a site moved from (WordPress's
``/?p=123``, ``/2008/09/03/slug/``, ``/category/parent/child/``) to where the
same thing lives now. Admins list and edit them in Tools → Redirects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow


class Redirect(Model):
    __tablename__ = "redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The old address on this host: a path (``/2008/09/03/slug/``), or a
    #: path with the one query WordPress routes by (``/?p=123``).
    source: Mapped[str] = mapped_column(String(500), unique=True)
    #: Where it goes now: a path on this site (or an ``http(s)`` address).
    target: Mapped[str] = mapped_column(String(500))
    #: The post the old address meant, if any: while readers may not see it
    #: (a draft, scheduled, trashed), the old address answers 404 rather
    #: than telling where the post will be.
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    #: Who made it: ``"wordpress"`` (an import) or ``"manual"`` (an admin).
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Redirect {self.source} -> {self.target}>"
