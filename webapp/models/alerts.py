"""Urgent signals (a red check-in shared with "Tell my key worker now", an urgent message, a
help-again request for today), who was told about each, and who said "I have seen this"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .people import User

# Where an alert came from: the id is of a JournalEntry, a Message or a HelpRequest.
ALERT_SOURCES = ("check_in", "message", "help_request")


class Alert(Base):
    __tablename__ = "alerts"
    # A double press, a retry or two pages at once make one alert per thing.
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(Integer)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When the escalation clock starts: at once in office hours, else when the team opens.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    # 0 nobody told yet, 1 key workers and duty contact, 2 the manager, 3 every key worker.
    level: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_by: Mapped[datetime | None] = mapped_column(UTCDateTime)

    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    notices: Mapped[list[AlertNotice]] = relationship(
        back_populates="alert", order_by="AlertNotice.told_at, AlertNotice.id",
        cascade="all, delete-orphan",
    )  # fmt: skip


class AlertNotice(Base):
    """One person (or the team's shared inbox) told about one alert, and why."""

    __tablename__ = "alert_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    email: Mapped[str | None] = mapped_column(String(254))  # the team's shared inbox
    # "key_worker", "duty", "manager" or "team"
    reason: Mapped[str] = mapped_column(String(20))
    told_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="notices")
    user: Mapped[User | None] = relationship()


class HelpedAnswer(Base):
    """After an amber check-in: did this item of my Amber plan help? (yes, a bit, no)"""

    __tablename__ = "helped_answers"
    __table_args__ = (UniqueConstraint("entry_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("journal_entries.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(String(10))  # "yes", "a_bit", "no"
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
