"""What matters to me: check-ins the young person (or a carer) owns, private unless shared."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class Feeling(enum.StrEnum):
    GREEN = "green"  # I am OK
    AMBER = "amber"  # I am getting worried
    RED = "red"  # I am in crisis


TAGS = ("school", "sleep", "family", "friends", "food", "feelings", "money", "health", "home")


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("author_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    feeling: Mapped[Feeling] = mapped_column(enum_column(Feeling, "feeling"))
    words: Mapped[str | None] = mapped_column(Text)
    # Tag keys from TAGS, separated by spaces.
    tags: Mapped[str] = mapped_column(String(120), default="")
    talk: Mapped[bool] = mapped_column(Boolean, default=False)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person chose "Tell my key worker now" (never set without them choosing it).
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Made by the page that sent the form, so a double tap or a retry stores one entry.
    client_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split() if t]
