"""My crisis card: one page from the Red part of the plan and "Who helps me", made to be
shown to a stranger (a paramedic, a police officer, a teacher).

Everyone who may see the plan sees the same card: the young person's choice of lines, then
the same `policy.WHO_SEES` rules as the plan (a carer never sees a section kept from them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..extensions import db
from ..models import Case, CommunicationNeeds, Part, PlanItem, Section, User
from . import communication, plans

# The lines a young person who decides may leave off (their name is always on the card).
LINES = ("communication", "signs", "helps", "not-to-do", "call", "people", "team")
# Where each line's items come from in the plan.
_FROM: dict[str, tuple[Section, Part]] = {
    "communication": (Section.ABOUT_ME, Part.COMMUNICATION),
    "signs": (Section.RED, Part.SIGNS),
    "helps": (Section.RED, Part.TO_DO),
    "not-to-do": (Section.RED, Part.NOT_TO_DO),
    "call": (Section.RED, Part.CALL),
    "people": (Section.WHO_HELPS, Part.PERSON),
}


@dataclass
class Card:
    case: Case
    shown: frozenset[str]  # the lines the young person chose (all of them until they decide)
    items: dict[str, list[PlanItem]] = field(default_factory=dict)
    needs: CommunicationNeeds | None = None
    key_workers: list[User] = field(default_factory=list)


def hidden_lines(case: Case) -> frozenset[str]:
    return frozenset(case.crisis_card_hidden.split()) & frozenset(LINES)


def card_for(case: Case, viewer: User, today: date | None = None) -> Card | None:
    """The card as this viewer may see it, or None when the plan has not started."""
    from .. import policy

    plan = plans.plan_for_case(case.id)
    if plan is None:
        return None
    version = plans.agreed_version(plan) or plans.latest_version(plan)
    today = today or date.today()
    # Until the young person decides (16, or competent under 16), every line is on the card.
    chosen = hidden_lines(case) if policy.young_person_decides(case, today) else frozenset()
    hidden_sections = policy.hidden_sections(viewer, case, today)
    grouped = plans.grouped(plans.visible_items(version, viewer))
    card = Card(case=case, shown=frozenset(LINES) - chosen)
    for line, (section, part) in _FROM.items():
        if line in card.shown and section.value not in hidden_sections:
            card.items[line] = grouped[section][part]
    if "communication" in card.shown:
        card.needs = communication.needs_for([case.young_person_id]).get(case.young_person_id)
    if "team" in card.shown:
        card.key_workers = [k.user for k in case.key_workers]
    return card


def choose_lines(case: Case, shown: set[str]) -> None:
    """The young person's choice (the audit trail records the change)."""
    case.crisis_card_hidden = " ".join(sorted(set(LINES) - shown))
    db.session.commit()
