"""A plan item put into a family member's language by a person who reads it.

Staff write the plan in English. A translation keeps the English it was made from, so when
the item changes (a new version, an edit) the app knows the translation is out of date and
shows the English again until someone updates it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .people import User

# The fields of an item a family member reads, in the order the form asks for them.
TRANSLATED_FIELDS = ("text", "picture_alt", "owner", "contact")


class PlanTranslation(Base):
    """One item (by its `key`, the same in every version) in one language, for one case."""

    __tablename__ = "plan_translations"
    __table_args__ = (UniqueConstraint("case_id", "item_key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    picture_alt: Mapped[str | None] = mapped_column(String(240))
    owner: Mapped[str | None] = mapped_column(String(240))
    contact: Mapped[str | None] = mapped_column(String(400))
    # The English it was made from: when the item no longer says this, it is out of date.
    source_text: Mapped[str] = mapped_column(Text)
    source_picture_alt: Mapped[str | None] = mapped_column(String(120))
    source_owner: Mapped[str | None] = mapped_column(String(120))
    source_contact: Mapped[str | None] = mapped_column(String(200))
    # Who translated it, in the key worker's words ("Interpreter: Farah Khan").
    made_by: Mapped[str] = mapped_column(String(120))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])
