"""What spam protection did, counted per day: the numbers behind the
dashboard's Spam panel. Counted when they happen (comments themselves are
purged after a few weeks, so they cannot be counted later)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model


class SpamTally(enum.StrEnum):
    #: Akismet gave a verdict (spam, blatant spam or ham).
    CHECKED = "checked"
    #: Akismet said spam (or blatant spam).
    SPAM = "spam"
    #: Akismet said ham.
    HAM = "ham"
    #: A moderator marked as Spam what Akismet had called ham.
    MISSED = "missed"
    #: A moderator marked as Not Spam what Akismet had called spam.
    FALSE_POSITIVE = "false_positive"


class SpamDailyCount(Model):
    __tablename__ = "spam_daily_counts"

    #: The day in UTC.
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<SpamDailyCount {self.day} {self.kind} {self.count}>"
