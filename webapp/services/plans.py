"""The plan: reading it as each person may, and changing it only by adding a new version.

Staff changes go into a draft the family never reads; "Share these changes" makes one version.
Every change names the draft revision it was based on. If someone else changed the draft in the
meantime, the change is refused with StaleVersion and the caller keeps the person's words.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import (
    SECTION_PARTS,
    ActionStatus,
    Case,
    Part,
    Plan,
    PlanDraft,
    PlanDraftItem,
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
from . import once

TEXT_MAX = 500

ITEM_FIELDS = (
    "section", "part", "text", "words", "picture", "picture_alt", "private", "sensitive",
    "owner", "due", "status", "cetr", "transition", "contact",
)  # fmt: skip
# What a reader of the plan sees change. Marking an item sensitive is not a change to the plan:
# a carer must not be shown an item as changed with nothing to see.
SHOWN_FIELDS = tuple(f for f in ITEM_FIELDS if f != "sensitive")


class StaleVersion(Exception):
    """The plan changed after the person opened it."""

    def __init__(self, latest: PlanVersion, revision: int = 0) -> None:
        super().__init__(f"plan is at version {latest.number}, draft revision {revision}")
        self.latest = latest
        self.revision = revision


@dataclass
class ItemDraft:
    section: Section
    part: Part
    text: str
    words: Words
    picture: str | None = None
    picture_alt: str | None = None
    private: bool = False
    sensitive: bool = False
    owner: str | None = None
    due: date | None = None
    status: ActionStatus | None = None
    cetr: bool = False
    transition: bool = False
    contact: str | None = None


# Reading ---------------------------------------------------------------------------------


def plan_for_case(case_id: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.case_id == case_id))


def latest_version(plan: Plan) -> PlanVersion:
    """Every plan has at least version 1 (see start_plan)."""
    return db.session.scalars(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .options(selectinload(PlanVersion.items))
        .limit(1)
    ).one()


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


def family_agreed_version(plan: Plan) -> PlanVersion | None:
    """The newest version the family said "I agree" to (whether or not staff did yet)."""
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id, PlanVersion.family_agreed_at.is_not(None))
        .order_by(PlanVersion.number.desc())
        .options(selectinload(PlanVersion.items), selectinload(PlanVersion.family_agreed_by))
        .limit(1)
    )


def visible_items(version: PlanVersion, viewer: User) -> list[PlanItem]:
    """The items this person may see (policy.WHO_SEES: carers never see private items)."""
    return policy.visible(viewer, version.items, db.session.get_one(Case, version.plan.case_id))


def choosable_items(version: PlanVersion, hidden: frozenset[str]) -> list[PlanItem]:
    """The items a young person chooses about for one carer: those staff marked sensitive,
    and any already kept from that carer (so a choice can be undone if the mark goes)."""
    return [i for i in version.items if i.sensitive or i.key in hidden]


def grouped(items: list, moving_on: bool = False) -> dict[Section, dict[Part, list]]:
    """Items by section and part, in the plan's own order. "Moving to adult services" is there
    when it has items, or when the caller says the plan shows it (services.transition)."""
    result: dict[Section, dict[Part, list]] = {
        s: {p: [] for p in parts} for s, parts in SECTION_PARTS.items()
    }
    for item in sorted(items, key=lambda i: i.position):
        result[item.section][item.part].append(item)
    if not moving_on and not any(result[Section.MOVING_ON].values()):
        del result[Section.MOVING_ON]
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
        elif any(getattr(before[key], f) != getattr(item, f) for f in SHOWN_FIELDS):
            changes.changed.append((before[key], item))
    changes.removed = [i for k, i in before.items() if k not in after]
    return changes


# Changing --------------------------------------------------------------------------------
#
# Staff changes go into the plan's draft (PlanDraft), never into a version. The family keeps
# reading the newest version until a key worker presses "Share these changes", which makes one
# new version from the draft. Every change names the draft revision the page showed (`base`);
# a page older than the draft is refused with StaleVersion.


def start_plan(case: Case, by: User) -> Plan:
    plan = Plan(case_id=case.id)
    plan.versions.append(PlanVersion(number=1, created_by_id=by.id, change="started"))
    db.session.add(plan)
    db.session.commit()
    return plan


def copy_item(item) -> PlanItem:
    return PlanItem(
        key=item.key, position=item.position, **{f: getattr(item, f) for f in ITEM_FIELDS}
    )


def draft_for(plan: Plan) -> PlanDraft | None:
    """The plan's draft row (None before the first change); open only while it has changes."""
    return db.session.scalar(
        select(PlanDraft).where(PlanDraft.plan_id == plan.id).options(selectinload(PlanDraft.items))
    )


def open_draft(plan: Plan) -> PlanDraft | None:
    found = draft_for(plan)
    return found if found is not None and found.open else None


