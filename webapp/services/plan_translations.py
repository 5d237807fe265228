"""Plan items in a family member's language, made by a person who reads it.

A translation is kept per case, item key and language, with the English it was made from.
It is shown only while the item still says that English: after a change the family member
reads the English again (marked as English) and staff see the translation as out of date.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import TRANSLATED_FIELDS, Case, PlanItem, PlanTranslation, Section, User, utcnow

TEXT_MAX = 1000  # a translation may run longer than the English (500)
FIELD_MAX = {"picture_alt": 240, "owner": 240, "contact": 400}
MADE_BY_MAX = 120
ENGLISH = "en"
SECTIONS = list(Section)  # the plan's own order


class LanguageNotOffered(ValueError):
    """The app does not offer this language, so nobody could read the translation in it."""


class State(enum.StrEnum):
    MISSING = "missing"
    OUT_OF_DATE = "out-of-date"
    CURRENT = "current"


def offered_languages() -> tuple[str, ...]:
    """The languages a plan item can be translated into: every language but English."""
    return tuple(code for code in current_app.config["LANGUAGES"] if code != ENGLISH)


def family_languages(case: Case) -> dict[str, list[User]]:
    """The languages the young person and carers chose in their settings (not English)."""
    offered = offered_languages()
    people = [case.young_person, *(c.user for c in case.carers)]
    found: dict[str, list[User]] = {}
    for person in people:
        prefs = person.preferences
        if prefs is not None and prefs.language in offered:
            found.setdefault(prefs.language, []).append(person)
    return {code: found[code] for code in offered if code in found}


def source_fields(item: PlanItem) -> dict[str, str | None]:
    """What the family reads of an item, in English."""
    return {f: getattr(item, f) for f in TRANSLATED_FIELDS}


def is_current(translation: PlanTranslation, item: PlanItem) -> bool:
    return all(
        (getattr(translation, f"source_{f}") or None) == (getattr(item, f) or None)
        for f in TRANSLATED_FIELDS
    )


def translations_for(case_id: int, language: str | None = None) -> list[PlanTranslation]:
    query = select(PlanTranslation).where(PlanTranslation.case_id == case_id)
    if language is not None:
        query = query.where(PlanTranslation.language == language)
    return list(
        db.session.scalars(
            query.order_by(PlanTranslation.id).options(selectinload(PlanTranslation.entered_by))
        )
    )


def translation(case_id: int, key: str, language: str) -> PlanTranslation | None:
    return db.session.scalar(
        select(PlanTranslation).where(
            PlanTranslation.case_id == case_id,
            PlanTranslation.item_key == key,
            PlanTranslation.language == language,
        )
    )


@dataclass
class Status:
    item: PlanItem
    language: str
    translation: PlanTranslation | None
    state: State


def statuses(case: Case, items: list[PlanItem], languages: list[str]) -> list[Status]:
    """Each item in each language: not translated, out of date, or current."""
    found = {(t.item_key, t.language): t for t in translations_for(case.id)}
    result = []
    for language in languages:
        for item in sorted(items, key=lambda i: (SECTIONS.index(i.section), i.position)):
            existing = found.get((item.key, language))
            if existing is None:
                state = State.MISSING
            elif is_current(existing, item):
                state = State.CURRENT
            else:
                state = State.OUT_OF_DATE
            result.append(Status(item, language, existing, state))
    return result


def to_do_count(case: Case, items: list[PlanItem]) -> int:
    """How many items in the family's languages are not translated yet or out of date."""
    rows = statuses(case, items, list(family_languages(case)))
    return sum(1 for row in rows if row.state is not State.CURRENT)


def record(
    case: Case, item: PlanItem, language: str, by: User, made_by: str, values: dict[str, str]
) -> PlanTranslation:
    """Add or update the translation of one item, made from the item's English as it is now.
    `values` holds the translated fields; one left empty shows the English (a name, a number).
    The form checks lengths and emptiness first; this refuses what no form could send."""
    if language not in offered_languages():
        raise LanguageNotOffered(language)
    text = (values.get("text") or "").strip()
    if not text or not made_by.strip():
        raise ValueError("a translation needs its text and who made it")
    found = translation(case.id, item.key, language)
    if found is None:
        found = PlanTranslation(case_id=case.id, item_key=item.key, language=language)
        db.session.add(found)
    found.text = text[:TEXT_MAX]
    for name, limit in FIELD_MAX.items():
        typed = (values.get(name) or "").strip()
        setattr(found, name, typed[:limit] if typed and getattr(item, name) else None)
    for name, english in source_fields(item).items():
        setattr(found, f"source_{name}", english)
    found.made_by = made_by.strip()[:MADE_BY_MAX]
    found.entered_by_id = by.id
    found.recorded_at = utcnow()
    db.session.commit()
    return found


class ReadItem:
    """A plan item as a family member reads it: in their language where a current
    translation exists, else the English, marked so the page says which is which."""

    def __init__(self, item: PlanItem, found: PlanTranslation | None, language: str) -> None:
        self._item = item
        self.translation = found if found is not None and is_current(found, item) else None
        # Fields shown in English on a page in another language (marked lang="en").
        self.english_fields: frozenset[str] = frozenset()
        if language != ENGLISH:
            self.english_fields = frozenset(
                f
                for f in TRANSLATED_FIELDS
                if getattr(item, f)
                and (self.translation is None or not getattr(self.translation, f))
            )
        self.in_english = language != ENGLISH and self.translation is None

    def __getattr__(self, name: str) -> Any:
        if name in TRANSLATED_FIELDS and self.translation is not None:
            return getattr(self.translation, name) or getattr(self._item, name)
        return getattr(self._item, name)


def for_reader(case_id: int, items: list[PlanItem], language: str) -> list[ReadItem]:
    found = {}
    if language != ENGLISH:
        found = {t.item_key: t for t in translations_for(case_id, language)}
    return [ReadItem(i, found.get(i.key), language) for i in items]


def fingerprint(case_id: int) -> str:
    """Changes whenever one of the case's translations does (for the kept offline copy)."""
    rows = [(t.id, t.recorded_at.isoformat()) for t in translations_for(case_id)]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
