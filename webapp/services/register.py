"""The key worker's register: the rating over time, going into and leaving hospital, the
72-hour follow-up after discharge and the team's register rules. Every change is a new row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    AdmissionKind,
    Barrier,
    BarrierStep,
    BarrierStepKind,
    Case,
    Condition,
    ConsentGiver,
    ConsentWay,
    DsrRating,
    HospitalAdmission,
    HospitalDischarge,
    RatingChange,
    Referral,
    ReferralSource,
    RegisterConsent,
    RegisterSettings,
    User,
    utcnow,
)

FOLLOW_UP_WITHIN = timedelta(hours=72)

# Reasons written by a rule are stored as a code and shown in the reader's language.
OPENED, ADMITTED, DISCHARGED = "opened", "admitted", "discharged"


# Settings ------------------------------------------------------------------------------------


def settings_for(team_id: int) -> RegisterSettings:
    """The team's rules, or the defaults (not saved) when the team has not set any."""
    found = db.session.get(RegisterSettings, team_id)
    if found is not None:
        return found
    return RegisterSettings(
        team_id=team_id,
        after_discharge_rating=DsrRating.RED,
        after_discharge_days=14,
        caseload_limit=10,
        transition_age=17,
    )


def save_settings(
    team_id: int,
    by: User,
    *,
    after_discharge_rating: DsrRating,
    after_discharge_days: int,
    caseload_limit: int,
    transition_age: int,
) -> RegisterSettings:
    found = db.session.get(RegisterSettings, team_id)
    if found is None:
        found = RegisterSettings(team_id=team_id)
        db.session.add(found)
    found.after_discharge_rating = after_discharge_rating
    found.after_discharge_days = after_discharge_days
    found.caseload_limit = caseload_limit
    found.transition_age = transition_age
    found.updated_by_id = by.id
    found.updated_at = utcnow()
    db.session.commit()
    return found


# The rating ----------------------------------------------------------------------------------


def history(case: Case) -> list[RatingChange]:
    """Every rating the case has had, newest first."""
    return list(
        db.session.scalars(
            select(RatingChange)
            .where(RatingChange.case_id == case.id)
            .options(selectinload(RatingChange.changed_by))
            .order_by(RatingChange.created_at.desc(), RatingChange.id.desc())
        )
    )


def latest_changes(case_ids: list[int]) -> dict[int, RatingChange]:
    """The newest rating change of each case."""
    if not case_ids:
        return {}
    rows = db.session.scalars(
        select(RatingChange)
        .where(RatingChange.case_id.in_(case_ids))
        .order_by(RatingChange.created_at, RatingChange.id)
    )
    return {row.case_id: row for row in rows}


def latest_change(case: Case) -> RatingChange | None:
    return latest_changes([case.id]).get(case.id)


def _add_change(
    case: Case,
    by: User | None,
    rating: DsrRating,
    reason: str,
    *,
    review_on: date | None = None,
    show_family: bool = False,
    by_rule: bool = False,
    at: datetime | None = None,
) -> RatingChange:
    change = RatingChange(
        case_id=case.id,
        rating=rating,
        reason=reason,
        review_on=review_on,
        show_family=show_family,
        by_rule=by_rule,
        changed_by_id=by.id if by else None,
        created_at=at or utcnow(),
    )
    db.session.add(change)
    case.dsr_rating = rating
    return change


def first_rating(case: Case, by: User | None) -> RatingChange:
    """The rating a new case starts with. The caller commits (the case must have an id)."""
    return _add_change(case, by, case.dsr_rating, OPENED, by_rule=True)


def change_rating(
    case: Case,
    by: User,
    rating: DsrRating,
    reason: str,
    review_on: date | None,
    show_family: bool,
) -> RatingChange:
    change = _add_change(case, by, rating, reason, review_on=review_on, show_family=show_family)
    db.session.commit()
    return change


def review_due(change: RatingChange | None, today: date) -> bool:
    return change is not None and change.review_on is not None and change.review_on <= today


# Hospital ------------------------------------------------------------------------------------


def admissions(case: Case) -> list[HospitalAdmission]:
    """Every time in hospital, newest first, with its discharge."""
    return list(
        db.session.scalars(
            select(HospitalAdmission)
            .where(HospitalAdmission.case_id == case.id)
            .options(selectinload(HospitalAdmission.discharge))
            .order_by(HospitalAdmission.admitted_on.desc(), HospitalAdmission.id.desc())
        )
    )


def current_admission(case: Case) -> HospitalAdmission | None:
    """The time in hospital that has no discharge yet."""
    return next((a for a in admissions(case) if a.discharge is None), None)


