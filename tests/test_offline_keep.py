"""What the service worker is told: whom each page is for, and what to keep (issue 13)."""

from __future__ import annotations

import re
from datetime import timedelta

from webapp.extensions import db
from webapp.models import SignInSession, User, utcnow
from webapp.services import accounts, cases


def _keep(app, email: str, on: bool = True) -> None:
    with app.app_context():
        accounts.update_preferences(accounts.user_by_email(email), keep_on_phone=on)


def test_every_page_says_whom_it_is_for_and_nobody_when_signed_out(app, as_user, client):
    assert client.get("/sign-in").headers["X-MKW-Person"] == "none"
    sam, alex = as_user("sam"), as_user("alex")
    tag = sam.get("/").headers["X-MKW-Person"]
    assert len(tag) == 32 and tag != alex.get("/").headers["X-MKW-Person"]
    assert sam.get("/").headers["X-MKW-Keep"] == "off"  # off by default
    # The session ending (expired here) makes the next page say nobody.
    with app.app_context():
        db.session.query(SignInSession).update({"expires_at": utcnow() - timedelta(minutes=1)})
        db.session.commit()
    assert sam.get("/", follow_redirects=True).headers["X-MKW-Person"] == "none"


def test_the_keep_list_follows_the_choice_and_policy(app, as_user):
    sam = as_user("sam")
    assert sam.get("/offline/keep").get_json()["keep"] is False
    _keep(app, "sam@example.org")
    assert sam.get("/").headers["X-MKW-Keep"] == "on"
    answer = sam.get("/offline/keep")
    data = answer.get_json()
    assert data["keep"] is True and data["person"] == sam.get("/").headers["X-MKW-Person"]
    assert "/cases/1/plan/red" in data["pages"] and "/cases/1/plan/crisis-card" in data["pages"]
    assert not [p for p in data["pages"] if p.startswith("/messages")]
    assert [p for p in data["pages"] if p.startswith("/journal")] == ["/journal/"]
    assert data["aliases"] == {
        "/my-plan": "/cases/1/plan/",
        "/my-crisis-card": "/cases/1/plan/crisis-card",
    }
    # Unchanged: 304 to the ETag. A change to the plan's card changes the version.
    etag = answer.headers["ETag"]
    assert sam.get("/offline/keep", headers={"If-None-Match": etag}).status_code == 304
    with app.app_context():
        case = cases.case_by_id(1)
        case.crisis_card_hidden = "signs"
        db.session.commit()
    assert sam.get("/offline/keep", headers={"If-None-Match": etag}).status_code == 200


def test_a_carer_keeps_only_what_they_may_see(app, as_user):
    _keep(app, "alex@example.org")
    with app.app_context():
        alex = accounts.user_by_email("alex@example.org")
        cases.set_hidden_sections(cases.case_by_id(1), alex.id, {"red"})
    pages = as_user("alex").get("/offline/keep").get_json()["pages"]
    assert "/cases/1/plan/red" not in pages and "/cases/1/plan/" in pages


def test_staff_and_nobody_keep_nothing(app, as_user, client):
    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        accounts.update_preferences(kim, keep_on_phone=True)  # not offered, and not honoured
    assert as_user("kim").get("/offline/keep").get_json()["keep"] is False
    assert client.get("/offline/keep").get_json() == {"person": None, "keep": False}
    # A keep fetch with no session: a bare 401 that writes no cookie.
    answer = client.get("/cases/1/plan/", headers={"X-MKW-Keep": "1"})
    assert answer.status_code == 401 and "Set-Cookie" not in answer.headers


def test_a_kept_copy_carries_the_saved_line_hidden_and_no_messages(app, as_user):
    sam = as_user("sam")
    sam.post_form("/settings/", {"layout": "easy_read", "text_size": "standard", "pictures": "yes",
                                 "read_aloud": "yes", "colours": "calm", "dyslexia_font": "no",
                                 "reduce_motion": "yes", "language": "browser",
                                 "email_when_unread": "yes", "keep_on_phone": "yes"})  # fmt: skip
    with app.app_context():
        assert db.session.get(User, 1).preferences.keep_on_phone is True
    kept = sam.get("/cases/1/plan/red", headers={"X-MKW-Keep": "1"}).get_data(as_text=True)
    assert "data-kept-banner hidden" in kept and "Saved on this phone on" in kept
    assert "data-kept-banner" not in sam.get("/cases/1/plan/red").get_data(as_text=True)


def _team_hours(app, days: str, opens, closes) -> None:
    with app.app_context():
        team = cases.team_by_id(1)
        team.office_days, team.office_opens, team.office_closes = days, opens, closes
        db.session.commit()


