"""The audit trail: who did what to which record, and when. Never the content.

Append-only: the database refuses UPDATE and DELETE on this table (triggers made by the
migration), so not even the app can rewrite history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # No foreign keys: the trail outlives the rows it speaks of (retention removes them).
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_role: Mapped[str] = mapped_column(String(20))  # a Role value, or "system"
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    record_type: Mapped[str] = mapped_column(String(40))  # a table name, or "plan", "timeline"
    record_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # read, create, update, delete, denied…
    session_hash: Mapped[str | None] = mapped_column(String(64))
