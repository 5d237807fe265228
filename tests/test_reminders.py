"""Check-in reminders: none by default, once or twice a day at the person's times, never in
quiet hours, never more than chosen, one tap to turn off; sent by push through the outbox by
the same tick as urgent signals (a real push service decrypts them)."""

# ruff: noqa: F811 - the push service and phone fixtures come from tests/test_push.py
from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import http_ece
from sqlalchemy import select

from tests.test_push import (  # noqa: F401 - fixtures
    _subscribe,
    local_push_service_allowed,
    phone,
    service,
)
from webapp.extensions import db
from webapp.models import OutboxItem

MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # London is on UTC in December


def _reminders():
    return list(db.session.scalars(select(OutboxItem).where(OutboxItem.topic == "reminder")))


def _choose(sam, **fields):
    data = {"how_often": "none", "first": "", "second": "", "quiet_from": "", "quiet_until": ""}
    return sam.post_form("/journal/reminders", {**data, **fields})


def test_none_by_default(app, as_user, service, phone):
    _subscribe(as_user("sam"), service, phone)
    with app.app_context():
        from webapp.services import alerts

        for minutes in range(0, 24 * 60, 30):
            alerts.tick(MORNING + timedelta(minutes=minutes))
        assert _reminders() == []
    assert "Get a reminder to check in" in as_user("sam").get("/journal/").get_data(as_text=True)


def test_once_a_day_at_my_time_never_more_and_decrypted_on_the_phone(app, as_user, service, phone):
    sam = as_user("sam")
    _subscribe(sam, service, phone)
    assert _choose(sam, how_often="once", first="09:00").status_code == 302
    assert "once a day, at 9:00am" in sam.get("/journal/").get_data(as_text=True)
    with app.app_context():
        from webapp.services import alerts

        alerts.tick(MORNING - timedelta(minutes=1))
        assert _reminders() == []
        for minutes in (0, 1, 5, 29, 45, 120):
            alerts.tick(MORNING + timedelta(minutes=minutes))
        assert len(_reminders()) == 1 and _reminders()[0].sent_at is not None
        alerts.tick(MORNING + timedelta(days=1, minutes=3))  # the next day, once more
        assert len(_reminders()) == 2
    _headers, body, _at = service.received[0]
    data = json.loads(
        http_ece.decrypt(
            body, private_key=phone["key"], auth_secret=phone["auth_bytes"], version="aes128gcm"
        )
    )
    assert data["url"] == "/journal/" and "check in" in data["body"]


def test_twice_a_day_and_a_late_tick_within_the_window(app, as_user, service, phone):
    sam = as_user("sam")
    _subscribe(sam, service, phone)
    _choose(sam, how_often="twice", first="08:30", second="19:15")
    with app.app_context():
        from webapp.services import alerts

        for at in (datetime(2026, 12, 1, 8, 40, tzinfo=UTC), datetime(2026, 12, 1, 19, 16,
                   tzinfo=UTC), datetime(2026, 12, 1, 19, 40, tzinfo=UTC)):  # fmt: skip
            alerts.tick(at)
        assert len(_reminders()) == 2


def test_quiet_hours_are_kept_and_checked_in_the_form(app, as_user):
    sam = as_user("sam")
    bad = _choose(sam, how_often="once", first="23:00", quiet_from="22:00", quiet_until="07:00")
    assert bad.status_code == 400
    assert "This time is in your quiet hours" in bad.get_data(as_text=True)
    bad = _choose(sam, how_often="twice", first="9am", second="09:00", quiet_from="22:00")
    text = bad.get_data(as_text=True)
    assert "like 09:00" in text and "Write both times for quiet hours" in text
    with app.app_context():
        from webapp.services import accounts, alerts, reminders

        person = accounts.user_by_email("sam@example.org")
        # Stored directly (an older choice): a reminder time inside quiet hours is never sent.
        reminders.save(person, [time(6, 0)], time(22, 0), time(7, 0))
        assert reminders.in_quiet_hours(time(6, 0), time(22, 0), time(7, 0))
        assert not reminders.in_quiet_hours(time(7, 0), time(22, 0), time(7, 0))
        alerts.tick(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
        assert _reminders() == []


def test_one_tap_turns_them_off(app, as_user, service, phone):
    sam = as_user("sam")
    _subscribe(sam, service, phone)
    _choose(sam, how_often="once", first="09:00")
    response = sam.post_form("/journal/reminders/off", {}, page="/journal/")
    assert response.status_code == 302
    assert "Get a reminder to check in" in sam.get("/journal/").get_data(as_text=True)
    with app.app_context():
        from webapp.services import alerts

        alerts.tick(MORNING)
        assert _reminders() == []
