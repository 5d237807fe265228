"""Store a thing once per client key: a double tap, a retry or the back button gives back the
row the first request made (the unique constraint settles a race between two at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.base import Base

T = TypeVar("T", bound=Base)  # a model with a unique (author_id, client_key) pair


def find(model: type[T], author_id: int, client_key: str) -> T | None:
    columns = model.__table__.c
    return db.session.scalar(
        select(model).where(columns.author_id == author_id, columns.client_key == client_key)
    )


def create_once(model: type[T], author_id: int, client_key: str, make: Callable[[], T]) -> T:
    existing = find(model, author_id, client_key)
    if existing is not None:
        return existing
    row = make()
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # the same form arrived twice at the same moment
        db.session.rollback()
        first = find(model, author_id, client_key)
        if first is None:  # another constraint failed: not a repeat of this form
            raise
        return first
    return row
