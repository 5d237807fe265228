"""Switching an account off, and on again: a manager does it at once for someone in their team
or a young person or carer on one of the team's cases (policy.can_switch_account).

Switching off ends every session of the person in the same transaction (the sessions' flush
hook), refuses the next sign-in with a kind message, stops pushes and emails, and is written in
the trail. The records stay: removing them follows the retention policy (services.retention).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from .. import policy
from ..extensions import db
from ..models import Case, CaseCarer, Role, User
from . import audit
from . import cases as case_service


@dataclass
class Account:
    person: User
    case: Case | None = None  # a young person's or carer's case on the manager's team


def team_accounts(manager: User) -> tuple[list[Account], list[Account]]:
    """The team's staff, then its families, switched off or not (the manager's own left out)."""
    staff = db.session.scalars(
        select(User)
        .where(User.team_id == manager.team_id, User.role.in_([Role.KEY_WORKER, Role.MANAGER]))
        .order_by(User.name)
    )
    families = [
        Account(person, case)
        for case in case_service.team_cases(manager.team_id or 0)
        for person in (case.young_person, *(c.user for c in case.carers))
    ]
    return [Account(p) for p in staff if p.id != manager.id], families


def _cases_of(person: User) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .outerjoin(CaseCarer, CaseCarer.case_id == Case.id)
            .where(or_(Case.young_person_id == person.id, CaseCarer.user_id == person.id))
        ).unique()
    )


def account_for(manager: User, user_id: int) -> Account | None:
    """The account, when this manager may switch it; None otherwise (the caller gives 404)."""
    person = db.session.get(User, user_id)
    if person is None:
        return None
    family_cases = _cases_of(person) if person.role.is_family else []
    if not policy.can_switch_account(manager, person, family_cases):
        return None
    case = next((c for c in family_cases if c.team_id == manager.team_id), None)
    return Account(person, case)


def switch(account: Account, on: bool) -> bool:
    """Switch the account on or off; False when it already was. One commit holds the change,
    the end of every session and the trail's record."""
    if account.person.active == on:
        return False
    account.person.active = on
    audit.account_switched(account.person, account.case.id if account.case else None, on)
    return True
