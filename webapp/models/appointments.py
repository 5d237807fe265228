"""What happens next: appointments and meetings on a case, notes after them, what the young
person wants to say, reminder choices and private calendar feeds."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class AppointmentKind(enum.StrEnum):
    KEY_WORKER_VISIT = "key_worker_visit"
    CETR = "cetr"  # Care (Education) and Treatment Review
    EHCP_REVIEW = "ehcp_review"
    SCHOOL = "school"
    DOCTOR = "doctor"
    HOSPITAL = "hospital"
    CAMHS = "camhs"
    ADULT_SERVICES = "adult_services"  # moving to adult services
    OTHER = "other"


class Attendance(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (UniqueConstraint("author_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AppointmentKind] = mapped_column(enum_column(AppointmentKind, "appointment_kind"))
    title: Mapped[str | None] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    how: Mapped[Attendance] = mapped_column(enum_column(Attendance, "attendance"))
    place: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(Text)
    what_happens: Mapped[str | None] = mapped_column(Text)
    what_to_bring: Mapped[str | None] = mapped_column(Text)
    # From 16 the young person decides whether parents and carers see it (policy.WHO_SEES).
    carers_see: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Made by the page that sent the form, so a double submit stores one appointment.
    client_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last change the family is shown: what the time and place were before it.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    was_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    was_place: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship()
    note: Mapped[AppointmentNote | None] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", uselist=False
    )


class AppointmentNote(Base):
    """After the meeting: what was agreed, in plain words, written by staff."""

    __tablename__ = "appointment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    words: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    appointment: Mapped[Appointment] = relationship(back_populates="note")
    author: Mapped[User] = relationship()


class ThingsToSay(Base):
    """ "Things I want to say", written by the young person before a meeting; private unless
    they share it with the team (never with carers)."""

    __tablename__ = "things_to_say"
    __table_args__ = (UniqueConstraint("appointment_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    words: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    appointment: Mapped[Appointment] = relationship()


class ReminderChoice(Base):
    """When a person wants reminding. No row: the default for their role."""

    __tablename__ = "reminder_choices"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day_before: Mapped[bool] = mapped_column(Boolean, default=False)
    morning: Mapped[bool] = mapped_column(Boolean, default=False)
    hour_before: Mapped[bool] = mapped_column(Boolean, default=False)


class CalendarFeed(Base):
    """A private calendar address. Only a hash of its token is kept; a new one replaces it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
