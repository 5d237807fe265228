"""What matters to me: private by default, red gets help at once, nothing stored twice."""

from __future__ import annotations

import re

from webapp.extensions import db
from webapp.models import JournalEntry
from webapp.services import plans

SAM, PRIYA = 1, 2


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _check_in(client, feeling, key="key-1"):
    return client.post_form(
        "/journal/check-in", {"feeling": feeling, "client_key": key}, page="/journal/"
    )


def _entry_id(response) -> int:
    return int(re.search(r"/journal/entries/(\d+)", response.headers["Location"]).group(1))


def test_check_in_in_two_taps_and_private_by_default(app, as_user):
    sam = as_user("sam")
    page = _page(sam, "/journal/")
    assert "Only you can see it." in page and "Your parents and carers never see it." in page
    for word in ("Green: I am OK", "Amber: I am getting worried", "Red: I am in crisis"):
        assert word in page  # a word (and a shape picture) on every button, not colour alone
    response = _check_in(sam, "green")
    assert response.status_code == 302
    entry_id = _entry_id(response)
    with app.app_context():
        entry = db.session.get(JournalEntry, entry_id)
        assert entry.feeling.value == "green" and entry.shared is False
    assert "Private: only you can see this" in _page(sam, "/journal/")


def test_double_submission_stores_one_entry(app, as_user):
    sam = as_user("sam")
    first, second = _check_in(sam, "amber", "same-key"), _check_in(sam, "amber", "same-key")
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.query(JournalEntry).filter_by(client_key="same-key").count() == 1


def test_a_client_key_is_per_person(app, as_user):
    one = _check_in(as_user("sam"), "green", "shared-key")
    other = _check_in(as_user("priya"), "green", "shared-key")
    assert one.headers["Location"] != other.headers["Location"]


def test_empty_check_in_has_a_specific_message(as_user):
    response = as_user("sam").post_form("/journal/check-in", {"client_key": "k"}, page="/journal/")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose how you are today: green, amber or red." in page
    assert "<title>Error: What matters to me" in page


def test_red_shows_my_red_plan_and_crisis_routes_and_never_tells_by_itself(app, as_user):
    sam = as_user("sam")
    entry_id = _entry_id(_check_in(sam, "red", "red-key"))
    page = _page(sam, f"/journal/entries/{entry_id}")
    assert "Call Mum (Alex) first." in page  # Sam's own Red section
    assert 'href="tel:999"' in page and 'href="tel:111"' in page and "tel:08009159292" in page
    assert "Tell my key worker now" in page
    with app.app_context():
        assert db.session.get(JournalEntry, entry_id).shared is False
    assert "Red: I am in crisis" not in _page(as_user("kim"), f"/staff/cases/{SAM}/journal")
    sam.post_form(f"/journal/entries/{entry_id}/tell", {}, page=f"/journal/entries/{entry_id}")
    shared = _page(as_user("kim"), f"/staff/cases/{SAM}/journal")
    assert "They pressed “Tell my key worker now”." in shared
    assert "Red: I am in crisis" in shared


def test_details_share_tags_and_talk(app, as_user):
    sam = as_user("sam")
    entry_id = _entry_id(_check_in(sam, "amber", "details-key"))
    response = sam.post_form(
        f"/journal/entries/{entry_id}",
        {"words": "Worried about exams.", "tags": ["school", "sleep"], "talk": "y"},
    )
    assert response.status_code == 302
    kim = _page(as_user("kim"), f"/staff/cases/{SAM}/journal")
    assert "Worried about exams." in kim and "They want to talk about this." in kim
    assert "School or college" in kim
    assert "need attention" in _page(as_user("kim"), "/")


def test_details_bad_input_keeps_what_was_typed(as_user):
    sam = as_user("sam")
    entry_id = _entry_id(_check_in(sam, "green", "bad-key"))
    long = "w" * 1001
    page = sam.post_form(
        f"/journal/entries/{entry_id}", {"words": long, "tags": ["school", "unicorns"]}
    ).get_data(as_text=True)
    assert "You have used 1001." in page and long in page
    assert "Choose from the pictures on this page." in page
    assert re.search(r'value="school"\s+checked', page)


def test_html_in_words_is_shown_as_text(as_user):
    sam = as_user("sam")
    entry_id = _entry_id(_check_in(sam, "green", "html-key"))
    sam.post_form(f"/journal/entries/{entry_id}", {"words": "<b>bold</b><script>x()</script>"})
    page = _page(sam, "/journal/")
    assert "<script>x()</script>" not in page and "&lt;script&gt;" in page


def test_nobody_else_reaches_an_entry(app, as_user):
    entry_id = _entry_id(_check_in(as_user("sam"), "amber", "secret-key"))
    for name in ("alex", "priya", "nadia", "kim", "lee", "morgan", "robin"):
        client = as_user(name)
        assert client.get(f"/journal/entries/{entry_id}").status_code == 404, name
        token = client.csrf_token("/settings/")
        for action in ("", "/tell", "/to-plan"):
            response = client.post(
                f"/journal/entries/{entry_id}{action}", data={"csrf_token": token, "words": "x"}
            )
            assert response.status_code == 404, (name, action)


