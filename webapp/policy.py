"""Who may see or do what. Every view declares its audience here; every object is checked here.

Wrong audience or someone else's object: 404, so nothing reveals that a page or record exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps

from flask import abort
from flask_login import current_user

from .models import Case, CaseStatus, JournalEntry, Role, Team, User

ACCESS_ATTR = "mkw_access"
FAMILY = frozenset({Role.YOUNG_PERSON, Role.CARER})
STAFF = frozenset({Role.KEY_WORKER, Role.MANAGER})
EVERYONE = frozenset(Role)


def _declare(view: Callable, audience: str) -> Callable:
    setattr(view, ACCESS_ATTR, audience)
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not (sign-in page, help, accessibility statement)."""
    return _declare(view, "public")


def allow(*roles: Role | Iterable[Role]) -> Callable[[Callable], Callable]:
    """Only signed-in people with one of these roles. Others signed in get 404."""
    wanted: set[Role] = set()
    for r in roles:
        wanted.update([r] if isinstance(r, Role) else r)
    frozen = frozenset(wanted)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from .extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in frozen:
                abort(404)
            return view(*args, **kwargs)

        return _declare(wrapped, "roles:" + ",".join(sorted(r.value for r in frozen)))

    return decorator


def csrf_in_form(view: Callable) -> Callable:
    """This view checks CSRF through its FlaskForm, so a bad token re-shows the form with
    what was typed and a kind message. Every other POST is checked before the view runs."""
    view.mkw_csrf_in_form = True
    return view


def can_see_case(user: User, case: Case) -> bool:
    if user.role is Role.YOUNG_PERSON:
        return case.young_person_id == user.id
    if user.role is Role.CARER:
        return any(c.user_id == user.id for c in case.carers)
    if user.role is Role.KEY_WORKER:
        return any(k.user_id == user.id for k in case.key_workers)
    if user.role is Role.MANAGER:
        return user.team_id == case.team_id
    return False


def can_manage_team(user: User, team: Team) -> bool:
    return user.role is Role.MANAGER and user.team_id == team.id


def can_assign_key_workers(user: User, case: Case) -> bool:
    return user.role is Role.MANAGER and user.team_id == case.team_id


def invitable_roles(user: User) -> list[Role]:
    """Key workers invite families to their cases; managers also invite colleagues."""
    if user.role is Role.KEY_WORKER:
        return [Role.YOUNG_PERSON, Role.CARER]
    if user.role is Role.MANAGER:
        return [Role.YOUNG_PERSON, Role.CARER, Role.KEY_WORKER, Role.MANAGER, Role.REVIEWER]
    return []


def can_invite_to_case(user: User, case: Case) -> bool:
    if user.role is Role.KEY_WORKER:
        return can_see_case(user, case)
    return can_assign_key_workers(user, case)


# The plan ---------------------------------------------------------------------------------

ADULT_DECIDES_AGE = 16


def young_person_decides(case: Case, today: date) -> bool:
    """At 16 or over the young person decides what their carers see and agrees for themselves."""
    age = case.young_person.age_on(today)
    return age is None or age >= ADULT_DECIDES_AGE


def can_edit_plan(user: User, case: Case) -> bool:
    """Staff on the case, while key working is open (a closed plan stays as it was)."""
    if case.status is CaseStatus.CLOSED:
        return False
    return is_case_staff(user, case)


def is_case_staff(user: User, case: Case) -> bool:
    if user.role is Role.KEY_WORKER:
        return any(k.user_id == user.id for k in case.key_workers)
    return user.role is Role.MANAGER and user.team_id == case.team_id


def can_suggest_for_plan(user: User, case: Case) -> bool:
    return user.role in FAMILY and can_see_case(user, case) and case.status is not CaseStatus.CLOSED


def can_agree_for_family(user: User, case: Case, today: date) -> bool:
    """The young person agrees; a carer agrees for them only while they are under 16."""
    if not can_see_case(user, case) or case.status is CaseStatus.CLOSED:
        return False
    if user.role is Role.YOUNG_PERSON:
        return True
    return user.role is Role.CARER and not young_person_decides(case, today)


def can_keep_private(user: User, case: Case, today: date) -> bool:
    return user.role is Role.YOUNG_PERSON and young_person_decides(case, today)


def can_see_person(user: User, person: User, case: Case) -> bool:
    """Staff who may see a case may see (and record the needs of) its young person and carers."""
    people = {case.young_person_id, *(c.user_id for c in case.carers)}
    return user.role in STAFF and can_see_case(user, case) and person.id in people


# What matters to me ------------------------------------------------------------------------


def can_see_entry(user: User, entry: JournalEntry, case: Case) -> bool:
    """The author always; the case's staff only when the author shared it. Carers never see a
    young person's entries, and young people never see a carer's."""
    if entry.case_id != case.id:
        return False
    if entry.author_id == user.id:
        return True
    return entry.shared and user.role in STAFF and can_see_case(user, case)


# Messages -----------------------------------------------------------------------------------


def can_see_conversation(user: User, conversation, case: Case) -> bool:
    """The family member it belongs to, and the case's key workers and team manager. A carer
    never reads the young person's conversation, nor the young person a carer's."""
    if conversation.case_id != case.id:
        return False
    if user.role in FAMILY:
        return conversation.member_id == user.id
    return user.role in STAFF and can_see_case(user, case)


def can_write_messages(user: User, case: Case) -> bool:
    """Messaging closes with key working; the family can ask for help again instead."""
    return case.status is not CaseStatus.CLOSED


# Closing and the open door ---------------------------------------------------------------------


def can_close(user: User, case: Case) -> bool:
    return case.status is not CaseStatus.CLOSED and is_case_staff(user, case)


def can_ask_help_again(user: User, case: Case) -> bool:
    """The young person or a carer, once key working has ended."""
    return user.role in FAMILY and can_see_case(user, case) and case.status is CaseStatus.CLOSED


def can_handle_request(user: User, case: Case) -> bool:
    """The team's manager and key workers: the case's key workers may have moved on."""
    return user.role in STAFF and user.team_id == case.team_id


def can_take_request(key_worker: User, case: Case) -> bool:
    """Who a help-again request can be given to: a key worker of the case's team."""
    return key_worker.role is Role.KEY_WORKER and key_worker.team_id == case.team_id


def case_or_404(user: User, case: Case | None) -> Case:
    if case is None or not can_see_case(user, case):
        abort(404)
    return case
