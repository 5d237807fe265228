"""Cases, caseloads and teams."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    Case,
    CaseCarer,
    CaseKeyWorker,
    CaseStatus,
    DsrRating,
    KeyWorkerRole,
    Role,
    Team,
    User,
    utcnow,
)


def _with_people():
    # One row each for the young person and the team: joined into the case's own query.
    return (
        selectinload(Case.key_workers).joinedload(CaseKeyWorker.user),
        selectinload(Case.carers).joinedload(CaseCarer.user),
        joinedload(Case.young_person),
        joinedload(Case.team),
    )


def case_by_id(case_id: int) -> Case | None:
    return db.session.scalar(select(Case).where(Case.id == case_id).options(*_with_people()))


def cases_by_ids(case_ids: set[int]) -> dict[int, Case]:
    """Many cases with their people in one go (a list page must not pay a query per case)."""
    if not case_ids:
        return {}
    stmt = select(Case).where(Case.id.in_(case_ids)).options(*_with_people())
    return {case.id: case for case in db.session.scalars(stmt).unique()}


def case_for_family_member(user: User) -> Case | None:
    """The case a young person or carer belongs to (one case per family)."""
    stmt = (
        select(Case)
        .outerjoin(CaseCarer, CaseCarer.case_id == Case.id)
        .where(or_(Case.young_person_id == user.id, CaseCarer.user_id == user.id))
        .options(*_with_people())
        .limit(1)
    )
    return db.session.scalar(stmt)


_STATUS_ORDER = {CaseStatus.ACTIVE: 0, CaseStatus.REFERRED: 1, CaseStatus.CLOSED: 2}


def _sorted(cases: list[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (_STATUS_ORDER[c.status], c.young_person.name.lower()))


def caseload(key_worker: User) -> list[Case]:
    stmt = (
        select(Case)
        .join(CaseKeyWorker, CaseKeyWorker.case_id == Case.id)
        .where(CaseKeyWorker.user_id == key_worker.id)
        .options(*_with_people())
    )
    return _sorted(list(db.session.scalars(stmt).unique()))


def team_cases(team_id: int) -> list[Case]:
    stmt = select(Case).where(Case.team_id == team_id).options(*_with_people())
    return _sorted(list(db.session.scalars(stmt).unique()))


def team_by_id(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def team_key_workers(team_id: int) -> list[User]:
    stmt = (
        select(User)
        .where(User.team_id == team_id, User.role == Role.KEY_WORKER, User.active.is_(True))
        .order_by(User.name)
    )
    return list(db.session.scalars(stmt))


def assign_key_worker(
    case: Case, key_worker: User, role: KeyWorkerRole, by: User | None = None
) -> bool:
    """Add a key worker to a case, or change their role. False if nothing changed."""
    for existing in case.key_workers:
        if existing.user_id == key_worker.id:
            if existing.role == role:
                return False
            existing.role = role
            db.session.commit()
            return True
    case.key_workers.append(
        CaseKeyWorker(user_id=key_worker.id, role=role, assigned_by_id=by.id if by else None)
    )
    if case.status is CaseStatus.REFERRED:
        case.status = CaseStatus.ACTIVE
    db.session.commit()
    return True


def remove_key_worker(case: Case, key_worker_id: int) -> bool:
    for existing in list(case.key_workers):
        if existing.user_id == key_worker_id:
            case.key_workers.remove(existing)
            db.session.commit()
            return True
    return False


def link_carer(case_id: int, user: User) -> None:
    """Attach an invited carer to their case. The caller commits."""
    db.session.add(CaseCarer(case_id=case_id, user_id=user.id))


def open_case(young_person: User, team_id: int, dsr_rating: DsrRating) -> Case:
    """A new referral for an invited young person. The caller commits."""
    from . import register

    case = Case(young_person_id=young_person.id, team_id=team_id, dsr_rating=dsr_rating)
    db.session.add(case)
    db.session.flush()
    register.first_rating(case, None)
    return case


# What each carer sees, and competence under 16 --------------------------------------------------


def set_hidden_sections(
    case: Case, carer_id: int, sections: set[str], items: Iterable[str] | None = None
) -> bool:
    """The young person's choice for one carer: the sections, and (when given) the single
    items, kept from them. The audit trail records the change."""
    row = next((c for c in case.carers if c.user_id == carer_id), None)
    if row is None:
        return False
    row.hidden_sections = " ".join(sorted(sections))
    if items is not None:
        row.hidden_items = " ".join(sorted(items))
    db.session.commit()
    return True


def record_competence(case: Case, by: User, reason: str) -> None:
    case.competent_at, case.competent_reason, case.competent_by_id = utcnow(), reason, by.id
    db.session.commit()


def record_death(case: Case, by: User, died_on: date) -> None:
    case.died_on, case.died_recorded_by_id = died_on, by.id
    db.session.commit()


def withdraw_competence(case: Case) -> None:
    case.competent_at = case.competent_reason = case.competent_by_id = None
    db.session.commit()
