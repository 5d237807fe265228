"""Urgent signals reach a person: told at once (or when the team opens), escalated on time
until someone presses "I have seen this", and every step kept for the case timeline.

`tick(now)` is the scheduler path: `flask alerts tick` runs it every minute. Every function
takes the clock as an argument so tests control time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Alert,
    AlertNotice,
    Case,
    CaseKeyWorker,
    HelpRequest,
    Role,
    Team,
    User,
    utcnow,
)
from .messages import LONDON, in_office_hours

CONTACT_CHOICES = (30, 60, 120, 240)  # "I will contact them within …" minutes
RECENT = timedelta(hours=24)  # acknowledged alerts stay on the Urgent list this long


def next_opening(team: Team, moment: datetime) -> datetime:
    """When the team is next open, at or after `moment` (in UTC)."""
    if in_office_hours(team, moment):
        return moment
    local = moment.astimezone(LONDON)
    for offset in range(0, 8):
        day = (local + timedelta(days=offset)).date()
        if str(day.weekday()) not in team.office_days:
            continue
        opens = datetime.combine(day, team.office_opens, tzinfo=LONDON)
        if opens > local:
            return opens.astimezone(moment.tzinfo)
    return moment  # a team with no office days: treat it as always open, never as never


def find(source: str, source_id: int) -> Alert | None:
    return db.session.scalar(
        select(Alert).where(Alert.source == source, Alert.source_id == source_id)
    )


def raise_alert(case: Case, source: str, source_id: int, by: User, now: datetime) -> Alert:
    """One alert per thing, however often it is pressed. Tells people at once in office hours."""
    existing = find(source, source_id)
    if existing is not None:
        return existing
    team = case.team
    open_now = in_office_hours(team, now)
    alert = Alert(
        case_id=case.id, source=source, source_id=source_id, raised_by_id=by.id,
        created_at=now, starts_at=now if open_now else next_opening(team, now),
        out_of_hours=not open_now, level=0,
    )  # fmt: skip
    db.session.add(alert)
    try:
        db.session.flush()
    except IntegrityError:  # the same press arrived twice at the same moment
        db.session.rollback()
        winner = find(source, source_id)
        if winner is None:  # the other insert failed for another reason
            raise
        return winner
    advance(alert, now)
    db.session.commit()
    return alert


def _available(users) -> list[User]:
    return [u for u in users if u.active and not u.on_leave]


def _team_staff(team_id: int, role: Role) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.team_id == team_id, User.role == role).order_by(User.name)
        )
    )


def _duty(team_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.team_id == team_id, User.on_duty.is_(True)).order_by(User.id)
        )
    )


def _tell(alert: Alert, user: User | None, reason: str, now: datetime, email: str | None = None):
    from . import push

    if user is not None and any(n.user_id == user.id for n in alert.notices):
        return
    if user is None and any(n.email == email for n in alert.notices):
        return
    alert.notices.append(
        AlertNotice(user_id=user.id if user else None, email=None if user else email,
                    reason=reason, told_at=now)
    )  # fmt: skip
    who = f"u{user.id}" if user else "team"
    push.queue_urgent(user, now, f"alert-{alert.id}-{who}", email=None if user else email)


def advance(alert: Alert, now: datetime) -> None:
    """Tell whoever is due to be told by `now`. The caller commits."""
    if alert.acknowledged_at is not None or now < alert.starts_at:
        return
    case = db.session.get_one(Case, alert.case_id)
    team = case.team
    elapsed = now - alert.starts_at
    if alert.level < 1:
        key_workers = _available(
            db.session.scalars(
                select(User).join(CaseKeyWorker, CaseKeyWorker.user_id == User.id)
                .where(CaseKeyWorker.case_id == case.id)
            )
        )  # fmt: skip
        first_line = [(u, "key_worker") for u in key_workers]
        first_line += [(u, "duty") for u in _available(_duty(team.id))]
        for user, reason in first_line:
            _tell(alert, user, reason, now)
        if team.duty_email:
            _tell(alert, None, "duty", now, email=team.duty_email)
        if not first_line:  # nobody on the case or on duty is working: go straight up
            alert.level = 1
            for user in _available(_team_staff(team.id, Role.MANAGER)):
                _tell(alert, user, "manager", now)
            alert.level = 2
        alert.level = max(alert.level, 1)
    if alert.level < 2 and elapsed >= timedelta(minutes=team.escalate_manager_minutes):
        for user in _available(_team_staff(team.id, Role.MANAGER)):
            _tell(alert, user, "manager", now)
        alert.level = 2
    if alert.level < 3 and elapsed >= timedelta(minutes=team.escalate_team_minutes):
        for user in _available(_team_staff(team.id, Role.KEY_WORKER)):
            _tell(alert, user, "team", now)
        alert.level = 3


def tick(now: datetime, send: bool = True) -> dict[str, int]:
    """Run every minute: escalate what is due, queue reminders, send the outbox (unless the
    job queue sends it: `send=False`)."""
    from . import push, reminders

    waiting = list(
        db.session.scalars(
            select(Alert).where(
                Alert.acknowledged_at.is_(None), Alert.level < 3, Alert.starts_at <= now
            )
        )
    )
    for alert in waiting:
        advance(alert, now)
    db.session.commit()
    queued = reminders.queue_due(now)
    counts = push.send_pending(limit=500, now=now) if send else {"sent": 0, "failed": 0, "gone": 0}
    return {"alerts": len(waiting), "reminders": queued, **counts}


def acknowledge(alert: Alert, by: User, contact_minutes: int, now: datetime) -> bool:
    """The first "I have seen this" counts; a second press changes nothing."""
    if alert.acknowledged_at is not None:
        return False
    alert.acknowledged_at, alert.acknowledged_by_id = now, by.id
    alert.contact_by = now + timedelta(minutes=contact_minutes)
    db.session.commit()
    return True


def alert_by_id(alert_id: int) -> Alert | None:
    return db.session.scalar(
        select(Alert).where(Alert.id == alert_id).options(
            selectinload(Alert.notices).selectinload(AlertNotice.user),
            selectinload(Alert.raised_by), selectinload(Alert.acknowledged_by),
        )
    )  # fmt: skip


def for_case(case_id: int) -> list[Alert]:
    return list(
        db.session.scalars(
            select(Alert).where(Alert.case_id == case_id)
            .order_by(Alert.created_at.desc(), Alert.id.desc())
            .options(selectinload(Alert.notices).selectinload(AlertNotice.user),
                     selectinload(Alert.acknowledged_by))
        )
    )  # fmt: skip


@dataclass
class UrgentRow:
    alert: Alert
    case: Case
    waiting: timedelta  # until acknowledged, or until now


def urgent_list(user: User, now: datetime) -> list[UrgentRow]:
    """For a member of staff: alerts on cases they may see, and alerts they were told about,
    not yet acknowledged or acknowledged in the last day. Waiting ones first, oldest first."""
    if user.role not in (Role.KEY_WORKER, Role.MANAGER) or user.team_id is None:
        return []
    from .. import policy

    found = db.session.scalars(
        select(Alert).join(Case, Case.id == Alert.case_id)
        .where(Case.team_id == user.team_id)
        .where(Alert.acknowledged_at.is_(None) | (Alert.acknowledged_at >= now - RECENT))
        .options(selectinload(Alert.notices).selectinload(AlertNotice.user),
                 selectinload(Alert.acknowledged_by))
    ).all()  # fmt: skip
    rows = []
    for alert in found:
        case = db.session.get_one(Case, alert.case_id)
        told = any(n.user_id == user.id for n in alert.notices)
        if not (told or policy.can_see_case(user, case)):
            continue
        end = alert.acknowledged_at or now
        rows.append(UrgentRow(alert, case, max(end - alert.starts_at, timedelta(0))))
    return sorted(rows, key=lambda r: (r.alert.acknowledged_at is not None, r.alert.created_at))


def latest_for_member(
    user: User, case: Case, since: datetime, source: str | None = None
) -> Alert | None:
    """The newest alert this family member raised recently (for their home page)."""
    stmt = select(Alert).where(
        Alert.case_id == case.id, Alert.raised_by_id == user.id, Alert.created_at >= since
    )
    if source:
        stmt = stmt.where(Alert.source == source)
    return db.session.scalar(stmt.order_by(Alert.created_at.desc(), Alert.id.desc()).limit(1))


def source_of(alert: Alert) -> object | None:
    """The record an alert came from (for who may see its status)."""
    if alert.source == "help_request":
        return db.session.get(HelpRequest, alert.source_id)
    return None


def now() -> datetime:
    return utcnow()
