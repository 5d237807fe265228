"""What happens next: appointments and meetings, changes the family is told about, notes after
them, "Things I want to say", reminders and calendar files."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import (
    Appointment,
    AppointmentKind,
    AppointmentNote,
    Attendance,
    CalendarFeed,
    Case,
    CaseKeyWorker,
    CaseStatus,
    OutboxItem,
    ReminderChoice,
    Role,
    ThingsToSay,
    User,
    utcnow,
)
from . import once, push

LONDON = ZoneInfo("Europe/London")
TITLE_MAX = 120
PLACE_MAX = 500
WORDS_MAX = 2000
SAY_MAX = 1000
# What the outbox item is about, so the push and email say the right (content-free) words.
CHANGED = push.NEXT_CHANGED
REMINDER = push.NEXT_REMINDER
# Reminders: the day before at 6pm, on the morning at 8am (London time), and 1 hour before.
DAY_BEFORE_AT = time(18, 0)
MORNING_AT = time(8, 0)
# A reminder not sent within this long of its time (the command was not running) is skipped.
LATE_LIMIT = timedelta(hours=3)


@dataclass
class Draft:
    kind: AppointmentKind
    title: str | None
    starts_at: datetime  # aware
    ends_at: datetime | None
    how: Attendance
    place: str | None
    who: str | None
    what_happens: str | None
    what_to_bring: str | None
    carers_see: bool = True


def local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def from_local(day: date, at: time) -> datetime:
    """A London wall-clock time as an aware UTC moment (a time that does not exist in spring,
    such as 1:30am on the last Sunday of March, moves forward an hour)."""
    naive = datetime.combine(day, at)
    moment = naive.replace(tzinfo=LONDON)
    back = moment.astimezone(UTC).astimezone(LONDON)
    if back.replace(tzinfo=None) != naive:  # in the gap: zoneinfo reads it with the old offset
        moment = (naive + timedelta(hours=1)).replace(tzinfo=LONDON)
    return moment.astimezone(UTC)


def _apply(appointment: Appointment, draft: Draft) -> None:
    appointment.kind = draft.kind
    appointment.title = draft.title or None
    appointment.starts_at = draft.starts_at
    appointment.ends_at = draft.ends_at
    appointment.how = draft.how
    appointment.place = draft.place or None
    appointment.who = draft.who or None
    appointment.what_happens = draft.what_happens or None
    appointment.what_to_bring = draft.what_to_bring or None
    appointment.carers_see = draft.carers_see


def add(case: Case, by: User, draft: Draft, client_key: str) -> Appointment:
    """Store one appointment. The same form sent twice gives back the first."""

    def make() -> Appointment:
        appointment = Appointment(case_id=case.id, author_id=by.id, client_key=client_key)
        _apply(appointment, draft)
        return appointment

    existing = once.find(Appointment, by.id, client_key)
    if existing is not None:
        return existing
    appointment = once.create_once(Appointment, by.id, client_key, make)
    tell_family(case, appointment)
    return appointment


def change(appointment: Appointment, case: Case, draft: Draft) -> bool:
    """Save a change. A new time or place is kept as a change the family is shown and told
    about, never silently. True if the time or place changed."""
    moved = draft.starts_at != appointment.starts_at
    new_place = (draft.place or None) != appointment.place
    if moved or new_place:
        appointment.was_starts_at = appointment.starts_at if moved else None
        appointment.was_place = appointment.place if new_place else None
        appointment.changed_at = utcnow()
    _apply(appointment, draft)
    db.session.commit()
    if moved or new_place:
        tell_family(case, appointment)
    return moved or new_place


def cancel(appointment: Appointment, case: Case) -> None:
    if appointment.cancelled_at is None:
        appointment.cancelled_at = appointment.changed_at = utcnow()
        db.session.commit()
        tell_family(case, appointment)


def by_id(appointment_id: int) -> Appointment | None:
    return db.session.get(Appointment, appointment_id)


def for_case(case_id: int) -> list[Appointment]:
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.case_id == case_id)
            .order_by(Appointment.starts_at, Appointment.id)
            .options(selectinload(Appointment.note))
        )
    )


def _ends(appointment: Appointment) -> datetime:
    return appointment.ends_at or appointment.starts_at + timedelta(hours=1)


def coming(appointments: list[Appointment], now: datetime) -> list[Appointment]:
    """Soonest first; one that is happening now stays until it ends."""
    return [a for a in appointments if _ends(a) > now]


def before(appointments: list[Appointment], now: datetime) -> list[Appointment]:
    """Newest first."""
    return sorted((a for a in appointments if _ends(a) <= now), key=lambda a: a.starts_at,
                  reverse=True)  # fmt: skip


def by_day(appointments: list[Appointment]) -> list[tuple[date, list[Appointment]]]:
    """Grouped by London day, for a heading per day."""
    days: dict[date, list[Appointment]] = {}
    for appointment in appointments:
        days.setdefault(local(appointment.starts_at).date(), []).append(appointment)
    return list(days.items())


# Telling the family ------------------------------------------------------------------------------


def family(case: Case) -> list[User]:
    return [case.young_person, *(c.user for c in case.carers)]


def _queue(user: User, about: str, key: str) -> int:
    """A push to each of the person's devices, or an email when no push has ever worked.
    Never says what the appointment is. `key` stops the same news going twice."""
    queued = 0
    subscriptions = push.subscriptions_of(user)
    for subscription in subscriptions:
        dedupe = f"{key}-p{subscription.id}"[:100]
        if db.session.scalar(select(OutboxItem.id).where(OutboxItem.dedupe_key == dedupe)):
            continue
        db.session.add(OutboxItem(kind="push", user_id=user.id, subscription_id=subscription.id,
                                  dedupe_key=dedupe, topic=about))  # fmt: skip
        queued += 1
    worked = any(s.last_success_at for s in subscriptions)
    wants_email = user.email and (user.preferences is None or user.preferences.email_when_unread)
    if not worked and wants_email:
        dedupe = f"{key}-e"[:100]
        if not db.session.scalar(select(OutboxItem.id).where(OutboxItem.dedupe_key == dedupe)):
            db.session.add(OutboxItem(kind="email", user_id=user.id, dedupe_key=dedupe,
                                      topic=about))  # fmt: skip
            queued += 1
    return queued


def tell_family(case: Case, appointment: Appointment) -> int:
    """ "Something has changed in What happens next", to each family member who sees it."""
    stamp = int((appointment.changed_at or appointment.created_at or utcnow()).timestamp())
    queued = 0
    for person in family(case):
        if person.active and policy.can_see(person, appointment, case):
            queued += _queue(person, CHANGED, f"next-{appointment.id}-{person.id}-{stamp}")
    db.session.commit()
    return queued


# After the meeting -------------------------------------------------------------------------------


def save_note(appointment: Appointment, by: User, words: str) -> AppointmentNote:
    note = appointment.note
    if note is None:
        note = AppointmentNote(appointment_id=appointment.id, author_id=by.id, words=words)
        db.session.add(note)
        appointment.note = note
    else:
        note.words, note.author_id, note.updated_at = words, by.id, utcnow()
    db.session.commit()
    return note


def without_note(case_ids: list[int], now: datetime) -> list[Appointment]:
    """Meetings that have happened (not cancelled) with no note yet, oldest first."""
    if not case_ids:
        return []
    found = db.session.scalars(
        select(Appointment)
        .where(Appointment.case_id.in_(case_ids), Appointment.starts_at < now,
               Appointment.cancelled_at.is_(None))
        .options(selectinload(Appointment.note))
        .order_by(Appointment.starts_at)
    )  # fmt: skip
    return [a for a in found if a.note is None and _ends(a) <= now]


def between(case_ids: list[int], start: datetime, end: datetime) -> list[Appointment]:
    if not case_ids:
        return []
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.case_id.in_(case_ids), Appointment.starts_at >= start,
                   Appointment.starts_at < end)
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )  # fmt: skip


def case_ids_of(user: User) -> list[int]:
    """The cases whose appointments a member of staff arranges (for their coming week)."""
    if user.role is Role.KEY_WORKER:
        return list(db.session.scalars(
            select(CaseKeyWorker.case_id).where(CaseKeyWorker.user_id == user.id)))  # fmt: skip
    if user.role is Role.MANAGER and user.team_id is not None:
        return list(db.session.scalars(select(Case.id).where(Case.team_id == user.team_id)))
    return []


def cases_by_id(case_ids: list[int]) -> dict[int, Case]:
    if not case_ids:
        return {}
    found = db.session.scalars(
        select(Case).where(Case.id.in_(case_ids)).options(selectinload(Case.young_person))
    )
    return {c.id: c for c in found}


# Things I want to say ----------------------------------------------------------------------------


def things_to_say(appointment: Appointment, author: User) -> ThingsToSay | None:
    return db.session.scalar(
        select(ThingsToSay).where(
            ThingsToSay.appointment_id == appointment.id, ThingsToSay.author_id == author.id
        )
    )


def shared_things_to_say(appointment: Appointment) -> list[ThingsToSay]:
    return list(
        db.session.scalars(
            select(ThingsToSay).where(
                ThingsToSay.appointment_id == appointment.id, ThingsToSay.shared.is_(True)
            )
        )
    )


def save_things_to_say(appointment: Appointment, author: User, words: str, share: bool) -> None:
    found = things_to_say(appointment, author)
    if found is None:
        found = ThingsToSay(appointment_id=appointment.id, author_id=author.id, words="")
        db.session.add(found)
    found.words = words
    if share and not found.shared:
        found.shared_at = utcnow()
    found.shared = share
    if not share:
        found.shared_at = None
    found.updated_at = utcnow()
    db.session.commit()


def set_carers_see(appointment: Appointment, carers_see: bool) -> None:
    appointment.carers_see = carers_see
    db.session.commit()


# Reminders ---------------------------------------------------------------------------------------


@dataclass
class Choices:
    day_before: bool
    morning: bool
    hour_before: bool


def choices_of(user: User) -> Choices:
    """Off by default for carers, on for young people."""
    row = db.session.get(ReminderChoice, user.id)
    if row is None:
        on = user.role is Role.YOUNG_PERSON
        return Choices(on, on, on)
    return Choices(row.day_before, row.morning, row.hour_before)


def save_choices(user: User, choices: Choices) -> None:
    row = db.session.get(ReminderChoice, user.id)
    if row is None:
        row = ReminderChoice(user_id=user.id)
        db.session.add(row)
    row.day_before, row.morning, row.hour_before = (
        choices.day_before, choices.morning, choices.hour_before)  # fmt: skip
    db.session.commit()


def reminder_times(appointment: Appointment) -> dict[str, datetime]:
    """When each reminder is due, worked out in London time (so the clocks changing is right)."""
    day = local(appointment.starts_at).date()
    times = {
        "day_before": from_local(day - timedelta(days=1), DAY_BEFORE_AT),
        "hour_before": appointment.starts_at - timedelta(hours=1),
    }
    morning = from_local(day, MORNING_AT)
    if morning < times["hour_before"]:  # an early appointment: the hour before is enough
        times["morning"] = morning
    return times


def due_reminders(now: datetime) -> int:
    """Queue every reminder whose time has come (run it every few minutes). `now` is the clock,
    so tests choose the time. Each reminder is queued once per person and appointment."""
    soon = list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.starts_at > now, Appointment.starts_at <= now + timedelta(days=2),
                   Appointment.cancelled_at.is_(None))
            .order_by(Appointment.starts_at)
        )
    )  # fmt: skip
    queued = 0
    for appointment in soon:
        case = db.session.get_one(Case, appointment.case_id)
        if case.status is CaseStatus.CLOSED and appointment.starts_at < now:
            continue
        for which, at in reminder_times(appointment).items():
            if not (at <= now < at + LATE_LIMIT):
                continue
            for person in family(case):
                if not person.active or not getattr(choices_of(person), which):
                    continue
                if not policy.can_see(person, appointment, case, now.date()):
                    continue
                queued += _queue(person, REMINDER, f"remind-{appointment.id}-{person.id}-{which}")
    db.session.commit()
    return queued


# Calendar files ---------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(user: User) -> str:
    """A new private calendar address; the old one stops working. Only its hash is kept."""
    token = secrets.token_urlsafe(32)
    row = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if row is None:
        row = CalendarFeed(user_id=user.id, token_hash=_hash(token))
        db.session.add(row)
    else:
        row.token_hash, row.created_at = _hash(token), utcnow()
    db.session.commit()
    return token


def has_feed(user: User) -> bool:
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
        is not None
    )


def stop_feed(user: User) -> None:
    row = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if row is not None:
        db.session.delete(row)
        db.session.commit()


def feed_owner(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    return db.session.get(User, row.user_id) if row is not None else None


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))  # fmt: skip


def _fold(line: str) -> str:
    """RFC 5545: lines of at most 75 octets, continued with a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(events: list[tuple[Appointment, str]], host: str) -> str:
    """A calendar with each appointment: a summary chosen by the caller (no health details),
    the place, and times in UTC (so every calendar shows the right London time)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//My Key Worker//What happens next//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]  # fmt: skip
    for appointment, summary in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:appointment-{appointment.id}@{host}",
            f"DTSTAMP:{_utc(appointment.changed_at or appointment.created_at or utcnow())}",
            f"DTSTART:{_utc(appointment.starts_at)}",
            f"DTEND:{_utc(_ends(appointment))}",
            f"SUMMARY:{_ics_text(summary)}",
        ]
        if appointment.place and appointment.how is Attendance.IN_PERSON:
            lines.append(f"LOCATION:{_ics_text(appointment.place)}")
        if appointment.cancelled_at is not None:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
