"""Listening and learning: "Tell us what you think" (Ask Listen Do), "How are we doing?" and
the needs key workers could not meet (service gaps)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class FeedbackKind(enum.StrEnum):
    GOOD = "good"  # something good
    IDEA = "idea"  # a worry or an idea
    COMPLAINT = "complaint"


# Themes staff add to feedback, so the manager sees what the service learns (fixed keys: no
# free text, so a theme never carries anything a family wrote).
THEMES = ("communication", "waiting", "key_worker", "plan", "other_services", "crisis", "app")


class Feedback(Base):
    """Feedback from a young person or a carer. Nobody can change or delete what they wrote:
    staff add what happened to it (looked at, what we did, a reply) beside it."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("author_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[FeedbackKind] = mapped_column(enum_column(FeedbackKind, "feedback_kind"))
    words: Mapped[str] = mapped_column(Text)
    # The writer's choice: shared with the case's key worker. Not shared means only the team's
    # manager knows about it (policy.WHO_SEES, Kind.FEEDBACK).
    shared: Mapped[bool] = mapped_column(Boolean, default=True)
    # The language the person reads the app in when they wrote, for the reply.
    language: Mapped[str] = mapped_column(String(8), default="en")
    client_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    looked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    looked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    what_we_did: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Theme keys from THEMES, separated by spaces.
    themes: Mapped[str] = mapped_column(String(200), default="")

    author: Mapped[User] = relationship(foreign_keys=[author_id])

    @property
    def theme_list(self) -> list[str]:
        return [t for t in self.themes.split() if t]

    @property
    def stage(self) -> str:
        """received, looked_at or done."""
        if self.done_at is not None:
            return "done"
        return "looked_at" if self.looked_at is not None else "received"


SCALE = (1, 2, 3, 4, 5)
QUESTIONS = ("listened", "know_contact", "better")


class SurveyAnswer(Base):
    """One answer to "How are we doing?" (or a skip). Staff see counts only; the comment is
    read by the team's manager, never by the key worker (policy.WHO_SEES)."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at_closing: Mapped[bool] = mapped_column(Boolean, default=False)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    listened: Mapped[int | None] = mapped_column(Integer)
    know_contact: Mapped[int | None] = mapped_column(Integer)
    better: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class Need(enum.StrEnum):
    """Needs a key worker could not meet: counted for commissioners, never with names."""

    AUTISM_CAMHS = "autism_camhs"
    RESPITE = "respite"
    SCHOOL_PLACE = "school_place"
    SOCIAL_CARE = "social_care"
    HOUSING = "housing"
    ADULT_SERVICES = "adult_services"
    SPEECH_THERAPY = "speech_therapy"
    OTHER = "other"


class ServiceGap(Base):
    __tablename__ = "service_gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    need: Mapped[Need] = mapped_column(enum_column(Need, "need"))
    noted_on: Mapped[date] = mapped_column(Date)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
