"""Versions of the easy-read library and their reviews by experts by experience."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, enum_column, utcnow
from .people import User


class ContentStatus(enum.StrEnum):
    WAITING = "waiting"  # waiting for review
    APPROVED = "approved"  # families can see it (the newest approved one)
    CHANGES = "changes"  # a reviewer asked for a change


class ContentVersion(Base):
    __tablename__ = "content_versions"
    __table_args__ = (UniqueConstraint("topic", "language", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)
    language: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # [{"text": ..., "picture": ..., "alt": ...}, ...] as JSON
    chunks: Mapped[str] = mapped_column(Text)
    status: Mapped[ContentStatus] = mapped_column(
        enum_column(ContentStatus, "content_status"), default=ContentStatus.WAITING
    )
    source: Mapped[str] = mapped_column(String(10))  # "file" or "app"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reviews: Mapped[list[ContentReview]] = relationship(
        back_populates="version", order_by="ContentReview.created_at", cascade="all, delete-orphan"
    )


class ReviewDecision(enum.StrEnum):
    APPROVE = "approve"
    CHANGE = "change"


class ContentReview(Base):
    __tablename__ = "content_reviews"
    __table_args__ = (UniqueConstraint("version_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("content_versions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[ReviewDecision] = mapped_column(enum_column(ReviewDecision, "review_decision"))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[ContentVersion] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()


# Translations of the interface ---------------------------------------------------------------


class ReviewerLanguage(Base):
    """A language a reviewer reads well enough to check a translation into it."""

    __tablename__ = "reviewer_languages"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StringCheck(Base):
    """A reviewer who reads the language said this translation of this English is right.
    Both are kept as hashes: a changed translation needs checking again."""

    __tablename__ = "string_checks"
    __table_args__ = (UniqueConstraint("language", "english_hash", "translation_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8), index=True)
    english_hash: Mapped[str] = mapped_column(String(64))
    translation_hash: Mapped[str] = mapped_column(String(64))
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LanguageApproval(Base):
    """Every string of a language's catalogue, exactly as it is (its digest), was checked: pages
    in that language lose the "Translated by computer" label until the catalogue changes."""

    __tablename__ = "language_approvals"

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    catalogue_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
