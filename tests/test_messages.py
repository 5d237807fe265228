"""Messages: each family member's own conversation, unread counts that are always right,
honest limits, nothing lost or doubled."""

from __future__ import annotations

import re
from datetime import time

import pytest

from webapp.extensions import db
from webapp.models import Conversation, Message, Team

SAM = 1


@pytest.fixture
def office(app):
    """Set the demo team's office hours for a test: open all week, or closed all week."""

    def set_hours(open_now: bool):
        with app.app_context():
            team = db.session.query(Team).one()
            team.office_days = "0123456" if open_now else ""
            team.office_opens, team.office_closes = time(0, 0), time(23, 59, 59)
            db.session.commit()

    return set_hours


def _send(client, body, key, path="/messages/"):
    return client.post_form(path, {"body": body, "client_key": key}, page=path)


def _conversation_id(app, email) -> int:
    with app.app_context():
        from webapp.services import accounts

        user = accounts.user_by_email(email)
        return db.session.query(Conversation).filter_by(member_id=user.id).one().id


def test_send_read_reply_and_unread_counts_from_both_sides(app, as_user, office):
    office(True)
    sam, kim = as_user("sam"), as_user("kim")
    assert _send(sam, "Can we talk about college?", "k1").status_code == 302
    assert "Inbox (1 new)" in kim.get("/").get_data(as_text=True)
    cid = _conversation_id(app, "sam@example.org")
    page = kim.get(f"/staff/conversations/{cid}").get_data(as_text=True)
    assert "Can we talk about college?" in page and "Sam Taylor, young person" in page
    assert "Today at" in page
    assert "Inbox (1 new)" not in kim.get("/").get_data(as_text=True)  # read now
    _send(kim, "Yes, on Thursday.", "r1", f"/staff/conversations/{cid}")
    home = sam.get("/").get_data(as_text=True)
    assert "Messages (1 new)" in home
    mine = sam.get("/messages/").get_data(as_text=True)
    assert "Kim Okafor, key working team" in mine and "Yes, on Thursday." in mine
    assert "Messages (1 new)" not in sam.get("/").get_data(as_text=True)
    # The manager sees the team's conversations, with the right count for them.
    assert "Inbox (2 new)" in as_user("morgan").get("/").get_data(as_text=True)


def test_the_same_form_twice_stores_one_message(app, as_user, office):
    office(True)
    sam = as_user("sam")
    for _ in range(3):
        assert _send(sam, "Hello", "same-key").status_code == 302
    with app.app_context():
        assert db.session.query(Message).filter_by(client_key="same-key").count() == 1


def test_a_reused_key_with_other_words_is_refused_kindly(as_user, office):
    office(True)
    sam = as_user("sam")
    _send(sam, "First message", "key-x")
    page = _send(sam, "Different words", "key-x").get_data(as_text=True)
    assert "Your message could not be sent. Please send it again." in page
    assert "Different words" in page  # nothing lost


