"""Teams and cases: who is supported, by whom, and how urgently (DSR rating)."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    area: Mapped[str] = mapped_column(String(160))
    # Office hours: weekdays as digits, Monday = 0 (so "01234" is Monday to Friday).
    office_days: Mapped[str] = mapped_column(String(7), default="01234")
    office_opens: Mapped[time] = mapped_column(Time, default=time(9, 0))
    office_closes: Mapped[time] = mapped_column(Time, default=time(17, 0))
    crisis_line_name: Mapped[str] = mapped_column(String(160))
    crisis_line_phone: Mapped[str] = mapped_column(String(40))
    # The team's own number (office hours), shown on each young person's crisis card.
    phone: Mapped[str | None] = mapped_column(String(40))
    # How soon the team promises to contact someone who asks for help again.
    response_working_days: Mapped[int] = mapped_column(Integer, default=2)
    # Urgent signals: a shared inbox also told at once (the duty person is a flag on User),
    # and after how many minutes without "I have seen this" the manager, then everyone, is told.
    duty_email: Mapped[str | None] = mapped_column(String(254))
    escalate_manager_minutes: Mapped[int] = mapped_column(Integer, default=30)
    escalate_team_minutes: Mapped[int] = mapped_column(Integer, default=60)


class CaseStatus(enum.StrEnum):
    REFERRED = "referred"
    ACTIVE = "active"
    CLOSED = "closed"


class DsrRating(enum.StrEnum):
    """Dynamic Support Register rating. Blue means the young person is in hospital."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"


class KeyWorkerRole(enum.StrEnum):
    ASSISTANT = "assistant"
    SENIOR = "senior"


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(
        enum_column(CaseStatus, "case_status"), default=CaseStatus.REFERRED
    )
    dsr_rating: Mapped[DsrRating] = mapped_column(enum_column(DsrRating, "dsr_rating"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Under 16, a key worker may record that the young person is competent to decide what
    # their carers see (Gillick competence), with the reason.
    competent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    competent_reason: Mapped[str | None] = mapped_column(Text)
    competent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Lines of the crisis card the young person (once they decide) chose to leave off.
    crisis_card_hidden: Mapped[str] = mapped_column(String(120), default="")
    # When the young person has died, their records are kept for 8 years from that day
    # (NHS Records Management Code of Practice), recorded by the team's manager.
    died_on: Mapped[date | None] = mapped_column(Date)
    died_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    young_person: Mapped[User] = relationship(foreign_keys=[young_person_id])
    competent_by: Mapped[User | None] = relationship(foreign_keys=[competent_by_id])
    team: Mapped[Team] = relationship()
    key_workers: Mapped[list[CaseKeyWorker]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseKeyWorker.assigned_at"
    )
    carers: Mapped[list[CaseCarer]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )


class CaseKeyWorker(Base):
    __tablename__ = "case_key_workers"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[KeyWorkerRole] = mapped_column(enum_column(KeyWorkerRole, "key_worker_role"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="key_workers")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])


class CaseCarer(Base):
    __tablename__ = "case_carers"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    relationship_to_young_person: Mapped[str] = mapped_column(String(60), default="parent")
    # Plan sections the young person chose to keep from this carer (values, space-separated).
    # Only in force while the young person decides (16 or over, or recorded as competent).
    hidden_sections: Mapped[str] = mapped_column(String(120), default="")
    # Single plan items (their keys, which stay the same across versions) kept from this
    # carer, chosen among the items staff marked sensitive. In force on the same terms.
    hidden_items: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="carers")
    user: Mapped[User] = relationship()
