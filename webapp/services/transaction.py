"""The end of a request that failed."""

from __future__ import annotations

from sqlalchemy.exc import DataError as RefusedValue

from ..extensions import db

__all__ = ["RefusedValue", "discard"]


def discard() -> None:
    """Forget what the failed request changed, so the error page starts clean."""
    db.session.rollback()
