"""The audit trail: every change by anyone, every staff read of a record, every refused look.

Changes are recorded by a flush hook in the same transaction as the change itself (so a change
never lands without its record, nor a record without its change). Reads are recorded by the
views that show a record to staff. Never the content: who, role, what, which, when.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import has_request_context, session
from flask_login import current_user
from sqlalchemy import and_, event, insert, or_, select
from sqlalchemy.orm import Session

from .. import policy
from ..extensions import db
from ..models import AuditEvent, Case, Role, User, utcnow
from . import tokens

# Tables whose changes are not events in anyone's record: the trail itself, what to send,
# throttles, read marks and the sign-in sessions' last-used times.
NOT_AUDITED = frozenset(
    {"audit_events", "outbox", "sign_in_throttles", "conversation_reads", "sessions"}
)


def _actor() -> tuple[int | None, str, str | None]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.role.value, _session_hash()
    return None, "system", None


def _session_hash() -> str | None:
    """Which sign-in this was, to tell one session's events from another's: a keyed hash of
    the session's id that differs from the one the sessions table keeps."""
    sid = session.get("sid")
    return tokens.keyed_digest(f"audit-session:{sid}")[:32] if sid else None


def _row(obj: object, action: str) -> dict | None:
    table = getattr(obj, "__tablename__", None)
    if table is None or table in NOT_AUDITED:
        return None
    actor_id, role, session_hash = _actor()
    case_id = getattr(obj, "case_id", None)
    if table == "cases":
        case_id = getattr(obj, "id", None)
    return {
        "at": utcnow(), "actor_id": actor_id, "actor_role": role, "case_id": case_id,
        "record_type": table, "record_id": getattr(obj, "id", None), "action": action,
        "session_hash": session_hash,
    }  # fmt: skip


def _before_flush(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault("audit_pending", [])
    pending += [(o, "create") for o in session.new]
    pending += [(o, "update") for o in session.dirty if session.is_modified(o)]
    pending += [(o, "delete") for o in session.deleted]


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop("audit_pending", [])
    rows = [r for r in (_row(o, action) for o, action in pending) if r]
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def install() -> None:
    """Record every change made through the ORM, in the same transaction."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        policy.DENIED.append(denied)


def _add(action: str, record_type: str, record_id: int | None, case_id: int | None) -> None:
    actor_id, role, session_hash = _actor()
    db.session.add(
        AuditEvent(actor_id=actor_id, actor_role=role, case_id=case_id, record_type=record_type,
                   record_id=record_id, action=action, session_hash=session_hash)
    )  # fmt: skip
    db.session.commit()


def staff_read(case: Case, record_type: str, record_id: int | None = None) -> None:
    """A member of staff read a record about a family (a plan, a journal, a conversation…)."""
    if current_user.role in policy.STAFF:
        _add("read", record_type, record_id, case.id)


def denied(case: Case) -> None:
    """Someone tried to open a case they may not see (they got 404)."""
    _add("denied", "cases", case.id, case.id)


def account_switched(person: User, case_id: int | None, on: bool) -> None:
    """A manager switched an account off or on; committed with the change itself."""
    _add("switch_on" if on else "switch_off", "users", person.id, case_id)


def exported(record_type: str, case_id: int | None = None) -> None:
    _add("export", record_type, None, case_id)


# Who has looked at my plan --------------------------------------------------------------------


@dataclass
class Look:
    day: date
    person: User
    relation: policy.Relation


def plan_looks(case: Case, today: date | None = None, days: int = 365) -> list[Look]:
    """Staff who read this plan, once per person per day, newest first."""
    since = datetime.combine((today or date.today()) - timedelta(days=days), datetime.min.time())
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.case_id == case.id,
            AuditEvent.record_type == "plan",
            AuditEvent.action == "read",
            AuditEvent.at >= since.replace(tzinfo=utcnow().tzinfo),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()
    people = {u.id: u for u in _users({e.actor_id for e in events if e.actor_id})}
    looks: list[Look] = []
    seen: set[tuple[date, int]] = set()
    for event_ in events:
        person = people.get(event_.actor_id or 0)
        day = event_.at.date()
        if person is None or (day, person.id) in seen:
            continue
        seen.add((day, person.id))
        looks.append(Look(day, person, policy.relation(person, case, case.young_person_id)))
    return looks


def _users(ids: Iterable[int]) -> list[User]:
    ids = list(ids)
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


# The manager's view of the trail ----------------------------------------------------------------


@dataclass
class TrailFilter:
    case_id: int | None = None
    actor_id: int | None = None
    since: date | None = None
    until: date | None = None


def team_trail(team_id: int, f: TrailFilter, limit: int = 500) -> list[AuditEvent]:
    """Events about the team's cases, newest first, filtered."""
    team_cases = select(Case.id).where(Case.team_id == team_id)
    # Staff accounts switched off or on belong to no case: they are the team's too.
    team_staff_ids = select(User.id).where(User.team_id == team_id)
    staff_switched = and_(
        AuditEvent.record_type == "users",
        AuditEvent.action.in_(("switch_off", "switch_on")),
        AuditEvent.record_id.in_(team_staff_ids),
    )
    stmt = select(AuditEvent).where(or_(AuditEvent.case_id.in_(team_cases), staff_switched))
    if f.case_id is not None:
        stmt = stmt.where(AuditEvent.case_id == f.case_id)
    if f.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == f.actor_id)
    zone = utcnow().tzinfo
    if f.since is not None:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(f.since, datetime.min.time(), zone))
    if f.until is not None:
        end = datetime.combine(f.until + timedelta(days=1), datetime.min.time(), zone)
        stmt = stmt.where(AuditEvent.at < end)
    return list(
        db.session.scalars(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    )


def names(events: list[AuditEvent]) -> dict[int, str]:
    return {u.id: u.name for u in _users({e.actor_id for e in events if e.actor_id})}


def team_staff(team_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id == team_id, User.role.in_([Role.KEY_WORKER, Role.MANAGER]))
            .order_by(User.name)
        )
    )


CSV_COLUMNS = ("when", "who_id", "who", "role", "case_id", "record", "record_id", "action")


def _cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(events: list[AuditEvent]) -> str:
    """Ids, names of staff and roles only: never anything anyone wrote."""
    who = names(events)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([_cell(v) for v in (
            e.at.isoformat(timespec="seconds"), e.actor_id or "", who.get(e.actor_id or 0, ""),
            e.actor_role, e.case_id or "", e.record_type, e.record_id or "", e.action,
        )])  # fmt: skip
    return out.getvalue()
