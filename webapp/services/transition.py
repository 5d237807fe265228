"""Moving to adult services: from the team's transition age (a register setting) the plan has a
section for it, and actions can be steps in it. The caseload flags a young person as they near
that age, and while steps are left to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..extensions import db
from ..models import ActionStatus, Case, CaseStatus, Plan, PlanItem, Section
from . import register
from .plans import select_newest_items

ADULT_AGE = 18
# The caseload says planning is coming this long before the team's transition age.
NEAR = timedelta(days=183)


def birthday(born: date, years: int) -> date:
    """The day someone born on `born` turns `years` (28 February for a 29 February birthday)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28)


@dataclass(frozen=True)
class Timing:
    """When planning for adult services starts for one young person, and when they turn 18.
    Both are None when the young person's date of birth is not known."""

    age: int | None
    planning_age: int  # the team's transition age
    starts_on: date | None
    turns_18_on: date | None

    def started(self, today: date) -> bool:
        """Planning may start: the team's age is reached (or the age is not known, so nothing
        stops the key worker)."""
        return self.starts_on is None or self.starts_on <= today

    def near(self, today: date) -> bool:
        return self.starts_on is not None and today < self.starts_on <= today + NEAR


def timing(case: Case, today: date, planning_age: int | None = None) -> Timing:
    if planning_age is None:
        planning_age = register.settings_for(case.team_id).transition_age
    born = case.young_person.date_of_birth
    return Timing(
        age=case.young_person.age_on(today),
        planning_age=planning_age,
        starts_on=birthday(born, planning_age) if born else None,
        turns_18_on=birthday(born, ADULT_AGE) if born else None,
    )


def shows_section(case: Case, items, today: date) -> bool:
    """The plan shows "Moving to adult services" once it has items, and (while key working is
    open, so there is someone to fill it in) from the team's age."""
    if any(i.section is Section.MOVING_ON for i in items):
        return True
    return case.status is not CaseStatus.CLOSED and timing(case, today).started(today)


def steps(items) -> list:
    """The actions that are steps in moving to adult services, in the plan's order."""
    return sorted(
        (i for i in items if i.section is Section.ACTIONS and i.transition),
        key=lambda i: i.position,
    )


# The caseload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """What the caseload says about moving to adult services for one case."""

    kind: str  # "near" (planning starts soon), "no_steps" or "to_do"
    starts_on: date | None = None
    to_do: int = 0


def _step_counts(case_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per case, (steps not done, all steps) in the newest version of the plan."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select_newest_items(Plan.case_id, PlanItem.status).where(
            Plan.case_id.in_(case_ids),
            PlanItem.section == Section.ACTIONS,
            PlanItem.transition.is_(True),
        )
    )
    counts: dict[int, tuple[int, int]] = {}
    for case_id, status in rows:
        to_do, total = counts.get(case_id, (0, 0))
        counts[case_id] = (to_do + (status is not ActionStatus.DONE), total + 1)
    return counts


def caseload_flags(cases: list[Case], today: date) -> dict[int, Flag]:
    """Open cases only: planning starts within about 6 months; planning has started and the
    plan has no steps yet (until 18); or steps are left to do."""
    open_cases = [c for c in cases if c.status is not CaseStatus.CLOSED]
    counts = _step_counts([c.id for c in open_cases])
    ages = {t: register.settings_for(t).transition_age for t in {c.team_id for c in open_cases}}
    found: dict[int, Flag] = {}
    for case in open_cases:
        when = timing(case, today, ages[case.team_id])
        to_do, total = counts.get(case.id, (0, 0))
        if to_do:
            found[case.id] = Flag("to_do", when.starts_on, to_do)
        elif when.near(today):
            found[case.id] = Flag("near", when.starts_on)
        elif (
            not total
            and when.starts_on is not None
            and when.started(today)
            and when.turns_18_on is not None
            and today < when.turns_18_on
        ):
            found[case.id] = Flag("no_steps", when.starts_on)
    return found
