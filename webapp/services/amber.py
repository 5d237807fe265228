"""Amber meets my own plan: the agreed "what helps" items straight away, and later "Did it
help?" (yes, a bit, no) for each, shown beside those items in the staff plan editor."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Case, Feeling, HelpedAnswer, JournalEntry, Part, PlanItem, Section, User
from . import plans

ANSWERS = ("yes", "a_bit", "no")
ASK_FOR = timedelta(days=7)  # after a week nobody remembers: stop asking


def helps_items(case: Case, viewer: User) -> list[PlanItem]:
    """The Amber "what helps" items of the current agreed plan version, as this person sees it."""
    plan = plans.plan_for_case(case.id)
    version = plans.agreed_version(plan) if plan else None
    if version is None:
        return []
    return [
        i for i in sorted(plans.visible_items(version, viewer), key=lambda i: i.position)
        if i.section is Section.AMBER and i.part is Part.HELPS
    ]  # fmt: skip


def ask_after() -> timedelta:
    """ "Did it help?" comes later, not while it is happening (AMBER_ASK_AFTER_MINUTES)."""
    return current_app.config["AMBER_ASK_AFTER"]


def may_ask(entry: JournalEntry, now: datetime) -> bool:
    return entry.feeling is Feeling.AMBER and now - entry.created_at >= ask_after()


def answers_for(entry: JournalEntry) -> dict[str, str]:
    rows = db.session.scalars(select(HelpedAnswer).where(HelpedAnswer.entry_id == entry.id))
    return {r.item_key: r.answer for r in rows}


def save_answers(entry: JournalEntry, answers: dict[str, str], now: datetime) -> None:
    """One answer per item per check-in; answering again changes it."""
    found = {
        r.item_key: r
        for r in db.session.scalars(select(HelpedAnswer).where(HelpedAnswer.entry_id == entry.id))
    }
    for key, answer in answers.items():
        if answer not in ANSWERS:
            continue
        if key in found:
            found[key].answer, found[key].answered_at = answer, now
        else:
            db.session.add(HelpedAnswer(entry_id=entry.id, case_id=entry.case_id, item_key=key,
                                        answer=answer, answered_at=now))  # fmt: skip
    db.session.commit()


def waiting_to_ask(author: User, case: Case, now: datetime) -> list[JournalEntry]:
    """Amber check-ins from the last week, old enough to ask about, not answered yet."""
    if not helps_items(case, author):
        return []
    entries = db.session.scalars(
        select(JournalEntry).where(
            JournalEntry.author_id == author.id, JournalEntry.case_id == case.id,
            JournalEntry.feeling == Feeling.AMBER,
            JournalEntry.created_at <= now - ask_after(),
            JournalEntry.created_at >= now - ASK_FOR,
        ).order_by(JournalEntry.created_at.desc())
    ).all()  # fmt: skip
    answered = set(
        db.session.scalars(
            select(HelpedAnswer.entry_id).where(HelpedAnswer.entry_id.in_([e.id for e in entries]))
        )
    )
    return [e for e in entries if e.id not in answered]


def summary(case_id: int) -> dict[str, dict[str, int]]:
    """For the plan editor: per item key, how many times each answer was given."""
    result: dict[str, dict[str, int]] = {}
    for row in db.session.scalars(select(HelpedAnswer).where(HelpedAnswer.case_id == case_id)):
        counts = result.setdefault(row.item_key, dict.fromkeys(ANSWERS, 0))
        counts[row.answer] += 1
    return result