def revision(plan: Plan) -> int:
    """What an editing page names as its base: changes made since then refuse its form."""
    found = draft_for(plan)
    return found.revision if found is not None else 0


def editing_items(plan: Plan) -> list:
    """What staff edit: the draft's items while one is open, else the newest version's."""
    found = open_draft(plan)
    return list(found.items) if found is not None else list(latest_version(plan).items)


def _stale(plan: Plan) -> StaleVersion:
    db.session.rollback()
    return StaleVersion(latest_version(plan), revision(plan))


def _claim(plan: Plan, base: int, by: User) -> PlanDraft:
    """The draft, opened from the newest version if needed, once we know nobody changed it
    since the page was made. Compare-and-set on `revision`, so two saves at once cannot both
    win (on PostgreSQL the second waits for the first, then finds the revision moved on)."""
    if not 0 <= base < 2**31:  # a page never names more; the database could not compare it
        raise _stale(plan)
    found = draft_for(plan)
    if found is None:
        if base != 0:
            raise _stale(plan)
        found = PlanDraft(plan_id=plan.id, revision=0)
        db.session.add(found)
        try:
            db.session.flush()
        except IntegrityError:
            raise _stale(plan) from None
    claimed = db.session.execute(
        update(PlanDraft)
        .where(PlanDraft.id == found.id, PlanDraft.revision == base)
        .values(revision=PlanDraft.revision + 1, updated_by_id=by.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a DML result has it
        raise _stale(plan)
    db.session.refresh(found)
    if not found.open:
        latest = latest_version(plan)
        found.base_number = latest.number
        found.items = [_draft_copy(i) for i in latest.items]
    return found


def _draft_copy(item) -> PlanDraftItem:
    return PlanDraftItem(
        key=item.key, position=item.position, **{f: getattr(item, f) for f in ITEM_FIELDS}
    )


def _save(plan: Plan, draft: PlanDraft) -> PlanDraft:
    try:
        db.session.commit()
    except IntegrityError:
        raise _stale(plan) from None
    return draft


def _apply(item, draft: ItemDraft) -> None:
    for f in ITEM_FIELDS:
        setattr(item, f, getattr(draft, f))
    if item.section is not Section.ACTIONS:
        item.owner = item.status = None
        item.cetr = item.transition = False
    if item.section not in (Section.ACTIONS, Section.MOVING_ON):
        item.due = None
    if item.section not in (Section.WHO_HELPS, Section.MOVING_ON):
        item.contact = None


def _last_position(items, section: Section, part: Part) -> int:
    same = [i.position for i in items if i.section is section and i.part is part]
    return max(same, default=0) + 1


def _new_item(found: PlanDraft, draft: ItemDraft) -> PlanDraftItem:
    item = PlanDraftItem(
        key=uuid.uuid4().hex, position=_last_position(found.items, draft.section, draft.part)
    )
    _apply(item, draft)
    found.items.append(item)
    return item


def add_item(plan: Plan, base: int, by: User, draft: ItemDraft) -> PlanDraft:
    found = _claim(plan, base, by)
    _new_item(found, draft)
    return _save(plan, found)


def add_items(plan: Plan, base: int, by: User, drafts: list[ItemDraft]) -> PlanDraft:
    """Several items in the draft in one step (actions agreed at a meeting): the key worker
    shares them with the family with everything else in the draft."""
    found = _claim(plan, base, by)
    for draft in drafts:
        _new_item(found, draft)
    return _save(plan, found)


def _find(items, key: str):
    for item in items:
        if item.key == key:
            return item
    raise LookupError(key)


def update_item(plan: Plan, base: int, by: User, key: str, draft: ItemDraft) -> PlanDraft:
    found = _claim(plan, base, by)
    item = _find(found.items, key)
    moved = (item.section, item.part) != (draft.section, draft.part)
    _apply(item, draft)
    if moved:
        item.position = _last_position(
            [i for i in found.items if i is not item], draft.section, draft.part
        )
    return _save(plan, found)


def remove_item(plan: Plan, base: int, by: User, key: str) -> PlanDraft:
    found = _claim(plan, base, by)
    found.items.remove(_find(found.items, key))
    return _save(plan, found)


def move_item(plan: Plan, base: int, by: User, key: str, up: bool) -> PlanDraft:
    found = _claim(plan, base, by)
    item = _find(found.items, key)
    siblings = sorted(
        (i for i in found.items if i.section is item.section and i.part is item.part),
        key=lambda i: i.position,
    )
    index = siblings.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
    return _save(plan, found)


def draft_changes(plan: Plan) -> str:
    """What the open draft would change for the family, as change codes ("" when nothing)."""
    found = open_draft(plan)
    if found is None:
        return ""
    return change_codes(latest_version(plan).items, found.items)


def _moved(old: list, new: list) -> set[Section]:
    """Sections where items that are in both lists now come in another order."""

    def order(items) -> dict[tuple[Section, Part], list[str]]:
        groups: dict[tuple[Section, Part], list[str]] = {}
        for i in sorted(items, key=lambda i: i.position):
            groups.setdefault((i.section, i.part), []).append(i.key)
        return groups

    before, after = order(old), order(new)
    moved = set()
    for group, keys in after.items():
        common = set(keys) & set(before.get(group, []))
        if [k for k in keys if k in common] != [k for k in before.get(group, []) if k in common]:
            moved.add(group[0])
    return moved


def change_codes(old: list, new: list) -> str:
    """The version's `change`: "added:green edited:red", read back by labels.change_text."""
    changes = changes_between(old, new)
    codes: list[str] = []
    for kind, sections in (
        ("added", [i.section for i in changes.added]),
        ("edited", [n.section for _o, n in changes.changed]),
        ("removed", [i.section for i in changes.removed]),
        ("moved", sorted(_moved(old, new), key=list(Section).index)),
    ):
        for section in dict.fromkeys(sections):
            codes.append(f"{kind}:{section.value}")
    return " ".join(codes)[:300]


def share_changes(plan: Plan, base: int, by: User) -> PlanVersion | None:
    """One new version from the draft, which is emptied. None when nothing differs."""
    latest = latest_version(plan)
    found = _claim(plan, base, by)
    if found.base_number != latest.number:
        raise _stale(plan)
    codes = change_codes(latest.items, found.items)
    new = None
    if codes:
        new = PlanVersion(
            plan_id=plan.id, number=latest.number + 1, created_by_id=by.id, change=codes
        )
        new.items = [copy_item(i) for i in found.items]
        db.session.add(new)
    found.items = []
    found.base_number = None
    try:
        db.session.commit()
    except IntegrityError:
        # Someone made the same version number a moment before us.
        raise _stale(plan) from None
    return new


def discard_draft(plan: Plan, base: int, by: User) -> None:
    """Throw the draft away: the plan stays as the family sees it."""
    found = _claim(plan, base, by)
    found.items = []
    found.base_number = None
    db.session.commit()


def rebase_draft(plan: Plan, number: int) -> None:
    """A version made outside the draft with the same items (key working started again): the
    open draft now starts from it. The caller commits."""
    found = draft_for(plan)
    if found is not None and found.open:
        found.base_number = number
        found.revision += 1


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
    plan: Plan, by: User, section: Section, part: Part, text: str, private: bool, client_key: str
) -> PlanSuggestion:
    """One suggestion per sending: a double tap gives back the first one."""
    words = Words.YOUNG_PERSON if by.role is Role.YOUNG_PERSON else Words.CARER
    return once.create_once(
        PlanSuggestion, by.id, client_key,
        lambda: PlanSuggestion(
            plan_id=plan.id, section=section, part=part, text=text.strip(), words=words,
            private=private, author_id=by.id, client_key=client_key,
        ),
    )  # fmt: skip


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


def accept_suggestion(plan: Plan, base: int, by: User, found: PlanSuggestion) -> PlanDraft:
    """Into the draft in the family's words; they see it once the changes are shared."""
    draft = ItemDraft(
        section=found.section, part=found.part, text=found.text, words=found.words,
        private=found.private,
    )  # fmt: skip
    target = _claim(plan, base, by)
    _new_item(target, draft)
    found.status = SuggestionStatus.ACCEPTED
    found.decided_by_id, found.decided_at = by.id, utcnow()
    return _save(plan, target)


def decline_suggestion(found: PlanSuggestion, by: User) -> None:
    found.status = SuggestionStatus.DECLINED
    found.decided_by_id, found.decided_at = by.id, utcnow()
    db.session.commit()


def select_newest_items(*columns):
    """A select of `columns` over the items of each plan's newest version (Plan.case_id and
    PlanItem are joined in, for the caller's where clause)."""
    newest = (
        select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
        .group_by(PlanVersion.plan_id)
        .subquery()
    )
    return (
        select(*columns)
        .select_from(Plan)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .join(
            newest,
            (newest.c.plan_id == PlanVersion.plan_id) & (newest.c.number == PlanVersion.number),
        )
        .join(PlanItem, PlanItem.version_id == PlanVersion.id)
    )


def overdue_counts(case_ids: list[int], today: date) -> dict[int, int]:
    """For a caseload: how many actions in each case's newest plan version are past their date."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select_newest_items(Plan.case_id, func.count(PlanItem.id))
        .where(
            Plan.case_id.in_(case_ids),
            PlanItem.section == Section.ACTIONS,
            PlanItem.due < today,
            PlanItem.status != ActionStatus.DONE,
        )
        .group_by(Plan.case_id)
    )
    return dict(rows.all())
