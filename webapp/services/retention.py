"""Keeping records only as long as the law says, then removing them.

The policy (config): a closed case is kept until the young person's 25th birthday, or their
26th if they were 17 when key working ended, or for 8 years from the day they died when the
team's manager has recorded it (NHS Records Management Code of Practice for children's
records). Removing a case removes everything on it (plan, messages, journal,
requests; the database cascades), then the accounts of the young person and of carers who have
no other case. The audit trail keeps what was removed as ids and dates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import AuditEvent, Case, CaseCarer, CaseStatus, Invitation, User


@dataclass
class Due:
    case_id: int
    closed_on: date
    keep_until: date


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def keep_until(
    case: Case, until_age: int, until_age_if_17: int, years_after_death: int = 8
) -> date | None:
    """The last day a closed case is kept, or None when it cannot be worked out."""
    if case.closed_at is None:
        return None
    if case.died_on is not None:
        return _years_after(case.died_on, years_after_death)
    born = case.young_person.date_of_birth
    if born is None:
        return None
    age_at_end = case.young_person.age_on(case.closed_at.date())
    return _years_after(born, until_age_if_17 if age_at_end == 17 else until_age)


def due(today: date, until_age: int, until_age_if_17: int, years_after_death: int = 8) -> list[Due]:
    closed = db.session.scalars(select(Case).where(Case.status == CaseStatus.CLOSED)).all()
    found = []
    for case in closed:
        last = keep_until(case, until_age, until_age_if_17, years_after_death)
        if last is not None and today >= last and case.closed_at is not None:
            found.append(Due(case.id, case.closed_at.date(), last))
    return found


def _log(record_type: str, record_id: int, case_id: int | None) -> None:
    db.session.add(AuditEvent(actor_role="system", case_id=case_id, record_type=record_type,
                              record_id=record_id, action="retention"))  # fmt: skip


def remove(items: list[Due]) -> int:
    """Remove each case past its date, and the family accounts that no longer have a case."""
    removed = 0
    for item in items:
        case = db.session.get(Case, item.case_id)
        if case is None:
            continue
        people = [case.young_person_id, *(c.user_id for c in case.carers)]
        _log("cases", case.id, case.id)
        db.session.delete(case)
        db.session.flush()
        for user_id in people:
            still = db.session.scalar(select(CaseCarer).where(CaseCarer.user_id == user_id))
            if still is None:
                _remove_account(user_id, case.id)
        removed += 1
    db.session.commit()
    return removed


def _remove_account(user_id: int, case_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    _log("users", user_id, case_id)
    try:
        with db.session.begin_nested():
            db.session.execute(delete(Invitation).where(Invitation.user_id == user_id))
            db.session.delete(user)
    except IntegrityError:
        # Something staff wrote still points at the account: keep the row, with nothing in it.
        user = db.session.get(User, user_id)
        if user is not None:
            user.name, user.email = "Removed", f"removed-{user_id}@invalid.example"
            user.active, user.password_hash, user.date_of_birth = False, None, None
