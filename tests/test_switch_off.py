"""A manager switches an account off at once (and on again): every session ends, the next
sign-in is refused with a kind message, nothing is sent to the person, and the trail has it."""

from __future__ import annotations

import re
import uuid

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.conftest import PASSWORD, staff_of_another_team
from tests.test_passkeys import _add, _sign_in_with
from tests.webauthn_soft import SoftPasskey
from webapp.extensions import db
from webapp.models import AuditEvent, OutboxItem, Role, SignInSession, SignInThrottle
from webapp.services import accounts, cases, messages, push

SAM = 1
KIND = "Your account is switched off, so you cannot sign in."
PAGE = "/staff/team/accounts"


def _id(app, name: str) -> int:
    with app.app_context():
        return accounts.user_by_email(f"{name}@example.org").id


def _switch(client, user_id: int, on: bool):
    return client.post_form(f"{PAGE}/{user_id}/switch-{'on' if on else 'off'}", {}, page=PAGE)


def _try_sign_in(client, email: str):
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/sign-in").get_data(as_text=True)).group(1)  # fmt: skip
    return client.post("/sign-in", data={"csrf_token": token, "email": email,
                                         "password": PASSWORD})  # fmt: skip


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


def test_a_manager_switches_a_carer_off_at_once_and_on_again(app, as_user, client):
    alex_id = _id(app, "alex")
    alex, morgan = as_user("alex"), as_user("morgan")
    assert alex.get("/").status_code == 200
    page = BeautifulSoup(morgan.get(PAGE).get_data(as_text=True), "html.parser")
    row = page.find(id=f"account-{alex_id}")
    assert "The account is on." in row.get_text() and "for Sam" in row.get_text()
    response = _switch(morgan, alex_id, on=False)
    assert response.status_code == 302
    done = morgan.get(response.headers["Location"]).get_data(as_text=True)
    assert "account is switched off. They are signed out everywhere" in done
    # Signed out at once: the session Alex had is gone.
    assert alex.get("/").status_code == 302
    with app.app_context():
        assert not db.session.scalars(select(SignInSession).filter_by(user_id=alex_id)).all()
    # The next sign-in is refused, kindly, and not counted as a wrong password.
    refused = _try_sign_in(client, "alex@example.org")
    assert refused.status_code == 200 and KIND in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SignInThrottle)) is None
    # A wrong password still says only that it is wrong.
    token = client.csrf_token("/sign-in")
    wrong = client.post("/sign-in", data={"csrf_token": token, "email": "alex@example.org",
                                          "password": "not the password"})  # fmt: skip
    assert KIND not in wrong.get_data(as_text=True)
    # In the trail, with the case, and on the manager's page of it.
    [event] = _events(app, "switch_off")
    assert (event.record_type, event.record_id, event.case_id) == ("users", alex_id, SAM)
    assert event.actor_id == _id(app, "morgan") and event.session_hash
    assert "switched the account off" in morgan.get("/staff/audit").get_data(as_text=True)
    # On again: Alex signs in as before.
    assert _switch(morgan, alex_id, on=True).status_code == 302
    assert _try_sign_in(client, "alex@example.org").status_code == 302
    assert client.get("/").status_code == 200
    assert _events(app, "switch_on")


def test_a_key_workers_account_is_the_teams_too(app, as_user):
    kim_id = _id(app, "kim")
    kim, morgan = as_user("kim"), as_user("morgan")
    _switch(morgan, kim_id, on=False)
    assert kim.get("/").status_code == 302
    trail = morgan.get(f"/staff/audit?person={_id(app, 'morgan')}").get_data(as_text=True)
    assert "switched the account off" in trail
    csv = morgan.get("/staff/audit.csv").get_data(as_text=True)
    assert f"users,{kim_id},switch_off" in csv


def test_only_the_teams_manager_switches_and_never_their_own(app, as_user):
    morgan, kim = as_user("morgan"), as_user("kim")
    with app.app_context():
        other = staff_of_another_team("pat@example.org", "Pat Devon", Role.KEY_WORKER)
        pat_id = accounts.user_by_email("pat@example.org").id
        assert other
    for user_id in (_id(app, "morgan"), pat_id, _id(app, "robin"), 999_999):
        assert _switch(morgan, user_id, on=False).status_code == 404
    assert kim.get(PAGE).status_code == 404
    assert _switch(kim, _id(app, "alex"), on=False).status_code == 404
    assert as_user("alex").get(PAGE).status_code == 404
    with app.app_context():
        assert all(accounts.user_by_id(i).active for i in (_id(app, "morgan"), pat_id))
    # Nothing changes on a GET.
    assert morgan.get(f"{PAGE}/{_id(app, 'alex')}/switch-off").status_code == 405
    assert _events(app, "switch_off") == []


def test_nothing_is_sent_to_a_switched_off_account(app, as_user):
    alex_id = _id(app, "alex")
    with app.app_context():
        alex = accounts.user_by_id(alex_id)
        push.subscribe(alex, "https://fcm.googleapis.com/fcm/send/abc", "p" * 87, "a" * 22)
        kim = accounts.user_by_email("kim@example.org")
        case = cases.case_by_id(SAM)
        conversation = messages.conversation_for(case, alex)
        messages.send(conversation, kim, "Hello Alex", uuid.uuid4().hex, case.team)
        [queued] = db.session.scalars(select(OutboxItem).filter_by(user_id=alex_id)).all()
        queued_id = queued.id
    _switch(as_user("morgan"), alex_id, on=False)
    with app.app_context():
        # Already queued: given up, not sent. New ones: not queued at all.
        token, ids = push.claim([queued_id])
        assert ids == [queued_id] and push.deliver(queued_id, token) == "gone"
        assert db.session.get(OutboxItem, queued_id).last_error == "the account is switched off"
        kim = accounts.user_by_email("kim@example.org")
        case = cases.case_by_id(SAM)
        conversation = messages.conversation_for(case, accounts.user_by_id(alex_id))
        messages.send(conversation, kim, "Hello again", uuid.uuid4().hex, case.team)
        assert len(db.session.scalars(select(OutboxItem).filter_by(user_id=alex_id)).all()) == 1


def test_a_passkey_sign_in_is_refused_kindly_too(app, as_user, client):
    key = SoftPasskey()
    assert _add(as_user("sam"), key).get_json()["ok"]
    _switch(as_user("morgan"), _id(app, "sam"), on=False)
    response = _sign_in_with(client, key)
    assert response.status_code == 403 and KIND in response.get_json()["message"]
    assert client.get("/").status_code == 302
