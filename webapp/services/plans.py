"""The plan: reading it as each person may, and changing it only by adding a new version.

Every change names the version it was based on. If someone else saved a newer version in the
meantime, the change is refused with StaleVersion and the caller keeps the person's words.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    SECTION_PARTS,
    ActionStatus,
    Case,
    Part,
    Plan,
    PlanItem,
    PlanSuggestion,
    PlanVersion,
    Role,
    Section,
    SuggestionStatus,
    User,
    Words,
    utcnow,
)

TEXT_MAX = 500

ITEM_FIELDS = (
    "section", "part", "text", "words", "picture", "picture_alt", "private",
    "owner", "due", "status", "cetr", "contact",
)  # fmt: skip


class StaleVersion(Exception):
    """The plan changed after the person opened it."""

    def __init__(self, latest: PlanVersion) -> None:
        super().__init__(f"plan is at version {latest.number}")
        self.latest = latest


@dataclass
class ItemDraft:
    section: Section
    part: Part
    text: str
    words: Words
    picture: str | None = None
    picture_alt: str | None = None
    private: bool = False
    owner: str | None = None
    due: date | None = None
    status: ActionStatus | None = None
    cetr: bool = False
    contact: str | None = None


# Reading ---------------------------------------------------------------------------------


def plan_for_case(case_id: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.case_id == case_id))


def latest_version(plan: Plan) -> PlanVersion:
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .options(selectinload(PlanVersion.items))
        .limit(1)
    )


def version_by_number(plan: Plan, number: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
        .options(selectinload(PlanVersion.items))
    )


def all_versions(plan: Plan) -> list[PlanVersion]:
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.number.desc())
            .options(
                selectinload(PlanVersion.created_by),
                selectinload(PlanVersion.family_agreed_by),
                selectinload(PlanVersion.staff_agreed_by),
            )
        )
    )


def agreed_version(plan: Plan) -> PlanVersion | None:
    """The newest version both the family and the key worker said "we agreed this" to."""
    return db.session.scalar(
        select(PlanVersion)
        .where(
            PlanVersion.plan_id == plan.id,
            PlanVersion.family_agreed_at.is_not(None),
            PlanVersion.staff_agreed_at.is_not(None),
        )
        .order_by(PlanVersion.number.desc())
        .options(selectinload(PlanVersion.items))
        .limit(1)
    )


def visible_items(version: PlanVersion, viewer: User) -> list[PlanItem]:
    """Parents and carers do not see what a young person has kept private."""
    if viewer.role is Role.CARER:
        return [i for i in version.items if not i.private]
    return list(version.items)


def grouped(items: list[PlanItem]) -> dict[Section, dict[Part, list[PlanItem]]]:
    """Items by section and part, in the plan's own order."""
    result = {s: {p: [] for p in parts} for s, parts in SECTION_PARTS.items()}
    for item in sorted(items, key=lambda i: i.position):
        result[item.section][item.part].append(item)
    return result


def overdue(items: list[PlanItem], today: date) -> list[PlanItem]:
    return [
        i
        for i in items
        if i.section is Section.ACTIONS
        and i.due
        and i.due < today
        and i.status != ActionStatus.DONE
    ]


