"""Closing key working with a step-down plan, and "I would like help again" afterwards.
Closing never deletes anything; reopening keeps the whole history on the same case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Case,
    CaseClosure,
    CaseStatus,
    ClosingReason,
    ContactWay,
    HelpRequest,
    Plan,
    PlanVersion,
    Urgency,
    User,
    utcnow,
)
from . import once, plans


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# Closing -----------------------------------------------------------------------------------


def current_closure(case: Case) -> CaseClosure | None:
    """The newest closure: planned (not closed yet) or the one that closed the case."""
    return db.session.scalar(
        select(CaseClosure)
        .where(CaseClosure.case_id == case.id)
        .order_by(CaseClosure.planned_at.desc(), CaseClosure.id.desc())
        .limit(1)
    )


def planned_closure(case: Case) -> CaseClosure | None:
    closure = current_closure(case)
    if closure and closure.closed_at is None and case.status is not CaseStatus.CLOSED:
        return closure
    return None


def plan_closing(
    case: Case, by: User, *, summary: str, supported_by: str, if_harder: str,
    reason: ClosingReason, closes_on: date,
) -> CaseClosure:  # fmt: skip
    """Write the ending down first, so the family sees it coming. Replaces an earlier plan."""
    closure = planned_closure(case)
    if closure is None:
        closure = CaseClosure(case_id=case.id, planned_by_id=by.id)
        db.session.add(closure)
    closure.summary, closure.supported_by, closure.if_harder = summary, supported_by, if_harder
    closure.reason, closure.closes_on = reason, closes_on
    closure.planned_by_id, closure.planned_at = by.id, utcnow()
    db.session.commit()
    return closure


def close(case: Case, closure: CaseClosure, by: User) -> None:
    plan = plans.plan_for_case(case.id)
    if plan is not None:
        agreed = plans.agreed_version(plan) or plans.latest_version(plan)
        closure.plan_version = agreed.number
    closure.closed_by_id, closure.closed_at = by.id, utcnow()
    case.status, case.closed_at = CaseStatus.CLOSED, closure.closed_at
    db.session.commit()


def cancel_planned_closing(closure: CaseClosure) -> None:
    db.session.delete(closure)
    db.session.commit()


# Asking for help again ---------------------------------------------------------------------


@dataclass
class Asked:
    request: HelpRequest
    added_to: HelpRequest | None  # the open request this was added to, if there was one


def ask(
    case: Case, by: User, *, client_key: str, happening: str, tags: list[str], urgency: Urgency,
    contact_way: ContactWay, phone: str | None, email: str | None, best_times: str | None,
    shared: bool,
) -> Asked:  # fmt: skip
    """One request per sending: the same client key from the same person gives back the same.
    A case has one open request at a time: a second ask is added to it, and makes it as urgent
    as the most urgent ask."""
    head = open_request(case)

    def make() -> HelpRequest:
        return HelpRequest(
            case_id=case.id, author_id=by.id, client_key=client_key, happening=happening,
            tags=" ".join(tags), urgency=urgency, contact_way=contact_way, phone=phone,
            email=email, best_times=best_times, shared=shared,
            part_of_id=head.id if head else None,
        )  # fmt: skip

    made = once.create_once(HelpRequest, by.id, client_key, make)
    head = made.part_of
    if head is not None and _URGENCY_ORDER[made.urgency] < _URGENCY_ORDER[head.urgency]:
        head.urgency = made.urgency
        db.session.commit()
    return Asked(made, head)


def requests_for_case(case: Case) -> list[HelpRequest]:
    """Every request and addition on the case, newest first. Who may see each one is
    `policy.visible`'s to say."""
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.case_id == case.id)
            .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
            .options(
                selectinload(HelpRequest.author),
                selectinload(HelpRequest.assigned_to),
                selectinload(HelpRequest.part_of),
            )
        )
    )


def open_request(case: Case) -> HelpRequest | None:
    """The case's open request (never an addition): at most one."""
    return db.session.scalar(
        select(HelpRequest)
        .where(
            HelpRequest.case_id == case.id,
            HelpRequest.part_of_id.is_(None),
            HelpRequest.reopened_at.is_(None),
            HelpRequest.closed_at.is_(None),
        )
        .order_by(HelpRequest.created_at, HelpRequest.id)
        .limit(1)
    )


def additions(request: HelpRequest) -> list[HelpRequest]:
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.part_of_id == request.id)
            .order_by(HelpRequest.created_at, HelpRequest.id)
            .options(selectinload(HelpRequest.author))
        )
    )


def request_by_id(request_id: int) -> HelpRequest | None:
    return db.session.get(HelpRequest, request_id)


_URGENCY_ORDER = {Urgency.TODAY: 0, Urgency.THIS_WEEK: 1, Urgency.NOT_URGENT: 2}