def admit(
    case: Case,
    by: User,
    *,
    admitted_on: date,
    hospital: str,
    ward: str,
    phone: str,
    kind: AdmissionKind,
) -> HospitalAdmission:
    """Going into hospital: the rating becomes Blue while there."""
    admission = HospitalAdmission(
        case_id=case.id,
        admitted_on=admitted_on,
        hospital=hospital,
        ward=ward,
        phone=phone,
        kind=kind,
        recorded_by_id=by.id,
    )
    db.session.add(admission)
    _add_change(case, by, DsrRating.BLUE, ADMITTED, by_rule=True)
    db.session.commit()
    return admission


def discharge(
    case: Case,
    admission: HospitalAdmission,
    by: User,
    *,
    discharged_at: datetime,
    discharged_to: str,
) -> HospitalDischarge:
    """Leaving hospital: a follow-up due within 72 hours, and the team's rule for the rating
    after discharge, with its review date."""
    rules = settings_for(case.team_id)
    left = HospitalDischarge(
        admission_id=admission.id,
        discharged_at=discharged_at,
        discharged_to=discharged_to,
        follow_up_due=discharged_at + FOLLOW_UP_WITHIN,
        recorded_by_id=by.id,
    )
    db.session.add(left)
    _add_change(
        case,
        by,
        rules.after_discharge_rating,
        f"{DISCHARGED}:{rules.after_discharge_days}",
        review_on=discharged_at.date() + timedelta(days=rules.after_discharge_days),
        by_rule=True,
    )
    db.session.commit()
    return left


def discharge_by_id(discharge_id: int) -> HospitalDischarge | None:
    return db.session.get(HospitalDischarge, discharge_id)


def follow_up_done(left: HospitalDischarge, by: User) -> bool:
    """Mark the 72-hour follow-up as made. False when it already was."""
    if left.follow_up_done_at is not None:
        return False
    left.follow_up_done_at = utcnow()
    left.follow_up_done_by_id = by.id
    db.session.commit()
    return True


def open_follow_ups(case_ids: list[int]) -> dict[int, HospitalDischarge]:
    """Per case, the follow-up after leaving hospital that is not yet made."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(HospitalAdmission.case_id, HospitalDischarge)
        .join(HospitalDischarge, HospitalDischarge.admission_id == HospitalAdmission.id)
        .where(
            HospitalAdmission.case_id.in_(case_ids),
            HospitalDischarge.follow_up_done_at.is_(None),
        )
        .order_by(HospitalDischarge.follow_up_due)
    )
    found: dict[int, HospitalDischarge] = {}
    for case_id, left in rows:
        found.setdefault(case_id, left)
    return found


# Referral, permission and eligibility --------------------------------------------------------

ELIGIBLE_AGES = range(0, 26)  # 0 to 25


def referrals(case: Case) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.case_id == case.id)
            .order_by(Referral.created_at.desc(), Referral.id.desc())
        )
    )


def record_referral(
    case: Case,
    by: User,
    *,
    source: ReferralSource,
    source_detail: str | None,
    referred_on: date,
    condition: Condition,
) -> Referral:
    referral = Referral(
        case_id=case.id,
        source=source,
        source_detail=source_detail or None,
        referred_on=referred_on,
        condition=condition,
        recorded_by_id=by.id,
    )
    db.session.add(referral)
    db.session.commit()
    return referral


def consents(case: Case) -> list[RegisterConsent]:
    return list(
        db.session.scalars(
            select(RegisterConsent)
            .where(RegisterConsent.case_id == case.id)
            .order_by(RegisterConsent.created_at.desc(), RegisterConsent.id.desc())
        )
    )


def record_consent(
    case: Case,
    by: User,
    *,
    given: bool,
    giver: ConsentGiver,
    giver_name: str,
    decided_on: date,
    way: ConsentWay,
) -> RegisterConsent:
    consent = RegisterConsent(
        case_id=case.id,
        given=given,
        giver=giver,
        giver_name=giver_name,
        decided_on=decided_on,
        way=way,
        recorded_by_id=by.id,
    )
    db.session.add(consent)
    db.session.commit()
    return consent


@dataclass
class Eligibility:
    """Whether the case fits key working, and the problems when it does not (as codes the
    page words: "age", "no_birth_date", "no_referral", "condition", "no_consent", "withdrawn")."""

    problems: list[str]
    age: int | None
    withdrawn_on: date | None = None

    @property
    def fits(self) -> bool:
        return not self.problems


def eligibility(case: Case, today: date) -> Eligibility:
    problems: list[str] = []
    age = case.young_person.age_on(today)
    if age is None:
        problems.append("no_birth_date")
    elif age not in ELIGIBLE_AGES:
        problems.append("age")
    found = referrals(case)
    if not found:
        problems.append("no_referral")
    elif found[0].condition is Condition.NEITHER:
        problems.append("condition")
    permission = consents(case)
    withdrawn_on = None
    if not permission:
        problems.append("no_consent")
    elif not permission[0].given:
        problems.append("withdrawn")
        withdrawn_on = permission[0].decided_on
    return Eligibility(problems, age, withdrawn_on)


# Barriers and escalation ---------------------------------------------------------------------


def barriers(case: Case) -> list[Barrier]:
    """Open barriers first, then the newest."""
    found = list(
        db.session.scalars(
            select(Barrier)
            .where(Barrier.case_id == case.id)
            .options(selectinload(Barrier.steps).joinedload(BarrierStep.by))
            .order_by(Barrier.raised_on.desc(), Barrier.id.desc())
        )
    )
    return sorted(found, key=lambda b: b.closed_at is not None)


def barrier_by_id(barrier_id: int) -> Barrier | None:
    return db.session.get(Barrier, barrier_id)


def add_barrier(
    case: Case, by: User, *, description: str, raised_with: str, raised_on: date
) -> Barrier:
    barrier = Barrier(
        case_id=case.id,
        description=description,
        raised_with=raised_with,
        raised_on=raised_on,
        recorded_by_id=by.id,
    )
    db.session.add(barrier)
    db.session.commit()
    return barrier


def add_barrier_step(barrier: Barrier, by: User, kind: BarrierStepKind, text: str) -> BarrierStep:
    """Escalate (a new row each time), or record the outcome, which closes the barrier."""
    step = BarrierStep(barrier_id=barrier.id, kind=kind, text=text, by_id=by.id)
    db.session.add(step)
    if kind is BarrierStepKind.OUTCOME:
        barrier.closed_at = utcnow()
    db.session.commit()
    return step


def open_barrier_counts(case_ids: list[int]) -> dict[int, int]:
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(Barrier.case_id, func.count(Barrier.id))
        .where(Barrier.case_id.in_(case_ids), Barrier.closed_at.is_(None))
        .group_by(Barrier.case_id)
    )
    return {case_id: count for case_id, count in rows}


def open_barriers(team_id: int) -> list[Barrier]:
    """The team's open barriers, oldest first, with their steps (to tell escalated ones)."""
    return list(
        db.session.scalars(
            select(Barrier)
            .join(Case, Case.id == Barrier.case_id)
            .where(Case.team_id == team_id, Barrier.closed_at.is_(None))
            .options(selectinload(Barrier.steps))
            .order_by(Barrier.raised_on, Barrier.id)
        )
    )


