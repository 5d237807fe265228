"""What matters to me: check-ins, details, sharing, and the calm look back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Case, Feeling, JournalEntry, User, utcnow
from . import once

WORDS_MAX = 1000
# Shared amber, red or "I want to talk" check-ins this recent are flagged on caseloads.
ATTENTION_PERIOD = timedelta(days=14)
SERIOUSNESS = {Feeling.GREEN: 0, Feeling.AMBER: 1, Feeling.RED: 2}


def check_in(
    author: User, case: Case, feeling: Feeling, client_key: str, made_at: datetime | None = None
) -> JournalEntry:
    """Store one check-in. The same client key from the same person gives back the same entry.
    `made_at`: when a check-in kept on the phone with no signal was made."""
    return once.create_once(
        JournalEntry, author.id, client_key,
        lambda: JournalEntry(author_id=author.id, case_id=case.id, feeling=feeling,
                             client_key=client_key, created_at=made_at or utcnow()),
    )  # fmt: skip


def entry_by_id(entry_id: int) -> JournalEntry | None:
    return db.session.get(JournalEntry, entry_id)


def save_details(entry: JournalEntry, words: str, tags: list[str], talk: bool, share: bool) -> None:
    entry.words = words or None
    entry.tags = " ".join(tags)
    entry.talk = talk
    _share(entry, share or talk)
    db.session.commit()


def _share(entry: JournalEntry, share: bool) -> None:
    if share and not entry.shared:
        entry.shared_at = utcnow()
    entry.shared = share
    if not share:
        entry.shared_at = None


def tell_key_worker(entry: JournalEntry) -> None:
    """Only ever called when the person pressed "Tell my key worker now"."""
    entry.urgent = True
    entry.talk = True
    _share(entry, True)
    db.session.commit()


def entries_by(author: User) -> list[JournalEntry]:
    return list(
        db.session.scalars(
            select(JournalEntry)
            .where(JournalEntry.author_id == author.id)
            .order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())
        )
    )


def shared_for_case(case_id: int) -> list[JournalEntry]:
    return list(
        db.session.scalars(
            select(JournalEntry)
            .where(JournalEntry.case_id == case_id, JournalEntry.shared.is_(True))
            .order_by(JournalEntry.created_at.desc(), JournalEntry.id.desc())
            .options(selectinload(JournalEntry.author))
        )
    )


def needs_attention(entry: JournalEntry) -> bool:
    return entry.urgent or entry.talk or entry.feeling is not Feeling.GREEN


def attention_counts(case_ids: list[int], since: datetime) -> dict[int, int]:
    """Shared check-ins in the period that are amber or red, or ask to talk, per case."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(JournalEntry.case_id, func.count(JournalEntry.id))
        .where(
            JournalEntry.case_id.in_(case_ids),
            JournalEntry.shared.is_(True),
            JournalEntry.created_at >= since,
            or_(
                JournalEntry.feeling != Feeling.GREEN,
                JournalEntry.talk.is_(True),
                JournalEntry.urgent.is_(True),
            ),
        )
        .group_by(JournalEntry.case_id)
    )
    return dict(rows.all())


@dataclass
class Timeline:
    this_week: list[JournalEntry]
    last_week: list[JournalEntry]
    earlier: list[JournalEntry]


def timeline(entries: list[JournalEntry], today: date, local_day) -> Timeline:
    """Entries in three calm groups. `local_day` turns a stored time into the person's day."""
    monday = today - timedelta(days=today.weekday())
    last_monday = monday - timedelta(days=7)
    groups = Timeline([], [], [])
    for entry in entries:
        day = local_day(entry.created_at)
        if day >= monday:
            groups.this_week.append(entry)
        elif day >= last_monday:
            groups.last_week.append(entry)
        else:
            groups.earlier.append(entry)
    return groups


def four_weeks(entries: list[JournalEntry], today: date, local_day) -> dict[Feeling, int]:
    """How many days in the last 4 weeks were green, amber or red (the most serious that day)."""
    start = today - timedelta(days=27)
    days: dict[date, Feeling] = {}
    for entry in entries:
        day = local_day(entry.created_at)
        if start <= day <= today:
            worst = days.get(day)
            if worst is None or SERIOUSNESS[entry.feeling] > SERIOUSNESS[worst]:
                days[day] = entry.feeling
    counts = {feeling: 0 for feeling in Feeling}
    for feeling in days.values():
        counts[feeling] += 1
    return counts
