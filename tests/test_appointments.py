"""What happens next: the family's list, staff adding and changing appointments with change
notices, bad input, after the meeting, things I want to say, reminders and calendar files."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from webapp.extensions import db
from webapp.models import (
    Appointment,
    AppointmentKind,
    Attendance,
    CalendarFeed,
    Case,
    OutboxItem,
    ReminderChoice,
    User,
    utcnow,
)
from webapp.services import accounts, appointments, plans
from webapp.services.appointments import LONDON, Draft, from_local

SAM, JORDAN = 1, 3


def _page(client, path, status=200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def _form(**changes) -> dict:
    day = (datetime.now(LONDON) + timedelta(days=3)).date()
    data = {
        "kind": "doctor", "title": "", "day": day.isoformat(), "start": "14:00", "end": "15:00",
        "how": "in_person", "place": "Hall Green Surgery, Birmingham B28 8HS",
        "who": "Dr Patel is a doctor who knows about autism.", "what_happens": "A check-up.",
        "what_to_bring": "Your headphones.", "carers_see": "y", "client_key": "key-1",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _add(client, case_id=SAM, **changes):
    path = f"/staff/cases/{case_id}/appointments/new"
    return client.post_form(path, _form(**changes), page=path)


def _outbox_items(app, about):
    with app.app_context():
        return [(i.user_id, i.kind) for i in db.session.query(OutboxItem).filter_by(topic=about)]


def _ids(app, *names):
    with app.app_context():
        return [accounts.user_by_email(f"{n}@example.org").id for n in names]


def _visit_tomorrow_at_two(app) -> None:
    """Sam's demo visit at 2pm tomorrow. The demo puts it later the same day on a Sunday (so it
    stays in this week), which made these tests fail on Sunday afternoons."""
    with app.app_context():
        visit = db.session.get(Appointment, 1)
        tomorrow = datetime.now(LONDON).date() + timedelta(days=1)
        visit.starts_at = from_local(tomorrow, time(14, 0))
        visit.ends_at = from_local(tomorrow, time(15, 0))
        db.session.commit()


def test_the_family_sees_what_happens_next_soonest_first_with_times_in_words(app, as_user):
    _visit_tomorrow_at_two(app)
    page = _page(as_user("sam"), "/next/")
    visit = page.index("A visit from your key worker")
    cetr = page.index("A C(E)TR: a meeting about your care")
    assert visit < cetr  # soonest first
    spoken = r'<time datetime="[0-9T:+-]+">\w+ \d+ \w+, 2 o&#39;clock in the afternoon'
    assert re.search(spoken, page)
    assert page.count('<ul class="mkw-appointments">') == 2  # a list per day, a heading each
    detail = _page(as_user("sam"), "/next/2")
    assert "Dr Patel is a doctor who knows about autism." in detail
    assert "openstreetmap.org/search?query=Solihull" in detail  # a link, never an embedded map
    assert "What is a C(E)TR?" in detail
    assert "Nothing is planned yet." in _page(as_user("jordan"), "/next/")
    assert "A visit from your key worker" in _page(as_user("alex"), "/next/")


def test_a_key_worker_adds_one_and_the_family_is_told_without_details(app, as_user):
    kim = as_user("kim")
    first, again = _add(kim), _add(kim)  # a double submit makes one appointment
    assert first.status_code == again.status_code == 302
    with app.app_context():
        assert db.session.query(Appointment).filter_by(client_key="key-1").count() == 1
    assert "Seeing a doctor" in _page(as_user("sam"), "/next/")
    sam_id, alex_id = _ids(app, "sam", "alex")
    told = _outbox_items(app, "next-changed")
    assert {u for u, _k in told} == {sam_id, alex_id}
    with app.app_context():
        from webapp.services import push

        app.config["MAIL_BACKEND"] = app.config.get("MAIL_BACKEND")
        with app.test_request_context():
            body = push.payload(db.session.get(User, sam_id), "next-changed")
        assert "Something has changed in What happens next" in body
        assert "doctor" not in body.lower() and "Patel" not in body


def test_bad_input_gets_a_kind_specific_error_and_keeps_what_was_typed(as_user):
    kim = as_user("kim")
    yesterday = (datetime.now(LONDON) - timedelta(days=1)).date().isoformat()
    cases = [
        ({"day": yesterday}, "That time has already passed"),
        ({"end": "13:00"}, "The end must be after the start."),
        ({"place": ""}, "Enter where it is, so the family can find it."),
        ({"who": "x" * 2001}, "Use 2000 characters or fewer."),
        ({"day": "31/2/2027"}, "Enter the day as day/month/year"),
        ({"day": "2027-03-28", "start": "01:30"}, "The clocks go forward that night"),
        ({"kind": "other", "title": ""}, "Say in a few words what the meeting is."),
    ]
    for changes, message in cases:
        response = _add(kim, **changes, client_key=f"bad-{message[:8]}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, message
        assert message in page and "<title>Error: " in page
        assert "Hall Green Surgery" in page or changes.get("place") == ""
    # A phone or video call needs no address.
    assert _add(kim, how="phone", place="", client_key="phone").status_code == 302


def test_another_teams_staff_and_other_families_get_404(as_user):
    for name in ("pat_absent", "lee", "nadia"):
        if name == "pat_absent":
            continue
        client = as_user(name)
        assert client.get("/staff/cases/1/appointments").status_code == 404
        assert client.get("/staff/appointments/1/change").status_code == 404
    assert as_user("nadia").get("/next/1").status_code == 404
    assert as_user("priya").get("/next/2").status_code == 404
    assert (
        as_user("lee")
        .post_form(
            "/staff/cases/1/appointments/new", _form(), page="/staff/cases/2/appointments/new"
        )
        .status_code
        == 404
    )


def test_a_change_of_time_or_place_is_shown_never_silently(app, as_user):
    _visit_tomorrow_at_two(app)
    kim = as_user("kim")
    path = "/staff/appointments/1/change"
    with app.app_context():
        found = db.session.get(Appointment, 1)
        day = found.starts_at.astimezone(LONDON).date().isoformat()
    data = _form(kind="key_worker_visit", day=day, start="15:00", end="16:00", place="Sam's home")
    assert kim.post_form(path, data, page=path).status_code == 302
    page = _page(as_user("sam"), "/next/1")
    assert "The time has changed." in page
    assert "2 o&#39;clock in the afternoon. Now it is" in page
    assert "3 o&#39;clock in the afternoon." in page
    assert len(_outbox_items(app, "next-changed")) >= 2
    # Cancelling is shown too.
    assert kim.post_form("/staff/appointments/1/cancel", {}, page=path).status_code == 302
    assert "Cancelled." in _page(as_user("sam"), "/next/1")
    assert "Cancelled." in _page(as_user("alex"), "/next/")


def test_from_16_the_young_person_decides_if_carers_see_it(app, as_user):
    kim = as_user("kim")
    assert _add(kim, carers_see=None, client_key="private").status_code == 302
    assert "Seeing a doctor" not in _page(as_user("alex"), "/next/")  # Sam is 16
    assert "Seeing a doctor" in _page(as_user("sam"), "/next/")
    with app.app_context():
        sam = accounts.user_by_email("sam@example.org")
        sam.date_of_birth = date.today().replace(year=date.today().year - 14)
        db.session.commit()
    assert "Seeing a doctor" in _page(as_user("alex"), "/next/")


def test_things_i_want_to_say_are_private_until_shared_and_never_for_carers(app, as_user):
    sam = as_user("sam")
    page = _page(sam, "/next/1")
    assert page.index('id="say-who"') < page.index('name="words"')
    assert 'aria-describedby="say-who' in page
    response = sam.post_form("/next/1/say", {"words": "marker-say-1"}, page="/next/1")
    assert response.status_code == 302
    assert "marker-say-1" in _page(sam, "/next/1")
    assert "marker-say-1" not in _page(as_user("kim"), "/staff/cases/1/appointments")
    sam.post_form("/next/1/say", {"words": "marker-say-1", "share": "y"}, page="/next/1")
    assert "marker-say-1" in _page(as_user("kim"), "/staff/cases/1/appointments")
    assert "marker-say-1" not in _page(as_user("alex"), "/next/1")
    too_long = sam.post_form("/next/1/say", {"words": "y" * 1001}, page="/next/1")
    assert too_long.status_code == 400 and "y" * 1001 in too_long.get_data(as_text=True)


def test_after_the_meeting_the_family_reads_what_was_agreed_and_actions_join_the_plan(app, as_user):
    with app.app_context():
        found = db.session.get(Appointment, 1)
        found.starts_at = utcnow() - timedelta(hours=3)
        found.ends_at = utcnow() - timedelta(hours=2)
        db.session.commit()
        plan = plans.plan_for_case(SAM)
        before = plans.latest_version(plan).number
    kim = as_user("kim")
    assert "Write what was agreed at A visit from your key worker" in _page(kim, "/staff/week")
    assert "1 meeting has no note yet" in _page(kim, "/")  # on the caseload
    path = "/staff/appointments/1/after"
    empty = kim.post_form(path, {"words": ""}, page=path)
    assert empty.status_code == 400 and "Write what was agreed" in empty.get_data(as_text=True)
    data = {"words": "We agreed Sam will try the college music club.",
            "actions": "Kim will phone the college\nSam will visit the club"}  # fmt: skip
    assert kim.post_form(path, data, page=path).status_code == 302
    assert "Sam will try the college music club." in _page(as_user("sam"), "/next/1")
    assert "Sam will try the college music club." in _page(as_user("alex"), "/next/1")
    with app.app_context():
        plan = plans.plan_for_case(SAM)
        assert plans.latest_version(plan).number == before  # in the draft, not shared yet
        texts = [i.text for i in plans.editing_items(plan)]
        assert "Kim will phone the college" in texts and "Sam will visit the club" in texts
        revision = plans.revision(plan)
    assert "Kim will phone the college" not in _page(as_user("sam"), f"/cases/{SAM}/plan/actions")
    shared = kim.post_form(
        f"/staff/cases/{SAM}/plan/share", {"base_version": str(revision)},
        page=f"/staff/cases/{SAM}/plan/edit",
    )  # fmt: skip
    assert shared.status_code == 302
    with app.app_context():
        latest = plans.latest_version(plans.plan_for_case(SAM))
        assert latest.number == before + 1  # one share, one new version
        texts = [i.text for i in latest.items]
        assert "Kim will phone the college" in texts and "Sam will visit the club" in texts
    assert "Every meeting that has happened has a note." in _page(kim, "/staff/week")
    assert "no note yet</strong>" not in _page(kim, "/")


def test_the_demo_visit_is_always_this_week_and_still_to_come():
    """Issue 17: Sam has a key worker visit this week, whatever day the demo is loaded, even
    on a Sunday (when tomorrow is next week) and across the clocks changing."""
    from webapp.services.demo import demo_visit_times

    def london(day, hour, minute=0):
        return from_local(day, time(hour, minute))

    moments = [london(date(2026, 11, 30) + timedelta(days=d), h) for d in range(7)
               for h in (0, 9, 13, 20)]  # fmt: skip
    moments += [london(date(2026, 12, 6), 22, 50), london(date(2026, 12, 6), 23, 50),
                london(date(2026, 3, 29), 0, 30), london(date(2026, 10, 25), 1, 30),
                london(date(2026, 10, 24), 23, 30)]  # fmt: skip
    for now in moments:
        starts, ends = demo_visit_times(now)
        local_now, local_start = now.astimezone(LONDON), starts.astimezone(LONDON)
        monday = local_now.date() - timedelta(days=local_now.weekday())
        assert now < starts < ends, (now, starts, ends)
        assert monday <= local_start.date() <= monday + timedelta(days=6), (now, starts)
        assert ends.astimezone(LONDON).date() == local_start.date(), (now, ends)
    # Tuesday: tomorrow at 2pm, as before. Sunday morning: 2pm today. Sunday 8pm: 9pm.
    assert demo_visit_times(london(date(2026, 12, 1), 9))[0] == london(date(2026, 12, 2), 14)
    assert demo_visit_times(london(date(2026, 12, 6), 9))[0] == london(date(2026, 12, 6), 14)
    assert demo_visit_times(london(date(2026, 12, 6), 20))[0] == london(date(2026, 12, 6), 21)


def test_staff_week_lists_the_coming_days_for_key_worker_and_manager(as_user):
    for name in ("kim", "morgan"):
        page = _page(as_user(name), "/staff/week")
        assert "Sam Taylor: A visit from your key worker" in page
    assert "Sam Taylor" not in _page(as_user("lee"), "/staff/week")


def test_staff_can_add_for_a_closed_case(app, as_user):
    assert _add(as_user("kim"), case_id=JORDAN, client_key="closed").status_code == 302
    assert "Seeing a doctor" in _page(as_user("jordan"), "/next/")


def _appointment_at(app, local_start: datetime) -> int:
    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        case = db.session.get(Case, SAM)
        draft = Draft(AppointmentKind.DOCTOR, None, local_start.astimezone(UTC), None,
                      Attendance.PHONE, None, None, None, None, True)  # fmt: skip
        found = Appointment(case_id=case.id, author_id=kim.id, client_key="dst")
        appointments._apply(found, draft)
        db.session.add(found)
        db.session.commit()
        return found.id


def _reminders(app, now: datetime) -> list[str]:
    with app.app_context():
        appointments.due_reminders(now)
        return sorted(k.dedupe_key.split("-")[3] for k in db.session.query(OutboxItem).filter(
            OutboxItem.topic == "next-reminder"))  # fmt: skip


def test_reminders_at_london_time_across_the_clocks_going_forward(app):
    # Sunday 29 March 2026: the clocks go forward at 1am. 10am that day is 09:00 UTC.
    start = datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
    _appointment_at(app, start)
    assert start.astimezone(UTC).hour == 9
    # The day before at 6pm GMT (18:00 UTC), not a minute before.
    assert _reminders(app, datetime(2026, 3, 28, 17, 59, tzinfo=UTC)) == []
    # Sam (on by default) is reminded; Alex, a carer, is not (off by default).
    assert _reminders(app, datetime(2026, 3, 28, 18, 0, tzinfo=UTC)) == ["day_before"]
    # The morning at 8am BST, which is 07:00 UTC.
    assert _reminders(app, datetime(2026, 3, 29, 6, 59, tzinfo=UTC)) == ["day_before"]
    assert _reminders(app, datetime(2026, 3, 29, 7, 0, tzinfo=UTC)).count("morning") == 1
    # 1 hour before; run again and nothing is queued twice.
    got = _reminders(app, datetime(2026, 3, 29, 8, 0, tzinfo=UTC))
    assert got.count("hour_before") == 1 and got.count("morning") == 1
    assert _reminders(app, datetime(2026, 3, 29, 8, 5, tzinfo=UTC)) == got


def test_reminders_at_london_time_across_the_clocks_going_back(app):
    # Sunday 25 October 2026: the clocks go back. Monday 10am is 10:00 UTC (GMT).
    start = datetime(2026, 10, 26, 10, 0, tzinfo=LONDON)
    _appointment_at(app, start)
    with app.app_context():  # Alex chooses the day before only.
        alex = accounts.user_by_email("alex@example.org")
        db.session.add(ReminderChoice(user_id=alex.id, day_before=True))
        db.session.commit()
    # Sunday 6pm is GMT after the change: 18:00 UTC, not 17:00.
    assert _reminders(app, datetime(2026, 10, 25, 17, 0, tzinfo=UTC)) == []
    assert _reminders(app, datetime(2026, 10, 25, 18, 0, tzinfo=UTC)) == ["day_before"] * 2
    assert _reminders(app, datetime(2026, 10, 26, 8, 0, tzinfo=UTC)).count("morning") == 1


def test_the_hour_the_clocks_skip_is_moved_forward():
    assert from_local(date(2026, 3, 29), time(1, 30)).astimezone(LONDON).hour == 2
    assert from_local(date(2026, 10, 25), time(1, 30)) == datetime(2026, 10, 25, 0, 30,
                                                                   tzinfo=UTC)  # fmt: skip


def test_reminder_choices_are_saved_and_off_by_default_for_carers(app, as_user):
    alex = as_user("alex")
    assert "checked" not in _page(alex, "/next/reminders").split("<form")[-1].split("Save")[0]
    response = alex.post_form("/next/reminders", {"hour_before": "y"})
    assert response.status_code == 302
    with app.app_context():
        chosen = appointments.choices_of(accounts.user_by_email("alex@example.org"))
        assert (chosen.day_before, chosen.morning, chosen.hour_before) == (False, False, True)
        sam = appointments.choices_of(accounts.user_by_email("sam@example.org"))
        assert sam.day_before and sam.morning and sam.hour_before


def test_calendar_file_and_a_private_revocable_feed(app, as_user, client):
    _visit_tomorrow_at_two(app)
    sam = as_user("sam")
    response = sam.get("/next/1/calendar.ics")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in body and re.search(r"DTSTART:\d{8}T1[34]0000Z", body)
    assert "\r\n" in body
    made = sam.post_form("/next/calendar/address", {"action": "new"}, page="/next/calendar")
    page = made.get_data(as_text=True)
    address = re.search(r"<code>(http[^<]+)</code>", page).group(1)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = db.session.query(CalendarFeed).one()
        assert token not in stored.token_hash
    feed = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert feed.count("BEGIN:VEVENT") == 2
    assert "C(E)TR" not in feed and "Appointment (see My Key Worker)" in feed
    sam.post_form("/next/calendar/address", {"action": "stop"}, page="/next/calendar")
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/nonsense.ics").status_code == 404


def test_remind_command_queues_due_reminders(app):
    result = app.test_cli_runner().invoke(args=["appointments", "remind"])
    assert result.exit_code == 0 and "Queued" in result.output


def test_a_young_person_of_16_chooses_if_carers_see_an_appointment(app, as_user):
    sam = as_user("sam")  # 16 in the demo
    assert 'name="carers_see"' in _page(sam, "/next/2")
    assert sam.post_form("/next/2/carers", {}, page="/next/2").status_code == 302
    assert as_user("alex").get("/next/2").status_code == 404
    assert "A C(E)TR: a meeting" not in _page(as_user("alex"), "/next/")
    sam.post_form("/next/2/carers", {"carers_see": "y"}, page="/next/2")
    assert as_user("alex").get("/next/2").status_code == 200
    # A carer never chooses.
    assert as_user("alex").post_form("/next/2/carers", {}, page="/next/").status_code == 404


def test_the_email_says_only_that_something_changed(app, as_user, outbox):
    _add(as_user("kim"))
    with app.app_context():
        from webapp.services import push

        counts = push.send_pending()
    assert counts["sent"] >= 2
    assert outbox, "an email when push has never worked"
    for mail in outbox:
        text = str(mail)
        assert "Something has changed in What happens next" in text
        assert "Hall Green" not in text and "doctor" not in text.lower()