def team_queue(team_id: int) -> list[HelpRequest]:
    """Open requests for a team: not yet seen first, then the most urgent, then the oldest."""
    found = db.session.scalars(
        select(HelpRequest)
        .join(Case, Case.id == HelpRequest.case_id)
        .where(
            Case.team_id == team_id,
            HelpRequest.part_of_id.is_(None),
            HelpRequest.reopened_at.is_(None),
            HelpRequest.closed_at.is_(None),
        )
        .options(selectinload(HelpRequest.author), selectinload(HelpRequest.assigned_to))
    )
    return sorted(
        found,
        key=lambda r: (r.seen_at is not None, _URGENCY_ORDER[r.urgency], r.created_at),
    )


def _note_seen(request: HelpRequest, by: User) -> None:
    """Part of a bigger action: the action's own commit saves it with everything else."""
    if request.seen_at is None:
        request.seen_at, request.seen_by_id = utcnow(), by.id


def mark_seen(request: HelpRequest, by: User) -> None:
    if request.seen_at is None:
        _note_seen(request, by)
        db.session.commit()


def assign(request: HelpRequest, key_worker: User, by: User, working_days: int) -> None:
    _note_seen(request, by)
    request.assigned_to_id = key_worker.id
    days = 0 if request.urgency is Urgency.TODAY else working_days
    request.contact_by = add_working_days(date.today(), days) if days else date.today()
    db.session.commit()


def record_contact(request: HelpRequest, words: str, by: User) -> None:
    _note_seen(request, by)
    request.contact_made, request.contact_made_at = words, utcnow()
    db.session.commit()


def reopen(request: HelpRequest, case: Case, by: User) -> PlanVersion | None:
    """Key working starts again on the same case; the last plan is the next version's start."""
    _note_seen(request, by)
    now = utcnow()
    request.reopened_at, request.reopened_by_id = now, by.id
    case.status, case.closed_at = CaseStatus.ACTIVE, None
    new_version = None
    plan = db.session.scalar(select(Plan).where(Plan.case_id == case.id))
    if plan is not None:
        latest = plans.latest_version(plan)
        new_version = PlanVersion(
            plan_id=plan.id, number=latest.number + 1, created_by_id=by.id, change="reopened"
        )
        new_version.items = [plans.copy_item(i) for i in latest.items]
        db.session.add(new_version)
        plans.rebase_draft(plan, new_version.number)  # same items: staff's draft carries on
    db.session.commit()
    return new_version


def signpost(request: HelpRequest, to: str, by: User) -> None:
    _note_seen(request, by)
    request.signposted_to = to
    request.closed_at, request.closed_by_id = utcnow(), by.id
    db.session.commit()


# The case timeline --------------------------------------------------------------------------


@dataclass
class Event:
    at: datetime
    kind: str
    who: str | None
    detail: str = ""


def timeline(case: Case) -> list[Event]:
    """Everything that happened on the case, oldest first, with who did it."""
    events = [Event(case.opened_at, "opened", None)]
    for kw in case.key_workers:
        by = kw.assigned_by.name if kw.assigned_by else None
        events.append(Event(kw.assigned_at, "key_worker", by, kw.user.name))
    plan = plans.plan_for_case(case.id)
    if plan is not None:
        for version in plans.all_versions(plan):
            when = version.agreed_at
            if when is not None:
                agreed_by = (version.family_agreed_by, version.staff_agreed_by)
                who = ", ".join(person.name for person in agreed_by if person)
                events.append(Event(when, "agreed", who, str(version.number)))
    closures = db.session.scalars(select(CaseClosure).where(CaseClosure.case_id == case.id)).all()
    for closure in closures:
        if closure.closed_at:
            by = closure.closed_by.name if closure.closed_by else None
            events.append(Event(closure.closed_at, "closed", by))
    for request in requests_for_case(case):
        if request.part_of_id is not None:
            events.append(Event(request.created_at, "added", request.author.name))
            continue
        events.append(Event(request.created_at, "asked", request.author.name))
        if request.reopened_at:
            reopened_by = db.session.get_one(User, request.reopened_by_id)
            events.append(Event(request.reopened_at, "reopened", reopened_by.name))
        if request.closed_at:
            closed_by = db.session.get_one(User, request.closed_by_id)
            events.append(Event(request.closed_at, "signposted", closed_by.name,
                                request.signposted_to or ""))  # fmt: skip
    from .alerts import for_case

    for alert in for_case(case.id):
        events.append(Event(alert.created_at, "urgent", alert.raised_by.name, alert.source))
        for notice in alert.notices:
            events.append(
                Event(
                    notice.told_at,
                    "told",
                    notice.user.name if notice.user else notice.email,
                    notice.reason,
                )
            )
        if alert.acknowledged_at:
            by = alert.acknowledged_by.name if alert.acknowledged_by else None
            events.append(Event(alert.acknowledged_at, "acknowledged", by))
    events.sort(key=lambda e: e.at)
    # Show the gap between a closing and the reopening after it.
    result, closed_at = [], None
    for event in events:
        if event.kind == "closed":
            closed_at = event.at
        elif event.kind == "reopened" and closed_at is not None:
            result.append(Event(event.at, "gap", None, str((event.at - closed_at).days)))
            closed_at = None
        result.append(event)
    return result