def test_a_kept_copy_never_says_the_team_is_open_now(app, as_user):
    """A copy saved in office hours is read later, perhaps at night: it gives the hours."""
    from datetime import time

    _keep(app, "sam@example.org")
    sam = as_user("sam")
    _team_hours(app, "0123456", time(0), time(23, 59, 59))  # open whenever the test runs
    for path in ("/cases/1/plan/red", "/get-help"):
        online = sam.get(path).get_data(as_text=True)
        assert "Your team is open now." in online, path
        kept = sam.get(path, headers={"X-MKW-Keep": "1"}).get_data(as_text=True)
        assert "open now" not in kept, path
        assert "Your team is open Monday to Sunday, 12:00am to 11:59pm." in kept, path
        assert 'href="tel:01214960123"' in kept, path
    # The help app.js shows after red with no signal is read later too, even on a page that
    # came from the network.
    page = sam.get("/journal/").get_data(as_text=True)
    later = page.split("data-offline-red", 1)[1].split("data-check-ins-waiting", 1)[0]
    assert "open now" not in later and "Your team, Monday to Sunday" in later
    # Out of hours the online page leaves the team's number out; the kept copy still gives
    # it, with the hours, since it may be read when the team is open.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/London")).weekday()
    _team_hours(app, str((today + 3) % 7), time(9), time(17))  # not today
    assert "tel:01214960123" not in sam.get("/cases/1/plan/red").get_data(as_text=True)
    kept = sam.get("/cases/1/plan/red", headers={"X-MKW-Keep": "1"}).get_data(as_text=True)
    assert "open now" not in kept
    assert re.search(r"Your team is open \w+day, 9:00am to 5:00pm\. You can call them then", kept)


def test_the_kept_check_in_page_holds_none_of_the_journal(app, as_user):
    """Offline, "How am I today?" works from the kept copy; what the person wrote before is
    never in it. After red, the crisis routes and their own Red plan are already there."""
    sam = as_user("sam")
    sam.post_form(
        "/journal/check-in", {"feeling": "amber", "client_key": "before"}, page="/journal/"
    )
    entry = sam.get("/journal/").get_data(as_text=True)
    assert "Amber: I am getting worried</strong>" in entry and "Looking back" in entry
    kept = sam.get("/journal/", headers={"X-MKW-Keep": "1"}).get_data(as_text=True)
    assert "data-kept-banner hidden" in kept and "data-check-in-form" in kept
    assert "Looking back" not in kept and "The last 4 weeks" not in kept
    assert "Amber: I am getting worried</strong>" not in kept
    assert "Your earlier check-ins are not kept on this phone." in kept
    help_after_red = kept.split("data-offline-red", 1)[1].split("data-check-ins-waiting", 1)[0]
    assert (
        'href="tel:999"' in help_after_red
        and "Stay with Sam. Keep the room quiet." in help_after_red
    )
    assert "Call Mum (Alex) first." in help_after_red
    # The signs, and what not to do (for whoever helps), are not what Sam reads first.
    assert "I want to hurt myself." not in help_after_red and "Do not shout" not in help_after_red


def test_add_to_home_screen_help_for_android_and_iphone(as_user, client):
    """Public, in easy read with a picture for each step; families find it in settings next
    to "Keep my plan on this phone". Staff (who never keep a plan) do not see that link."""
    page = client.get("/add-to-home-screen").get_data(as_text=True)
    assert "On an Android phone" in page and "On an iPhone" in page
    assert page.count('class="mkw-chunks mkw-chunks--steps"') == 2
    assert "/static/dist/pictures/home." in page and "/static/dist/pictures/tick." in page
    link = 'href="/add-to-home-screen"'
    settings = as_user("sam").get("/settings/").get_data(as_text=True)
    assert link in settings and settings.index("keep_on_phone-hint") < settings.index(link)
    assert link not in as_user("kim").get("/settings/").get_data(as_text=True)


def test_after_red_offline_a_carer_sees_only_what_they_may_see(app, as_user):
    """Alex's help after red includes what not to do (he is the one helping); once Sam keeps
    the Red part from him, only the crisis routes."""

    def help_after_red() -> str:
        page = as_user("alex").get("/journal/", headers={"X-MKW-Keep": "1"})
        text = page.get_data(as_text=True)
        return text.split("data-offline-red", 1)[1].split("data-check-ins-waiting", 1)[0]

    shown = help_after_red()
    assert "Do not shout or hold my arms." in shown and "Call Mum (Alex) first." in shown
    with app.app_context():
        alex = accounts.user_by_email("alex@example.org")
        cases.set_hidden_sections(cases.case_by_id(1), alex.id, {"red"})
    shown = help_after_red()
    assert 'href="tel:999"' in shown
    assert "Do not shout" not in shown and "Call Mum (Alex) first." not in shown


def test_new_office_hours_make_a_new_copy(app, as_user):
    """Kept pages give the team's hours, so new hours are a new version."""
    from datetime import time

    _keep(app, "sam@example.org")
    sam = as_user("sam")
    etag = sam.get("/offline/keep").headers["ETag"]
    _team_hours(app, "0123", time(8, 30), time(16))
    assert sam.get("/offline/keep", headers={"If-None-Match": etag}).status_code == 200
