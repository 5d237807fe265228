"""Check-in reminders the young person chooses: none by default, once or twice a day at their
own times, never in their quiet hours, never more than they chose. Sent by push through the
outbox by the same `tick(now)` as urgent signals."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import OutboxItem, Preferences, User
from .messages import LONDON

WINDOW = timedelta(minutes=30)  # a late tick still sends it; a much later one does not


def parse_times(value: str) -> list[time]:
    result = []
    for part in (value or "").split():
        hours, _sep, minutes = part.partition(":")
        if hours.isdigit() and minutes.isdigit():
            result.append(time(int(hours), int(minutes)))
    return result


def in_quiet_hours(moment: time, quiet_from: time | None, quiet_until: time | None) -> bool:
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until  # across midnight, like 22:00 to 07:00


def save(user: User, times: list[time], quiet_from: time | None, quiet_until: time | None):
    prefs = user.preferences
    prefs.reminder_times = " ".join(t.strftime("%H:%M") for t in sorted(times)[:2])
    prefs.quiet_from, prefs.quiet_until = quiet_from, quiet_until
    db.session.commit()


def turn_off(user: User) -> None:
    user.preferences.reminder_times = ""
    db.session.commit()


def queue_due(now: datetime) -> int:
    """Queue one push per device for each reminder time that has come (within WINDOW)."""
    from .push import subscriptions_of

    local = now.astimezone(LONDON)
    queued = 0
    chosen = db.session.scalars(select(Preferences).where(Preferences.reminder_times != ""))
    for prefs in chosen.all():
        user = db.session.get_one(User, prefs.user_id)
        if not user.active or not user.role.is_family:
            continue
        for slot, at in enumerate(parse_times(prefs.reminder_times)[:2]):
            due = datetime.combine(local.date(), at, tzinfo=LONDON)
            if not due <= local < due + WINDOW:
                continue
            if in_quiet_hours(at, prefs.quiet_from, prefs.quiet_until):
                continue
            for subscription in subscriptions_of(user):
                key = f"reminder-{user.id}-{local.date().isoformat()}-{slot}-{subscription.id}"
                if db.session.scalar(select(OutboxItem.id).where(OutboxItem.dedupe_key == key)):
                    continue
                db.session.add(
                    OutboxItem(kind="push", user_id=user.id, subscription_id=subscription.id,
                               topic="reminder", dedupe_key=key, next_attempt_at=now)
                )  # fmt: skip
                queued += 1
    db.session.commit()
    return queued
