"""Teams and cases: who is supported, by whom, and how urgently (DSR rating)."""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import ForeignKey, Integer, String, Time
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
    # How soon the team promises to contact someone who asks for help again.
    response_working_days: Mapped[int] = mapped_column(Integer, default=2)


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

    young_person: Mapped[User] = relationship(foreign_keys=[young_person_id])
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

    case: Mapped[Case] = relationship(back_populates="carers")
    user: Mapped[User] = relationship()
