"""Urgent signals reach a person: told at once by push and email (no name, no content),
acknowledged visibly, escalated on time with a clock the tests control, one alert per press."""

# ruff: noqa: F811 - the push service and phone fixtures come from tests/test_push.py
from __future__ import annotations

import json
import re
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
from webapp.models import Alert, AlertNotice, Case, OutboxItem, User

# Tuesday 1 December 2026 (London is on UTC in winter).
TUESDAY_10AM = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TUESDAY_8PM = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def _open_all_day(app):
    """The demo team opens every day, all day: tests through pages use the real clock."""
    with app.app_context():
        from webapp.services import accounts

        team = accounts.user_by_email("kim@example.org").team
        team.office_days = "0123456"
        team.office_opens, team.office_closes = time(0), time(23, 59, 59)
        db.session.commit()


def _red_check_in(sam):
    page = sam.get("/journal/").get_data(as_text=True)
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    response = sam.post_form("/journal/check-in", {"feeling": "red", "client_key": key},
                             page="/journal/")  # fmt: skip
    assert response.status_code == 302
    return response.headers["Location"]


def _decrypt(received, phone):  # noqa: F811
    _headers, body, _at = received
    return json.loads(
        http_ece.decrypt(
            body, private_key=phone["key"], auth_secret=phone["auth_bytes"], version="aes128gcm"
        )
    )


def test_sams_red_check_in_reaches_kim_who_says_she_has_seen_it(
    app,
    as_user,
    service,
    phone,
    outbox,  # noqa: F811
):
    """Done when: Sam's red check-in → "Tell my key worker now" → Kim's push decrypted at the
    push service → Kim presses "I have seen this" → Sam sees "Kim has seen this"."""
    _open_all_day(app)
    kim = as_user("kim")
    _subscribe(kim, service, phone, "kim")  # staff turn on push like families do
    sam = as_user("sam")
    entry_path = _red_check_in(sam)
    page = sam.get(entry_path).get_data(as_text=True)
    assert "Tell my key worker now" in page
    response = sam.post_form(entry_path + "/tell", {}, page=entry_path)
    assert response.status_code == 302
    page = sam.get(entry_path).get_data(as_text=True)
    assert 'aria-live="polite"' in page and "Sent to the team at" in page
    assert "If you are not safe now, call" in page and "111" in page  # the crisis routes

    with app.app_context():
        from webapp.services import push

        push.send_pending()
        alert = db.session.scalar(select(Alert))
        told = {n.user.email for n in alert.notices if n.user}
        assert "kim@example.org" in told
    assert len(service.received) == 1
    data = _decrypt(service.received[0], phone)
    assert data["body"] == "Something urgent is waiting for you in My Key Worker"
    assert "Sam" not in json.dumps(data) and "red" not in json.dumps(data).lower()
    mails = [m for m in outbox if m["To"] == "kim@example.org"]
    assert len(mails) == 1 and "Sam" not in mails[0].get_content()
    assert "Sam" not in mails[0]["Subject"]

    urgent = kim.get("/staff/urgent").get_data(as_text=True)
    assert "Sam Taylor" in urgent and "Nobody has seen it yet" in urgent
    response = kim.post_form(f"/staff/alerts/{alert.id}/seen", {"contact_within": "30"},
                             page=f"/staff/alerts/{alert.id}")  # fmt: skip
    assert response.status_code == 302

    page = sam.get(entry_path).get_data(as_text=True)
    assert "Kim has seen this at" in page and "Kim will contact you by" in page
    assert 'aria-live="polite"' in page
    status = sam.get(f"/alerts/{alert.id}/status").get_json()
    assert status["seen"] and "Kim has seen this" in status["html"]

    timeline = kim.get(f"/staff/cases/{alert.case_id}/timeline").get_data(as_text=True)
    assert "Something urgent was sent" in timeline
    assert "Kim Okafor was told (key worker)" in timeline
    assert "Kim Okafor pressed “I have seen this”" in timeline


def test_double_presses_make_one_alert_and_one_notice(app, as_user, outbox):
    _open_all_day(app)
    sam = as_user("sam")
    entry_path = _red_check_in(sam)
    for _ in range(3):
        sam.post_form(entry_path + "/tell", {}, page=entry_path)
    with app.app_context():
        assert db.session.query(Alert).count() == 1
        kim = db.session.scalar(select(User).where(User.email == "kim@example.org"))
        notices = db.session.scalars(select(AlertNotice).where(AlertNotice.user_id == kim.id))
        assert len(list(notices)) == 1
        emails = db.session.scalars(
            select(OutboxItem).where(OutboxItem.user_id == kim.id, OutboxItem.topic == "urgent")
        )
        assert len(list(emails)) == 1