@dataclass
class Changes:
    added: list[PlanItem] = field(default_factory=list)
    changed: list[tuple[PlanItem, PlanItem]] = field(default_factory=list)
    removed: list[PlanItem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def changes_between(old: list[PlanItem], new: list[PlanItem]) -> Changes:
    before = {i.key: i for i in old}
    after = {i.key: i for i in new}
    changes = Changes()
    for key, item in after.items():
        if key not in before:
            changes.added.append(item)
        elif any(getattr(before[key], f) != getattr(item, f) for f in ITEM_FIELDS):
            changes.changed.append((before[key], item))
    changes.removed = [i for k, i in before.items() if k not in after]
    return changes


# Changing --------------------------------------------------------------------------------


def start_plan(case: Case, by: User) -> Plan:
    plan = Plan(case_id=case.id)
    plan.versions.append(PlanVersion(number=1, created_by_id=by.id, change="started"))
    db.session.add(plan)
    db.session.commit()
    return plan


def copy_item(item: PlanItem) -> PlanItem:
    return PlanItem(
        key=item.key, position=item.position, **{f: getattr(item, f) for f in ITEM_FIELDS}
    )


def _next_version(plan: Plan, base_number: int, by: User, change: str) -> PlanVersion:
    latest = latest_version(plan)
    if latest.number != base_number:
        raise StaleVersion(latest)
    new = PlanVersion(plan_id=plan.id, number=latest.number + 1, created_by_id=by.id, change=change)
    new.items = [copy_item(i) for i in latest.items]
    db.session.add(new)
    return new


def _save(plan: Plan, new: PlanVersion) -> PlanVersion:
    try:
        db.session.commit()
    except IntegrityError:
        # Someone saved the same version number a moment before us.
        db.session.rollback()
        raise StaleVersion(latest_version(plan)) from None
    return new


def _apply(item: PlanItem, draft: ItemDraft) -> None:
    for f in ITEM_FIELDS:
        setattr(item, f, getattr(draft, f))
    if item.section is not Section.ACTIONS:
        item.owner = item.due = item.status = None
        item.cetr = False
    if item.section is not Section.WHO_HELPS:
        item.contact = None


def _last_position(version: PlanVersion, section: Section, part: Part) -> int:
    same = [i.position for i in version.items if i.section is section and i.part is part]
    return max(same, default=0) + 1


def add_item(plan: Plan, base: int, by: User, draft: ItemDraft, change: str) -> PlanVersion:
    new = _next_version(plan, base, by, change)
    item = PlanItem(key=uuid.uuid4().hex, position=_last_position(new, draft.section, draft.part))
    _apply(item, draft)
    new.items.append(item)
    return _save(plan, new)


def _find(version: PlanVersion, key: str) -> PlanItem:
    for item in version.items:
        if item.key == key:
            return item
    raise LookupError(key)


def update_item(
    plan: Plan, base: int, by: User, key: str, draft: ItemDraft, change: str
) -> PlanVersion:
    new = _next_version(plan, base, by, change)
    item = _find(new, key)
    moved = (item.section, item.part) != (draft.section, draft.part)
    _apply(item, draft)
    if moved:
        item.position = _last_position(new, draft.section, draft.part)
    return _save(plan, new)


def remove_item(plan: Plan, base: int, by: User, key: str, change: str) -> PlanVersion:
    new = _next_version(plan, base, by, change)
    new.items.remove(_find(new, key))
    return _save(plan, new)


def move_item(plan: Plan, base: int, by: User, key: str, up: bool, change: str) -> PlanVersion:
    new = _next_version(plan, base, by, change)
    item = _find(new, key)
    siblings = sorted(
        (i for i in new.items if i.section is item.section and i.part is item.part),
        key=lambda i: i.position,
    )
    index = siblings.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
    return _save(plan, new)


def agree(plan: Plan, number: int, by: User, for_family: bool) -> PlanVersion:
    """Mark a version "we agreed this". Only the newest version can be agreed."""
    latest = latest_version(plan)
    if latest.number != number:
        raise StaleVersion(latest)
    if for_family:
        latest.family_agreed_by_id, latest.family_agreed_at = by.id, utcnow()
    else:
        latest.staff_agreed_by_id, latest.staff_agreed_at = by.id, utcnow()
    db.session.commit()
    return latest


# Suggestions from the family -------------------------------------------------------------


def suggest(
    plan: Plan, by: User, section: Section, part: Part, text: str, private: bool
) -> PlanSuggestion:
    words = Words.YOUNG_PERSON if by.role is Role.YOUNG_PERSON else Words.CARER
    suggestion = PlanSuggestion(
        plan_id=plan.id, section=section, part=part, text=text.strip(), words=words,
        private=private, author_id=by.id,
    )  # fmt: skip
    db.session.add(suggestion)
    db.session.commit()
    return suggestion


def waiting_suggestions(plan: Plan) -> list[PlanSuggestion]:
    return list(
        db.session.scalars(
            select(PlanSuggestion)
            .where(
                PlanSuggestion.plan_id == plan.id,
                PlanSuggestion.status == SuggestionStatus.WAITING,
            )
            .order_by(PlanSuggestion.created_at)
            .options(selectinload(PlanSuggestion.author))
        )
    )


def suggestions_by(plan: Plan, author: User) -> list[PlanSuggestion]:
    return list(
        db.session.scalars(
            select(PlanSuggestion)
            .where(PlanSuggestion.plan_id == plan.id, PlanSuggestion.author_id == author.id)
            .order_by(PlanSuggestion.created_at.desc())
        )
    )


def suggestion(plan: Plan, suggestion_id: int) -> PlanSuggestion | None:
    found = db.session.get(PlanSuggestion, suggestion_id)
    return found if found and found.plan_id == plan.id else None


def accept_suggestion(
    plan: Plan, base: int, by: User, found: PlanSuggestion, picture: str | None, change: str
) -> PlanVersion:
    draft = ItemDraft(
        section=found.section, part=found.part, text=found.text, words=found.words,
        picture=picture, private=found.private,
    )  # fmt: skip
    new = _next_version(plan, base, by, change)
    item = PlanItem(key=uuid.uuid4().hex, position=_last_position(new, draft.section, draft.part))
    _apply(item, draft)
    new.items.append(item)
    found.status = SuggestionStatus.ACCEPTED
    found.decided_by_id, found.decided_at = by.id, utcnow()
    return _save(plan, new)


def decline_suggestion(found: PlanSuggestion, by: User) -> None:
    found.status = SuggestionStatus.DECLINED
    found.decided_by_id, found.decided_at = by.id, utcnow()
    db.session.commit()


def overdue_counts(case_ids: list[int], today: date) -> dict[int, int]:
    """For a caseload: how many actions in each case's newest plan version are past their date."""
    if not case_ids:
        return {}
    newest = (
        select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
        .group_by(PlanVersion.plan_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Plan.case_id, func.count(PlanItem.id))
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .join(
            newest,
            (newest.c.plan_id == PlanVersion.plan_id) & (newest.c.number == PlanVersion.number),
        )
        .join(PlanItem, PlanItem.version_id == PlanVersion.id)
        .where(
            Plan.case_id.in_(case_ids),
            PlanItem.section == Section.ACTIONS,
            PlanItem.due < today,
            PlanItem.status != ActionStatus.DONE,
        )
        .group_by(Plan.case_id)
    )
    return dict(rows.all())
