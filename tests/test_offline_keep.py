"""What the service worker is told: whom each page is for, and what to keep (issue 13)."""

from __future__ import annotations

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
    assert not [p for p in data["pages"] if p.startswith(("/messages", "/journal"))]
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
