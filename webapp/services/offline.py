"""My plan in my pocket: what the service worker keeps on a phone for the person who chose
"Keep my plan on this phone", and a version that changes whenever any of it would.

The list of pages is worked out from `policy` on every check, so a section kept from a carer,
a carer taken off a case, or the choice turned off removes the kept copy at the next check.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from ..models import Case, CaseStatus, Section, User
from . import communication, help_again, plan_translations, plans, tokens, transition
from .cases import case_for_family_member


def person_tag(user: User) -> str:
    """An opaque name for this person's kept copy: a keyed hash, so it says nothing about
    who they are, and it differs from every other tag the app hands out."""
    return tokens.keyed_digest(f"offline-keep:{user.id}")[:32]


def keeps(user: User) -> bool:
    prefs = user.preferences
    return bool(user.role.is_family and prefs is not None and prefs.keep_on_phone)


def kept_case(user: User) -> tuple[Case, list[Section]] | None:
    """The case whose plan is kept, and the sections this person may see, or None."""
    from .. import policy

    if not keeps(user):
        return None
    case = case_for_family_member(user)
    plan = plans.plan_for_case(case.id) if case is not None else None
    if case is None or plan is None or not policy.can_see_case(user, case):
        return None
    hidden = policy.hidden_sections(user, case)
    items = plans.latest_version(plan).items
    has = plans.grouped(items, transition.shows_section(case, items, date.today()))
    return case, [s for s in has if s.value not in hidden]


def version(user: User, case: Case, pages: list[str], extra: list[str]) -> str:
    """Changes whenever a kept page would: the plan, the person's settings, the card's lines,
    the team's numbers and hours, the closing, the app's own files. Never holds any of them."""
    plan = plans.plan_for_case(case.id)
    latest = plans.latest_version(plan) if plan else None
    agreed = plans.agreed_version(plan) if plan else None
    closure = help_again.current_closure(case)
    needs = communication.needs_for([case.young_person_id]).get(case.young_person_id)
    prefs = user.preferences
    team = case.team
    facts = [
        pages,
        extra,
        [prefs.layout.value, prefs.text_size.value, prefs.pictures, prefs.read_aloud,
         prefs.colours.value, prefs.dyslexia_font, prefs.reduce_motion, prefs.language],
        [case.status.value, case.crisis_card_hidden, case.competent_at is not None],
        # What the young person keeps from this person, if a carer: a single item kept from
        # them changes no page's address, only what the pages show.
        [(c.hidden_sections, c.hidden_items) for c in case.carers if c.user_id == user.id],
        [latest.id if latest else None, latest.family_agreed_at is not None if latest else None,
         latest.staff_agreed_at is not None if latest else None, agreed.id if agreed else None],
        [closure.id, closure.closed_at is not None, closure.plan_version] if closure else None,
        [needs.recorded_at.isoformat() if needs else None],
        # Kept pages give the team's hours, never "open now".
        [team.name, team.phone, team.crisis_line_name, team.crisis_line_phone,
         team.office_days, team.office_opens, team.office_closes],
        sorted(k.user_id for k in case.key_workers),
        [case.status is CaseStatus.CLOSED and len(help_again.requests_for_case(case))],
        plan_translations.fingerprint(case.id),
    ]  # fmt: skip
    raw = json.dumps(facts, default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]
