"""Web push subscriptions, and an outbox so a push or email that fails is kept and retried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class PushSubscription(Base):
    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxItem(Base):
    """One push or email to send. Never holds message text or health details."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "push", "email" (a message is waiting, or something urgent for staff), "reset" (a password
    # reset link) or "invite"
    kind: Mapped[str] = mapped_column(String(10))
    # None for an invitation (no account yet) or an email to a team's shared inbox (`to_email`).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    to_email: Mapped[str | None] = mapped_column(String(254))
    # What it says: None for "a new message", "urgent" for staff, "reminder" to check in,
    # "next-changed" or "next-reminder" for What happens next.
    topic: Mapped[str | None] = mapped_column(String(20))
    # The password reset or invitation a link email is for. Its token is made when the email
    # is sent (a new one on each retry), so the outbox never holds a usable link.
    ref_id: Mapped[int | None] = mapped_column(Integer)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL")
    )
    # Stops the same email being queued twice for the same unread message.
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # A sender (a queue worker, `notify send-pending`, the web process) claims a row with a
    # conditional UPDATE before it sends: only the holder of the token sends it, so two
    # workers never send the same push twice. A claim ends when the sender finishes, or at
    # `claimed_until` if it died.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Failed NOTIFY_MAX_ATTEMPTS times (not "gone"): the dead-letter list a manager can retry.
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
