"""A change counter per table, so a cached page knows when what it read has changed."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class PageGeneration(Base):
    """Goes up by one in every transaction that writes to the table `name` (webapp/page_cache.py
    does it as the transaction commits, so the count and the data change together)."""

    __tablename__ = "page_generations"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