def test_only_the_team_may_open_or_acknowledge_an_alert(app, as_user):
    _open_all_day(app)
    sam = as_user("sam")
    entry_path = _red_check_in(sam)
    sam.post_form(entry_path + "/tell", {}, page=entry_path)
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    assert sam.get(f"/staff/alerts/{alert_id}").status_code == 404
    assert as_user("alex").get(f"/alerts/{alert_id}/status").status_code == 404  # not theirs
    assert as_user("robin").get("/staff/urgent").status_code == 404
    assert as_user("lee").get(f"/staff/alerts/{alert_id}").status_code == 200  # same team


def test_an_urgent_help_again_request_on_a_closed_case_reaches_the_team(app, as_user, outbox):
    _open_all_day(app)
    jordan = as_user("jordan")
    page = jordan.get("/help-again/ask").get_data(as_text=True)
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    form = {"client_key": key, "happening": "Things are hard at home.", "urgency": "today",
            "contact_way": "phone", "phone": "07700 900456", "best_times": ""}  # fmt: skip
    for step in ("1", "2", "3"):
        response = jordan.post_form("/help-again/ask", {**form, "step": step})
    assert response.status_code == 302
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.source == "help_request"
        assert alert.notices, "nobody was told"
        from webapp.services import push

        push.send_pending()
    page = jordan.get("/help-again/").get_data(as_text=True)
    assert "Sent to the team at" in page and 'aria-live="polite"' in page
    assert any("urgent" in m["Subject"].lower() for m in outbox)


# Escalation, with a clock the tests control -------------------------------------------------


def _raise(now, who="sam"):
    """Sam's red check-in, told to the team at `now` (through the service, as the page does)."""
    from webapp.services import accounts, alerts, cases, journal

    person = accounts.user_by_email(f"{who}@example.org")
    case = cases.case_for_family_member(person)
    entry = journal.check_in(person, case, journal.Feeling.RED, f"red-{now.isoformat()}")
    journal.tell_key_worker(entry)
    return alerts.raise_alert(case, "check_in", entry.id, person, now)


def _told(alert) -> dict[str, str]:
    db.session.refresh(alert)
    return {n.user.email.split("@")[0]: n.reason for n in alert.notices if n.user}


def _set(email, **values):
    from webapp.services import accounts

    person = accounts.user_by_email(email)
    for name, value in values.items():
        setattr(person, name, value)
    db.session.commit()


def test_in_office_hours_the_manager_is_told_at_30_minutes_and_the_team_at_60(app):
    from webapp.services import alerts

    with app.app_context():
        alert = _raise(TUESDAY_10AM)
        assert not alert.out_of_hours and alert.starts_at == TUESDAY_10AM
        assert _told(alert) == {"kim": "key_worker"}  # at once
        alerts.tick(TUESDAY_10AM + timedelta(minutes=29))
        assert _told(alert) == {"kim": "key_worker"}
        alerts.tick(TUESDAY_10AM + timedelta(minutes=30))
        assert _told(alert) == {"kim": "key_worker", "morgan": "manager"}
        alerts.tick(TUESDAY_10AM + timedelta(minutes=59))
        assert "lee" not in _told(alert)
        alerts.tick(TUESDAY_10AM + timedelta(minutes=60))
        assert _told(alert) == {"kim": "key_worker", "morgan": "manager", "lee": "team"}
        alerts.tick(TUESDAY_10AM + timedelta(minutes=90))  # nobody is told twice
        assert len(alert.notices) == 3


def test_the_team_setting_changes_the_escalation_minutes(app):
    from webapp.services import alerts

    with app.app_context():
        alert = _raise(TUESDAY_10AM)
        team = db.session.get(Case, alert.case_id).team
        team.escalate_manager_minutes, team.escalate_team_minutes = 10, 20
        db.session.commit()
        alerts.tick(TUESDAY_10AM + timedelta(minutes=10))
        assert _told(alert)["morgan"] == "manager"
        alerts.tick(TUESDAY_10AM + timedelta(minutes=20))
        assert _told(alert)["lee"] == "team"


def test_once_someone_has_seen_it_nothing_more_escalates(app):
    from webapp.services import accounts, alerts

    with app.app_context():
        alert = _raise(TUESDAY_10AM)
        kim = accounts.user_by_email("kim@example.org")
        assert alerts.acknowledge(alert, kim, 60, TUESDAY_10AM + timedelta(minutes=12))
        assert not alerts.acknowledge(alert, kim, 30, TUESDAY_10AM + timedelta(minutes=13))
        alerts.tick(TUESDAY_10AM + timedelta(minutes=90))
        assert _told(alert) == {"kim": "key_worker"}
        assert alert.contact_by == TUESDAY_10AM + timedelta(minutes=72)