def test_bad_input(as_user, office):
    office(True)
    sam = as_user("sam")
    assert "Write your message before you send it." in _send(sam, "", "e1").get_data(as_text=True)
    long = "x" * 2001
    page = _send(sam, long, "e2").get_data(as_text=True)
    assert "use 2000 characters or fewer. You have used 2001." in page and long in page
    _send(sam, "<script>alert(1)</script>", "e3")
    shown = sam.get("/messages/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;" in shown


def test_limits_are_always_visible(as_user):
    for name in ("sam", "alex"):
        page = as_user(name).get("/messages/").get_data(as_text=True)
        assert "Messages are not for emergencies." in page
        assert "Monday to Sunday" in page or "Monday to Friday" in page
        assert 'href="tel:999"' in page


def test_out_of_hours_gets_one_kind_automatic_reply(app, as_user, office):
    office(False)
    sam = as_user("sam")
    _send(sam, "Are you there?", "o1")
    _send(sam, "Hello?", "o2")
    page = sam.get("/messages/").get_data(as_text=True)
    assert page.count("Automatic reply") == 1
    assert "The team is not working now. Someone will read it on the next working day." in page


def test_conversations_are_private_to_each_family_member(app, as_user, office):
    office(True)
    _send(as_user("sam"), "Secret from Mum", "p1")
    _send(as_user("alex"), "A worry from home", "p2")
    sam_cid = _conversation_id(app, "sam@example.org")
    alex_cid = _conversation_id(app, "alex@example.org")
    assert "Secret from Mum" not in as_user("alex").get("/messages/").get_data(as_text=True)
    assert "A worry from home" not in as_user("sam").get("/messages/").get_data(as_text=True)
    assert "The young person cannot see them." in as_user("alex").get("/messages/").get_data(
        as_text=True
    )
    for name in ("sam", "alex", "priya", "nadia", "robin", "lee"):
        client = as_user(name)
        for cid in (sam_cid, alex_cid):
            assert client.get(f"/staff/conversations/{cid}").status_code == 404, (name, cid)
            token = client.csrf_token("/settings/")
            data = {"csrf_token": token, "body": "x", "client_key": "z"}
            response = client.post(f"/staff/conversations/{cid}", data=data)
            assert response.status_code == 404
    assert as_user("kim").get(f"/staff/conversations/{alex_cid}").status_code == 200


def test_messaging_closes_with_key_working(as_user):
    jordan = as_user("jordan")
    page = jordan.get("/messages/").get_data(as_text=True)
    assert (
        "Messaging stopped when key working stopped" in page and "I would like help again" in page
    )
    assert _send(jordan, "Hello", "c1").status_code == 404


def test_inbox_puts_unread_first_and_shows_the_wait(app, as_user, office):
    office(True)
    _send(as_user("alex"), "Question from Alex", "i1")
    page = as_user("kim").get("/staff/inbox").get_data(as_text=True)
    assert "Waiting for a reply since Today at" in page
    assert re.search(r"Alex Taylor \(case of Sam Taylor\)", page)


def test_tell_my_key_worker_now_sends_an_urgent_message(app, as_user, office):
    office(True)
    sam = as_user("sam")
    response = sam.post_form("/journal/check-in", {"feeling": "red", "client_key": "red-1"},
                             page="/journal/")  # fmt: skip
    entry = response.headers["Location"]
    sam.post_form(f"{entry}/tell", {}, page=entry)
    sam.post_form(f"{entry}/tell", {}, page=entry)  # a second press sends nothing more
    cid = _conversation_id(app, "sam@example.org")
    page = as_user("kim").get(f"/staff/conversations/{cid}").get_data(as_text=True)
    assert page.count("Tell my key worker now") == 1 and "Urgent" in page


def test_staff_open_a_conversation_with_a_family_member(as_user):
    kim = as_user("kim")
    response = kim.post_form(f"/staff/cases/{SAM}/people/4/conversation", {},
                             page=f"/staff/cases/{SAM}")  # fmt: skip
    assert response.status_code == 302
    assert "Messages with Alex Taylor" in kim.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert as_user("lee").post_form(f"/staff/cases/{SAM}/people/4/conversation", {},
                                    page="/settings/").status_code == 404  # fmt: skip


def test_control_characters_are_dropped_not_a_server_error(app, as_user, office):
    """PostgreSQL refuses NUL in text: what people type is cleaned at the form."""
    office(True)
    sam = as_user("sam")
    assert _send(sam, "Hello\x00 there\x07", "nul-1").status_code == 302
    with app.app_context():
        assert db.session.query(Message).filter_by(client_key="nul-1").one().body == "Hello there"


def test_another_persons_client_key_cannot_touch_their_message(app, as_user, office):
    office(True)
    _send(as_user("sam"), "Sam's own words", "shared-key")
    _send(as_user("alex"), "Alex's words", "shared-key")
    with app.app_context():
        bodies = sorted(
            m.body for m in db.session.query(Message).filter_by(client_key="shared-key")
        )
    assert bodies == ["Alex's words", "Sam's own words"]


def test_a_queued_message_gets_a_saved_answer_only_when_it_is_saved(app, as_user, client):
    """app.js deletes a queued message only on 201 {saved: true}; a signed-out send is a
    redirect to the sign-in page, which the queue keeps."""
    sam = as_user("sam")
    data = {"body": "Sent from the queue.", "client_key": "q" * 32}
    queued = {"X-MKW-Queued": "1"}
    response = sam.post_form("/messages/", data, headers=queued)
    assert response.status_code == 201
    assert response.get_json() == {"saved": True}
    again = sam.post_form("/messages/", data, headers=queued)  # sent twice: stored once
    assert again.status_code == 201
    assert sam.get("/messages/").get_data(as_text=True).count("Sent from the queue.") == 1
    signed_out = client.post_form("/messages/", data, page="/sign-in", headers=queued)
    assert signed_out.status_code == 302
    assert signed_out.headers["Location"].startswith("/sign-in")
