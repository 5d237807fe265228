"""Store a thing once per client key: a double tap, a retry or the back button gives back the
row the first request made (the unique constraint settles a race between two at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db

T = TypeVar("T")


def find(model: type[T], author_id: int, client_key: str) -> T | None:
    return db.session.scalar(
        select(model).where(model.author_id == author_id, model.client_key == client_key)
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
        return find(model, author_id, client_key)
    return row
