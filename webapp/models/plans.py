"""The co-produced support plan: versions that are never overwritten, items in someone's words,
suggestions from the family, and each person's communication needs."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class Section(enum.StrEnum):
    ABOUT_ME = "about-me"
    GOALS = "goals"
    MOVING_ON = "moving-on"  # moving to adult services, from the team's transition age
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    WHO_HELPS = "who-helps"
    ACTIONS = "actions"


class Part(enum.StrEnum):
    """Where an item sits inside its section."""

    LIKES = "likes"  # what people like about me
    IMPORTANT = "important"  # what is important to me
    SUPPORT = "support"  # how to support me
    COMMUNICATION = "communication"  # how I communicate
    GOAL = "goal"
    AT_18 = "at-18"  # moving on: what changes at 18
    NEW_TEAM = "new-team"  # moving on: who the new team is, with how to reach them
    KEEP = "keep"  # moving on: what the young person wants to keep
    KEEPS_WELL = "keeps-well"  # green: what keeps me well
    SIGNS = "signs"  # amber and red: the signs
    HELPS = "helps"  # amber: what helps
    TO_DO = "to-do"  # red: what to do
    NOT_TO_DO = "not-to-do"  # red: what not to do (for whoever is helping)
    CALL = "call"  # red: who to call
    PERSON = "person"  # who helps me
    ACTION = "action"


SECTION_PARTS: dict[Section, tuple[Part, ...]] = {
    Section.ABOUT_ME: (Part.LIKES, Part.IMPORTANT, Part.SUPPORT, Part.COMMUNICATION),
    Section.GOALS: (Part.GOAL,),
    Section.MOVING_ON: (Part.AT_18, Part.NEW_TEAM, Part.KEEP),
    Section.GREEN: (Part.KEEPS_WELL,),
    Section.AMBER: (Part.SIGNS, Part.HELPS),
    Section.RED: (Part.SIGNS, Part.TO_DO, Part.NOT_TO_DO, Part.CALL),
    Section.WHO_HELPS: (Part.PERSON,),
    Section.ACTIONS: (Part.ACTION,),
}


class Words(enum.StrEnum):
    """Whose words an item is in."""

    YOUNG_PERSON = "young_person"
    CARER = "carer"
    KEY_WORKER = "key_worker"


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )


class PlanVersion(Base):
    """A whole plan as it stood after one change. Versions are only ever added."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # "Added an item to What keeps me well", in plain words, for the list of changes.
    change: Mapped[str] = mapped_column(String(300))
    family_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    family_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    staff_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    staff_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    family_agreed_by: Mapped[User | None] = relationship(foreign_keys=[family_agreed_by_id])
    staff_agreed_by: Mapped[User | None] = relationship(foreign_keys=[staff_agreed_by_id])
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="version",
        order_by="PlanItem.position",
        cascade="all, delete-orphan",
    )

    @property
    def agreed(self) -> bool:
        return self.family_agreed_at is not None and self.staff_agreed_at is not None

    @property
    def agreed_at(self) -> datetime | None:
        """When the second of the two agreed; None while one of them has not."""
        if self.family_agreed_at is None or self.staff_agreed_at is None:
            return None
        return max(self.family_agreed_at, self.staff_agreed_at)


class _ItemFields:
    """What an item says, the same in a published version and in a draft (so a draft item
    becomes a plan item field by field when shared)."""

    key: Mapped[str] = mapped_column(String(32))
    section: Mapped[Section] = mapped_column(enum_column(Section, "plan_section"))
    part: Mapped[Part] = mapped_column(enum_column(Part, "plan_part"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[Words] = mapped_column(enum_column(Words, "plan_words"))
    picture: Mapped[str | None] = mapped_column(String(40))
    picture_alt: Mapped[str | None] = mapped_column(String(120))
    # Only the young person (16 or over) can hide an item from their parents and carers.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Marked by staff: once the young person decides, they choose for each parent or carer
    # whether they see this item (CaseCarer.hidden_items).
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    # Actions (`due` is also the date, if any, of an item in Moving to adult services)
    owner: Mapped[str | None] = mapped_column(String(120))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus | None] = mapped_column(enum_column(ActionStatus, "action_status"))
    cetr: Mapped[bool] = mapped_column(Boolean, default=False)
    # An action that is a step in moving to adult services (shown in that section too).
    transition: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who helps me, and the new team in Moving to adult services: how to reach them
    contact: Mapped[str | None] = mapped_column(String(200))


class PlanItem(_ItemFields, Base):
    """One chunk of the plan in one version. `key` stays the same across versions."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True
    )

    version: Mapped[PlanVersion] = relationship(back_populates="items")


class PlanDraft(Base):
    """Staff changes not shared with the family yet: one row per plan, kept for good.

    While `base_number` is set, `items` is the whole plan as staff are changing it, started from
    that version. "Share these changes" makes one new version from it and empties it. `revision`
    only ever goes up (every change and every share), so a page that names an old revision is
    refused instead of overwriting someone else's change. The family never reads this table.
    """

    __tablename__ = "plan_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    base_number: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    items: Mapped[list[PlanDraftItem]] = relationship(
        back_populates="draft", order_by="PlanDraftItem.position", cascade="all, delete-orphan"
    )

    @property
    def open(self) -> bool:
        return self.base_number is not None


class PlanDraftItem(_ItemFields, Base):
    """One item of a draft: the same fields as PlanItem, so it becomes one when shared."""

    __tablename__ = "plan_draft_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("plan_drafts.id", ondelete="CASCADE"), index=True
    )

    draft: Mapped[PlanDraft] = relationship(back_populates="items")


class SuggestionStatus(enum.StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PlanSuggestion(Base):
    """Something the young person or a carer wants in the plan, in their own words."""

    __tablename__ = "plan_suggestions"
    __table_args__ = (UniqueConstraint("author_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    section: Mapped[Section] = mapped_column(enum_column(Section, "suggestion_section"))
    part: Mapped[Part] = mapped_column(enum_column(Part, "suggestion_part"))
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[Words] = mapped_column(enum_column(Words, "suggestion_words"))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Made by the form, so a double tap stores one suggestion (empty for older rows).
    client_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[SuggestionStatus] = mapped_column(
        enum_column(SuggestionStatus, "suggestion_status"), default=SuggestionStatus.WAITING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    plan: Mapped[Plan] = relationship()


class CommunicationNeeds(Base):
    """Accessible Information Standard: recorded once, flagged on every staff screen."""

    __tablename__ = "communication_needs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    read_aloud: Mapped[bool] = mapped_column(Boolean, default=False)
    bsl: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(60))
    # A spoken-language interpreter for meetings and phone calls (BSL is asked for above).
    interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    other: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def any(self) -> bool:
        return any(
            (
                self.easy_read,
                self.large_print,
                self.read_aloud,
                self.bsl,
                self.language,
                self.interpreter,
                self.other,
            )
        )
