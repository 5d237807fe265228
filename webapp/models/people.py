"""People: accounts, roles, personal settings, invitations and sign-in throttling."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Email, UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    YOUNG_PERSON = "young_person"
    CARER = "carer"
    KEY_WORKER = "key_worker"
    MANAGER = "manager"
    REVIEWER = "reviewer"

    @property
    def is_family(self) -> bool:
        return self in (Role.YOUNG_PERSON, Role.CARER)

    @property
    def is_staff(self) -> bool:
        return self in (Role.KEY_WORKER, Role.MANAGER)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(Email, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # Staff belong to one team; families reach a team through their case.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing the password ends reset links made before it.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Team settings, set by the manager: the duty contact is told of every urgent signal;
    # a person on leave is never told.
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    on_leave: Mapped[bool] = mapped_column(Boolean, default=False)
    # Staff second factor (TOTP). The secret is made at set-up; confirmed once a code from it
    # has worked. The last time step used stops a code being used twice.
    # Encrypted ("enc1:" + Fernet token, services/second_factor.py); never the secret in clear.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # The WebAuthn user handle: random, so a passkey says nothing about who the person is.
    passkey_handle: Mapped[bytes | None] = mapped_column(LargeBinary(64), unique=True)

    preferences: Mapped[Preferences] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan", lazy="joined"
    )
    team = relationship("Team", foreign_keys=[team_id])

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class TextSize(enum.StrEnum):
    STANDARD = "standard"
    LARGE = "large"
    LARGEST = "largest"


class Layout(enum.StrEnum):
    EASY_READ = "easy_read"
    STANDARD = "standard"


class Colours(enum.StrEnum):
    CALM = "calm"
    HIGH_CONTRAST = "high_contrast"


class Preferences(Base):
    """Personal settings, applied on every page by the server (no JavaScript needed)."""

    __tablename__ = "preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    text_size: Mapped[TextSize] = mapped_column(
        enum_column(TextSize, "text_size"), default=TextSize.STANDARD
    )
    layout: Mapped[Layout] = mapped_column(enum_column(Layout, "layout"), default=Layout.EASY_READ)
    pictures: Mapped[bool] = mapped_column(Boolean, default=True)
    read_aloud: Mapped[bool] = mapped_column(Boolean, default=True)
    colours: Mapped[Colours] = mapped_column(enum_column(Colours, "colours"), default=Colours.CALM)
    dyslexia_font: Mapped[bool] = mapped_column(Boolean, default=False)
    reduce_motion: Mapped[bool] = mapped_column(Boolean, default=True)
    # An email (with no message text) when a message waits unread and push does not work.
    email_when_unread: Mapped[bool] = mapped_column(Boolean, default=True)
    # Check-in reminders: none by default; "09:00" or "09:00 18:00" (the person's own times).
    reminder_times: Mapped[str] = mapped_column(String(11), default="")
    quiet_from: Mapped[time | None] = mapped_column(Time)
    quiet_until: Mapped[time | None] = mapped_column(Time)
    # None means "use the language my browser asks for".
    language: Mapped[str | None] = mapped_column(String(8))
    # "Keep my plan on this phone": off by default (a shared family phone).
    keep_on_phone: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(back_populates="preferences")


class Invitation(Base):
    """An emailed link that lets someone set a password. Only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(Email, index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "invitation_role"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # For a young person: the rating their new case starts with.
    dsr_rating: Mapped[str | None] = mapped_column(String(5))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SignInThrottle(Base):
    """Failed sign-ins per email address, known or not, so a lock never reveals an account."""

    __tablename__ = "sign_in_throttles"

    email_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordReset(Base):
    """A single-use emailed link to choose a new password. Only the token's hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
