"""Closing key working, and the open door afterwards: "I would like help again"."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class ClosingReason(enum.StrEnum):
    GOALS_MET = "goals_met"
    ADULT_SERVICES = "adult_services"
    MOVED_AWAY = "moved_away"
    FAMILY_ASKED = "family_asked"
    OTHER = "other"


class CaseClosure(Base):
    """One ending of key working. Planned first (the family sees it coming), then closed."""

    __tablename__ = "case_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    summary: Mapped[str] = mapped_column(Text)  # for the family, in plain words
    supported_by: Mapped[str] = mapped_column(Text)  # who supports them now, how to reach them
    if_harder: Mapped[str] = mapped_column(Text)  # what to do if things get harder
    reason: Mapped[ClosingReason] = mapped_column(enum_column(ClosingReason, "closing_reason"))
    closes_on: Mapped[date] = mapped_column(Date)
    planned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The plan version the family keeps reading after key working ends.
    plan_version: Mapped[int | None] = mapped_column(Integer)

    planned_by: Mapped[User] = relationship(foreign_keys=[planned_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])


class Urgency(enum.StrEnum):
    TODAY = "today"
    THIS_WEEK = "this_week"
    NOT_URGENT = "not_urgent"


class ContactWay(enum.StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    APP = "app"


class HelpRequest(Base):
    """A request for help again. A case has at most one open request: a second ask while one is
    open is stored as an addition to it (`part_of`), with its own author and sharing."""

    __tablename__ = "help_requests"
    __table_args__ = (UniqueConstraint("author_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    part_of_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id"), index=True)
    # Who in the family sees it is decided by policy.WHO_SEES; this is the writer's choice.
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    client_key: Mapped[str] = mapped_column(String(64))
    happening: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(120), default="")
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, "urgency"))
    contact_way: Mapped[ContactWay] = mapped_column(enum_column(ContactWay, "contact_way"))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    best_times: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_by: Mapped[date | None] = mapped_column(Date)
    contact_made: Mapped[str | None] = mapped_column(Text)
    contact_made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signposted_to: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    part_of: Mapped[HelpRequest | None] = relationship(remote_side=[id])

    @property
    def head(self) -> HelpRequest:
        """The request the team acts on: itself, or the one it was added to."""
        return self.part_of or self

    @property
    def done(self) -> bool:
        head = self.head
        return head.reopened_at is not None or head.closed_at is not None

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split() if t]