# Caseload limits -----------------------------------------------------------------------------


@dataclass
class Caseload:
    key_worker: User
    cases: int  # open cases (referred or active) this key worker is on
    limit: int

    @property
    def over(self) -> bool:
        return self.cases > self.limit

    @property
    def full(self) -> bool:
        return self.cases >= self.limit


def caseloads(team_id: int) -> list[Caseload]:
    """Each active key worker of the team, with their open cases against the team's limit."""
    from ..models import CaseKeyWorker, CaseStatus, Role

    limit = settings_for(team_id).caseload_limit
    people = list(
        db.session.scalars(
            select(User)
            .where(User.team_id == team_id, User.role == Role.KEY_WORKER, User.active.is_(True))
            .order_by(User.name)
        )
    )
    counts = dict(
        db.session.execute(
            select(CaseKeyWorker.user_id, func.count(CaseKeyWorker.case_id))
            .join(Case, Case.id == CaseKeyWorker.case_id)
            .where(Case.team_id == team_id, Case.status != CaseStatus.CLOSED)
            .group_by(CaseKeyWorker.user_id)
        ).all()
    )
    return [Caseload(p, counts.get(p.id, 0), limit) for p in people]


# The caseload --------------------------------------------------------------------------------


@dataclass
class Flags:
    """What the register adds to a caseload row."""

    review_on: date | None = None
    review_due: bool = False
    follow_up: HospitalDischarge | None = None
    barriers: int = 0


def caseload_flags(cases: list[Case], today: date) -> dict[int, Flags]:
    ids = [c.id for c in cases]
    latest = latest_changes(ids)
    follow_ups = open_follow_ups(ids)
    blocked = open_barrier_counts(ids)
    found: dict[int, Flags] = {}
    for case_id in ids:
        change = latest.get(case_id)
        found[case_id] = Flags(
            review_on=change.review_on if change else None,
            review_due=review_due(change, today),
            follow_up=follow_ups.get(case_id),
            barriers=blocked.get(case_id, 0),
        )
    return found