def test_out_of_hours_the_clock_starts_when_the_team_opens(app, as_user):
    from webapp.services import alerts

    with app.app_context():
        alert = _raise(TUESDAY_8PM)
        assert alert.out_of_hours
        assert alert.starts_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # Wednesday 9am
        assert _told(alert) == {}
        alerts.tick(datetime(2026, 12, 2, 8, 59, tzinfo=UTC))
        assert _told(alert) == {}
        alerts.tick(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
        assert _told(alert) == {"kim": "key_worker"}
        alerts.tick(datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
        assert _told(alert)["morgan"] == "manager"
        # Friday evening: the team opens on Monday.
        friday = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
        team = db.session.get(Case, alert.case_id).team
        assert alerts.next_opening(team, friday) == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_out_of_hours_the_family_is_told_honestly_with_the_crisis_routes_first(app, as_user):
    from webapp.services import accounts

    with app.app_context():  # the team is open only on a day that is not today
        team = accounts.user_by_email("kim@example.org").team
        tomorrow = (datetime.now(UTC).weekday() + 1) % 7
        team.office_days = str(tomorrow)
        db.session.commit()
    sam = as_user("sam")
    entry_path = _red_check_in(sam)
    sam.post_form(entry_path + "/tell", {}, page=entry_path)
    page = sam.get(entry_path).get_data(as_text=True)
    assert "The team is closed now." in page
    assert "The team opens 9:00am tomorrow" in page
    assert page.index("If you need help now") < page.index("The team is closed now.")
    with app.app_context():
        assert db.session.scalar(select(Alert)).notices == []  # staff are told when it opens


def test_a_key_worker_on_leave_is_skipped_and_the_manager_told_at_once(app):
    with app.app_context():
        _set("kim@example.org", on_leave=True)
        alert = _raise(TUESDAY_10AM)
        assert _told(alert) == {"morgan": "manager"}  # nobody on the case is working


def test_the_duty_contact_and_the_shared_inbox_are_told_at_once(app, outbox):
    from webapp.services import alerts, push

    with app.app_context():
        _set("lee@example.org", on_duty=True)
        alert = _raise(TUESDAY_10AM)
        team = db.session.get(Case, alert.case_id).team
        team.duty_email = "duty@example.org"
        db.session.commit()
        alert2 = _raise(TUESDAY_10AM + timedelta(minutes=1), who="priya")
        assert _told(alert) == {"kim": "key_worker", "lee": "duty"}
        assert {n.email for n in alert2.notices if n.email} == {"duty@example.org"}
        push.send_pending(now=TUESDAY_10AM + timedelta(minutes=2))
        alerts.tick(TUESDAY_10AM + timedelta(minutes=3))
    to = [m["To"] for m in outbox]
    assert "duty@example.org" in to and "lee@example.org" in to


def test_a_key_worker_on_leave_is_not_told_when_it_escalates(app):
    from webapp.services import alerts

    with app.app_context():
        _set("lee@example.org", on_leave=True)
        alert = _raise(TUESDAY_10AM)
        alerts.tick(TUESDAY_10AM + timedelta(minutes=60))
        assert _told(alert) == {"kim": "key_worker", "morgan": "manager"}


def test_push_service_refusing_keeps_it_in_the_outbox_and_escalation_is_on_time(
    app,
    as_user,
    service,
    phone,  # noqa: F811
):
    from webapp.services import alerts

    _subscribe(as_user("kim"), service, phone, "kim")
    service.status = 500  # the push service refuses
    with app.app_context():
        alert = _raise(TUESDAY_10AM)
        alerts.tick(TUESDAY_10AM)
        kim_push = db.session.scalar(
            select(OutboxItem).where(OutboxItem.kind == "push", OutboxItem.topic == "urgent")
        )
        assert kim_push.sent_at is None and kim_push.gave_up_at is None
        assert kim_push.attempts == 1 and kim_push.last_error
        alerts.tick(TUESDAY_10AM + timedelta(minutes=30))  # still refusing: retried, kept
        assert "morgan" in _told(alert)  # the manager is told on time anyway
        db.session.refresh(kim_push)
        assert kim_push.attempts == 2 and kim_push.sent_at is None
        service.status = 201
        alerts.tick(TUESDAY_10AM + timedelta(minutes=40))
        db.session.refresh(kim_push)
        assert kim_push.sent_at is not None
    assert _decrypt(service.received[-1], phone)["url"] == "/staff/urgent"


def test_the_manager_sets_the_team_settings(app, as_user):
    morgan = as_user("morgan")
    page = morgan.get("/staff/team").get_data(as_text=True)
    assert "Team settings" in page
    with app.app_context():
        from webapp.services import accounts

        lee_id = accounts.user_by_email("lee@example.org").id
        kim_id = accounts.user_by_email("kim@example.org").id
    bad = morgan.post_form("/staff/team", {"office_days": [], "office_opens": "9am",
                                           "office_closes": "17:00", "duty_user_id": "",
                                           "escalate_manager_minutes": "30",
                                           "escalate_team_minutes": "20"})  # fmt: skip
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Choose at least 1 day" in text and "like 09:00" in text
    assert "later than the manager" in text
    ok = morgan.post_form("/staff/team", {"office_days": ["0", "1", "2", "3"],
                                          "office_opens": "08:30", "office_closes": "16:00",
                                          "duty_user_id": str(lee_id),
                                          "duty_email": "duty@example.org",
                                          "escalate_manager_minutes": "15",
                                          "escalate_team_minutes": "45",
                                          "on_leave": [str(kim_id)]})  # fmt: skip
    assert ok.status_code == 302
    with app.app_context():
        from webapp.services import accounts

        kim, lee = (accounts.user_by_email(f"{n}@example.org") for n in ("kim", "lee"))
        assert kim.on_leave and lee.on_duty and not lee.on_leave
        team = kim.team
        assert team.office_days == "0123" and team.escalate_manager_minutes == 15
        assert team.office_opens == time(8, 30) and team.duty_email == "duty@example.org"
    assert as_user("kim").get("/staff/team").status_code == 404  # managers only


def test_the_manager_sets_the_teams_own_phone_number(app, as_user):
    morgan = as_user("morgan")
    assert 'value="0121 496 0123"' in morgan.get("/staff/team").get_data(as_text=True)
    settings = {"office_days": ["0", "1", "2", "3", "4"], "office_opens": "09:00",
                "office_closes": "17:00", "duty_user_id": "", "escalate_manager_minutes": "30",
                "escalate_team_minutes": "60"}  # fmt: skip
    for typed in ("0121 496", "call us", "+1 212 555 0100", "0121 496 0123 9999"):
        bad = morgan.post_form("/staff/team", {**settings, "phone": typed})
        assert bad.status_code == 400, typed
        text = bad.get_data(as_text=True)
        assert "Enter a UK phone number with 10 or 11 digits" in text
        assert f'value="{typed}"' in text  # what was typed is kept
    with app.app_context():
        from webapp.services import accounts

        assert accounts.user_by_email("kim@example.org").team.phone == "0121 496 0123"
    for typed in ("(0113) 496-0999", "+44 113 496 0999", ""):  # "" takes the number away
        ok = morgan.post_form("/staff/team", {**settings, "phone": typed})
        assert ok.status_code == 302, typed
        with app.app_context():
            from webapp.services import accounts

            phone = accounts.user_by_email("kim@example.org").team.phone
            assert phone == (typed or None), (typed, phone)


def test_flask_alerts_tick_runs_the_scheduler_path(app):
    with app.app_context():
        _raise(TUESDAY_10AM)
    result = app.test_cli_runner().invoke(args=["alerts", "tick"])
    assert result.exit_code == 0, result.output
    assert "Checked 1 urgent signal(s)" in result.output
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.level == 3  # long after 10am on 1 December: everyone has been told


# The staff Urgent list ------------------------------------------------------------------------


def test_the_urgent_list_tops_the_inbox_and_the_caseload_with_waiting_who_told_who_saw(
    app, as_user
):
    from webapp.services import accounts, alerts

    _open_all_day(app)
    now = datetime.now(UTC)
    with app.app_context():
        first = _raise(now - timedelta(minutes=45))
        alerts.advance(first, now)
        db.session.commit()
        second = _raise(now - timedelta(minutes=5), who="priya")
        alerts.acknowledge(second, accounts.user_by_email("lee@example.org"), 60,
                           now - timedelta(minutes=2))  # fmt: skip
        first_id = first.id
    kim = as_user("kim")
    for path in ("/staff/inbox", "/"):
        page = kim.get(path).get_data(as_text=True)
        assert page.index("Urgent") < page.index("Sam Taylor")
        urgent = page[page.index('id="urgent-heading"'):page.index("</section>")]  # fmt: skip
        assert "Sam Taylor" in urgent and "Nobody has seen it yet" in urgent
        assert "Waiting for 45 minutes" in urgent
        assert "Told: Kim Okafor, Morgan Hughes." in urgent  # the manager after 30 minutes
        assert "Priya" not in urgent  # not Kim's case, and Kim was not told
    assert "Urgent (1 waiting)" in kim.get("/").get_data(as_text=True)
    morgan = as_user("morgan").get("/").get_data(as_text=True)
    urgent = morgan[morgan.index('id="urgent-heading"'):morgan.index("</section>")]  # fmt: skip
    assert "Priya Shah" in urgent and "Seen by Lee Murphy after 3 minutes" in urgent
    assert f"/staff/alerts/{first_id}" in urgent


def test_the_status_is_on_the_home_page_and_a_check_in_stays_private_from_carers(app, as_user):
    _open_all_day(app)
    sam = as_user("sam")
    entry_path = _red_check_in(sam)
    sam.post_form(entry_path + "/tell", {}, page=entry_path)
    home = sam.get("/").get_data(as_text=True)
    assert "What you sent to the team" in home and "Sent to the team at" in home
    alex = as_user("alex").get("/").get_data(as_text=True)  # Sam's parent
    assert "What you sent to the team" not in alex and "Sent to the team" not in alex


def test_the_family_of_a_closed_case_sees_who_saw_their_request(app, as_user):
    _open_all_day(app)
    jordan = as_user("jordan")
    page = jordan.get("/help-again/ask").get_data(as_text=True)
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    form = {"client_key": key, "happening": "Hard week.", "urgency": "today",
            "contact_way": "phone", "phone": "07700 900456", "best_times": ""}  # fmt: skip
    for step in ("1", "2", "3"):
        jordan.post_form("/help-again/ask", {**form, "step": step})
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    as_user("kim").post_form(f"/staff/alerts/{alert_id}/seen", {"contact_within": "120"},
                             page=f"/staff/alerts/{alert_id}")  # fmt: skip
    page = jordan.get("/help-again/").get_data(as_text=True)
    assert "Kim has seen this at" in page and "Kim will contact you by" in page
    assert "Seen by the team on" in page  # the request's own status too
    assert jordan.get(f"/alerts/{alert_id}/status").get_json()["seen"] is True
    # Jordan is 19: his request, and whether the team has seen it, are private from his parent
    # (policy.WHO_SEES) unless he shares it.
    chris = as_user("chris")
    assert "Kim has seen this at" not in chris.get("/help-again/").get_data(as_text=True)
    assert chris.get(f"/alerts/{alert_id}/status").status_code == 404


def test_a_shared_request_shows_the_family_who_saw_it(app, as_user):
    _open_all_day(app)
    jordan = as_user("jordan")
    page = jordan.get("/help-again/ask").get_data(as_text=True)
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    form = {"client_key": key, "happening": "Hard week.", "urgency": "today", "share": "y",
            "contact_way": "phone", "phone": "07700 900456", "best_times": ""}  # fmt: skip
    for step in ("1", "2", "3"):
        jordan.post_form("/help-again/ask", {**form, "step": step})
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    as_user("kim").post_form(f"/staff/alerts/{alert_id}/seen", {"contact_within": "120"},
                             page=f"/staff/alerts/{alert_id}")  # fmt: skip
    chris = as_user("chris")
    page = chris.get("/help-again/").get_data(as_text=True)
    assert "Kim has seen this at" in page and "Kim will contact you by" in page
    assert chris.get(f"/alerts/{alert_id}/status").get_json()["seen"] is True


def test_an_urgent_message_tells_a_person_once_and_shows_its_status(app, as_user, outbox):
    _open_all_day(app)
    sam = as_user("sam")
    form = {"body": "Please ring me, it is bad today.", "client_key": "urgent-1", "urgent": "y"}
    for _ in range(2):  # a double tap
        response = sam.post_form("/messages/", form)
        assert response.status_code == 302
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert db.session.query(Alert).count() == 1 and alert.source == "message"
        assert _told(alert) == {"kim": "key_worker"}
    page = sam.get("/messages/").get_data(as_text=True)
    assert "Your urgent message" in page and "Sent to the team at" in page
    kim_page = as_user("kim").get(f"/staff/alerts/{alert.id}").get_data(as_text=True)
    assert "Urgent message" in kim_page and "/staff/conversations/" in kim_page
    assert "ring me" not in kim_page  # the alert itself shows no content
    ordinary = {"body": "See you Tuesday.", "client_key": "plain-1"}
    sam.post_form("/messages/", ordinary)
    with app.app_context():
        assert db.session.query(Alert).count() == 1  # an ordinary message raises nothing
