"""The key worker's register (the Dynamic Support Register): the rating over time, time in
hospital, and the team's register settings. Every change is a new row: history is never
rewritten."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .cases import DsrRating
from .people import User


class RatingChange(Base):
    """One rating on the register, from the moment it was given. The newest row is the rating."""

    __tablename__ = "rating_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    rating: Mapped[DsrRating] = mapped_column(enum_column(DsrRating, "rating_change_rating"))
    reason: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)
    # The team chose to tell the family (in kind words, never the reason).
    show_family: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by a rule (going into hospital, the team's rule after discharge), not chosen by hand.
    by_rule: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User | None] = relationship()


class AdmissionKind(enum.StrEnum):
    FORMAL = "formal"  # detained under the Mental Health Act
    INFORMAL = "informal"


class HospitalAdmission(Base):
    __tablename__ = "hospital_admissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    admitted_on: Mapped[date] = mapped_column(Date)
    hospital: Mapped[str] = mapped_column(String(160))
    ward: Mapped[str] = mapped_column(String(160))
    phone: Mapped[str] = mapped_column(String(40))
    kind: Mapped[AdmissionKind] = mapped_column(enum_column(AdmissionKind, "admission_kind"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    discharge: Mapped[HospitalDischarge | None] = relationship(
        back_populates="admission", uselist=False
    )


class HospitalDischarge(Base):
    """Leaving hospital, with the follow-up the team must make within 72 hours."""

    __tablename__ = "hospital_discharges"

    id: Mapped[int] = mapped_column(primary_key=True)
    admission_id: Mapped[int] = mapped_column(
        ForeignKey("hospital_admissions.id", ondelete="CASCADE"), unique=True
    )
    discharged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    discharged_to: Mapped[str] = mapped_column(String(200))
    follow_up_due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    admission: Mapped[HospitalAdmission] = relationship(back_populates="discharge")
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    follow_up_done_by: Mapped[User | None] = relationship(foreign_keys=[follow_up_done_by_id])


class RegisterSettings(Base):
    """A team's register rules. A team without a row uses the defaults below."""

    __tablename__ = "register_settings"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    # After leaving hospital: this rating, to be reviewed after this many days.
    after_discharge_rating: Mapped[DsrRating] = mapped_column(
        enum_column(DsrRating, "after_discharge_rating"), default=DsrRating.RED
    )
    after_discharge_days: Mapped[int] = mapped_column(Integer, default=14)
    caseload_limit: Mapped[int] = mapped_column(Integer, default=10)
    transition_age: Mapped[int] = mapped_column(Integer, default=17)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReferralSource(enum.StrEnum):
    DSR_MEETING = "dsr_meeting"
    INPATIENT_REVIEW = "inpatient_review"
    CETR = "cetr"  # a Care (Education) and Treatment Review
    OTHER = "other"


class Condition(enum.StrEnum):
    """What makes a young person eligible for key working (with their age and the register)."""

    LEARNING_DISABILITY = "learning_disability"
    AUTISM = "autism"
    BOTH = "both"
    NEITHER = "neither"


class Referral(Base):
    """How a case came to the team. A correction is a new row; the newest is current."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    source: Mapped[ReferralSource] = mapped_column(enum_column(ReferralSource, "referral_source"))
    source_detail: Mapped[str | None] = mapped_column(String(200))
    referred_on: Mapped[date] = mapped_column(Date)
    condition: Mapped[Condition] = mapped_column(enum_column(Condition, "condition"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship()


class ConsentGiver(enum.StrEnum):
    YOUNG_PERSON = "young_person"
    PARENT_OR_CARER = "parent_or_carer"


class ConsentWay(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    WRITING = "writing"


class RegisterConsent(Base):
    """Permission to be on the register, given or withdrawn. Each is a new row; the newest
    says whether the young person is on the register."""

    __tablename__ = "register_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    given: Mapped[bool] = mapped_column(Boolean)  # False: permission withdrawn
    giver: Mapped[ConsentGiver] = mapped_column(enum_column(ConsentGiver, "consent_giver"))
    giver_name: Mapped[str] = mapped_column(String(120))
    decided_on: Mapped[date] = mapped_column(Date)
    way: Mapped[ConsentWay] = mapped_column(enum_column(ConsentWay, "consent_way"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship()


class Barrier(Base):
    """Something that blocks the plan (for example "no school place for 6 weeks")."""

    __tablename__ = "barriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    raised_with: Mapped[str] = mapped_column(String(200))
    raised_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set once, when the outcome closes it; what happened is in its steps.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    steps: Mapped[list[BarrierStep]] = relationship(
        back_populates="barrier", order_by="BarrierStep.created_at"
    )


class BarrierStepKind(enum.StrEnum):
    ESCALATED = "escalated"
    OUTCOME = "outcome"


class BarrierStep(Base):
    """A senior practitioner or manager escalates a barrier, then records the outcome."""

    __tablename__ = "barrier_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    barrier_id: Mapped[int] = mapped_column(
        ForeignKey("barriers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[BarrierStepKind] = mapped_column(enum_column(BarrierStepKind, "barrier_step"))
    text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    barrier: Mapped[Barrier] = relationship(back_populates="steps")
    by: Mapped[User] = relationship()