def test_unshared_entries_are_invisible_to_staff_and_carers_never_see_the_journal(as_user):
    for name in ("kim", "morgan"):
        page = _page(as_user(name), f"/staff/cases/{SAM}/journal")
        assert "Good walk with the dog." not in page  # private
        assert "College was loud today." in page  # shared
    alex = _page(as_user("alex"), "/journal/")
    assert "College was loud today." not in alex and "Good walk" not in alex
    assert "Sam did not eat tea again." in alex  # their own entry
    assert as_user("alex").get(f"/staff/cases/{SAM}/journal").status_code == 404
    assert as_user("lee").get(f"/staff/cases/{SAM}/journal").status_code == 404


def test_timeline_and_four_weeks(as_user):
    page = _page(as_user("sam"), "/journal/")
    assert "3 green days" in page and "1 amber day" in page and "0 red days" in page
    assert 'role="img"' in page and 'aria-labelledby="weeks-text"' in page
    assert "Last week" in page or "Earlier" in page


def test_words_can_go_to_the_plan_as_a_suggestion(app, as_user):
    sam = as_user("sam")
    entry_id = _entry_id(_check_in(sam, "green", "plan-key"))
    sam.post_form(f"/journal/entries/{entry_id}", {"words": "My guitar lessons."})
    sam.post_form(f"/journal/entries/{entry_id}/to-plan", {}, page=f"/journal/entries/{entry_id}")
    with app.app_context():
        waiting = plans.waiting_suggestions(plans.plan_for_case(SAM))
        found = [s for s in waiting if s.text == "My guitar lessons."]
        assert found and found[0].part.value == "important" and found[0].private is True


def _team_hours(app, days: str, opens, closes) -> None:
    with app.app_context():
        from webapp.models import Team

        team = db.session.get(Team, 1)
        team.office_days, team.office_opens, team.office_closes = days, opens, closes
        db.session.commit()


def test_after_red_the_teams_own_number_is_a_route_only_in_office_hours(app, as_user):
    from datetime import time

    sam = as_user("sam")
    entry_id = _entry_id(_check_in(sam, "red", "red-hours"))
    _team_hours(app, "0123456", time(0), time(23, 59, 59))  # open whenever the test runs
    page = _page(sam, f"/journal/entries/{entry_id}")
    crisis = page.split('id="crisis"', 1)[1].split("</section>", 1)[0]
    assert "Your team, open now" in crisis and 'href="tel:01214960123"' in crisis
    # The same component on "Get help now" says it in a sentence.
    assert "Your team is open now." in _page(sam, "/get-help")
    _team_hours(app, "", time(9), time(17))  # no day open: closed whenever the test runs
    page = _page(sam, f"/journal/entries/{entry_id}")
    crisis = page.split('id="crisis"', 1)[1].split("</section>", 1)[0]
    assert "tel:01214960123" not in crisis and "Your team, open now" not in crisis
    assert "tel:08009159292" in crisis  # the crisis line stays


def test_a_check_in_made_with_no_signal_is_saved_once_for_the_time_it_was_made(app, as_user):
    """app.js sends a check-in kept on the phone with X-MKW-Queued, its client key and when
    it was made: "saved" (201) once the entry exists, the same entry however often it comes."""
    from datetime import UTC, datetime, timedelta

    sam = as_user("sam")
    made = datetime.now(UTC) - timedelta(hours=20)
    fields = {
        "feeling": "red",
        "client_key": "offline-1",
        "made_at": str(int(made.timestamp() * 1000)),
    }
    queued = {"X-MKW-Queued": "1"}
    answers = [sam.post_form("/journal/check-in", fields, page="/journal/", headers=queued)
               for _ in range(3)]  # fmt: skip
    assert {a.status_code for a in answers} == {201}
    urls = {a.get_json()["url"] for a in answers}
    assert len(urls) == 1 and all(a.get_json()["saved"] is True for a in answers)
    with app.app_context():
        found = db.session.query(JournalEntry).filter_by(client_key="offline-1").all()
        assert len(found) == 1 and found[0].feeling.value == "red"
        assert abs(found[0].created_at - made) < timedelta(seconds=1)
    # A time in the future, too long ago or unreadable is not believed: dated when saved.
    for key, value in (("future", made + timedelta(days=2)), ("old", made - timedelta(days=9)),
                       ("junk", "yesterday")):  # fmt: skip
        stamp = value if isinstance(value, str) else str(int(value.timestamp() * 1000))
        fields = {"feeling": "green", "client_key": key, "made_at": stamp}
        assert sam.post_form("/journal/check-in", fields, page="/journal/",
                             headers=queued).status_code == 201  # fmt: skip
        with app.app_context():
            entry = db.session.query(JournalEntry).filter_by(client_key=key).one()
            assert datetime.now(UTC) - entry.created_at < timedelta(minutes=1), key
    # Without the header (no JavaScript, or online) the page goes to the entry as before.
    assert _check_in(sam, "green", "online").status_code == 302
