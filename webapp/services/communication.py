"""Communication needs (NHS Accessible Information Standard): ask, record, flag, share, act."""

from __future__ import annotations

from sqlalchemy import select

from .. import languages
from ..extensions import db
from ..models import CommunicationNeeds, Layout, TextSize, User, utcnow


def needs_for(user_ids: list[int]) -> dict[int, CommunicationNeeds]:
    if not user_ids:
        return {}
    rows = db.session.scalars(
        select(CommunicationNeeds).where(CommunicationNeeds.user_id.in_(user_ids))
    )
    return {row.user_id: row for row in rows if row.any}


def _app_language(named: str | None) -> str | None:
    """ "Urdu" or "ur" -> "ur" when the app speaks it now; None for languages it does not."""
    from flask import current_app

    code = languages.from_words(named)
    return code if code in current_app.config["LANGUAGES"] else None


def record(person: User, by: User, **values) -> CommunicationNeeds:
    """Record the needs and act on them: they become the person's starting settings."""
    needs = db.session.get(CommunicationNeeds, person.id)
    if needs is None:
        needs = CommunicationNeeds(user_id=person.id, recorded_by_id=by.id)
        db.session.add(needs)
    for key, value in values.items():
        setattr(needs, key, value)
    needs.recorded_by_id, needs.recorded_at = by.id, utcnow()

    prefs = person.preferences
    if needs.easy_read:
        prefs.layout = Layout.EASY_READ
    if needs.large_print and prefs.text_size is TextSize.STANDARD:
        prefs.text_size = TextSize.LARGE
    if needs.read_aloud:
        prefs.read_aloud = True
    language = _app_language(needs.language)
    if language:
        prefs.language = language
    db.session.commit()
    return needs
