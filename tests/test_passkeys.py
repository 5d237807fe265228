"""Passkeys: added, listed and removed in settings; sign-in without an email; the PIN step and
the staff second check. Every answer is signed by a real key (tests/webauthn_soft.py) and
checked by the `webauthn` package: another person's passkey, a wrong or used challenge, a
wrong origin or RP ID, no user verification and a bad signature are all refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD
from tests.webauthn_soft import SoftPasskey, b64
from webapp.extensions import db
from webapp.models import Passkey, Role, SecurityEvent, SignInSession, utcnow
from webapp.services import accounts


def _csrf(client, page: str = "/sign-in") -> str:
    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _post(client, url: str, body: dict, page: str):
    return client.post(url, json=body, headers={"X-CSRFToken": _csrf(client, page)})


def _add(client, key: SoftPasskey, page: str = "/settings/passkeys", **kwargs):
    options = _post(client, "/passkeys/new/options", {}, page)
    assert options.status_code == 200, options.status_code
    options = options.get_json()
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    return _post(client, "/passkeys/new", {"credential": key.create(options, **kwargs)}, page)


def _sign_in_with(client, key: SoftPasskey, keep: bool = False, **kwargs):
    options = _post(client, "/sign-in/passkey/options", {}, "/sign-in").get_json()
    assert "allowCredentials" not in options or options["allowCredentials"] == []
    credential = key.get(options["challenge"], **kwargs)
    return _post(client, "/sign-in/passkey", {"credential": credential, "keep": keep}, "/sign-in")


def _check_with(client, key: SoftPasskey, page: str, **kwargs):
    options = _post(client, "/sign-in/passkey/check/options", {}, page).get_json()
    credential = key.get(options["challenge"], **kwargs)
    return _post(client, "/sign-in/passkey/check", {"credential": credential}, page)


def _password_only(client, email: str, keep: bool = False):
    data = {"csrf_token": _csrf(client), "email": email, "password": PASSWORD}
    if keep:
        data["keep"] = "y"
    return client.post("/sign-in", data=data)


@pytest.fixture
def sams_key(app, as_user):
    key = SoftPasskey()
    response = _add(as_user("sam"), key)
    assert response.status_code == 200 and response.get_json()["ok"], response.get_json()
    return key


def test_add_list_and_sign_in_without_an_email(app, as_user, client):
    sam = as_user("sam")
    key = SoftPasskey()
    response = _add(sam, key)
    assert response.get_json() == {"ok": True, "next": "/settings/passkeys"}
    page = sam.get("/settings/passkeys").get_data(as_text=True)
    assert "Your passkey is added." in page and "Remove this passkey" in page
    with app.app_context():
        owner = accounts.user_by_email("sam@example.org")
        [row] = db.session.scalars(select(Passkey).where(Passkey.user_id == owner.id)).all()
        assert row.credential_id == key.credential_id
        assert key.user_handle == owner.passkey_handle and len(key.user_handle) == 32  # random
        assert db.session.scalar(
            select(SecurityEvent).where(
                SecurityEvent.user_id == owner.id, SecurityEvent.kind == "passkey_added"
            )
        )
    # A new browser: no email, no password.
    response = _sign_in_with(client, key)
    assert response.get_json() == {"ok": True, "next": "/"}
    assert client.get("/messages/").status_code == 200
    assert "Last used: Today" in sam.get("/settings/passkeys").get_data(as_text=True)


def test_the_password_still_works(sams_key, client):
    assert _password_only(client, "sam@example.org").status_code == 302
    assert client.get("/messages/").status_code == 200


def test_a_wrong_challenge_is_refused(sams_key, client):
    _post(client, "/sign-in/passkey/options", {}, "/sign-in")
    credential = sams_key.get(b64(b"a challenge we never gave out"))
    response = _post(client, "/sign-in/passkey", {"credential": credential}, "/sign-in")
    assert response.status_code == 400
    assert "Your passkey did not work." in response.get_json()["message"]
    assert client.get("/messages/").status_code == 302


def test_an_answer_cannot_be_used_twice(sams_key, client):
    options = _post(client, "/sign-in/passkey/options", {}, "/sign-in").get_json()
    credential = sams_key.get(options["challenge"])
    first = _post(client, "/sign-in/passkey", {"credential": credential}, "/sign-in")
    assert first.status_code == 200
    _post(client, "/sign-out", {}, "/")
    other = client.application.test_client()
    with other.session_transaction() as s:  # even with the challenge put back in the cookie
        s["passkey_challenge"] = options["challenge"]
    again = _post(other, "/sign-in/passkey", {"credential": credential}, "/sign-in")
    assert again.status_code == 400


def test_a_challenge_expires(app, sams_key, client):
    from webapp.models import PasskeyChallenge

    options = _post(client, "/sign-in/passkey/options", {}, "/sign-in").get_json()
    with app.app_context():
        db.session.execute(
            update(PasskeyChallenge).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    credential = sams_key.get(options["challenge"])
    assert (
        _post(client, "/sign-in/passkey", {"credential": credential}, "/sign-in").status_code == 400
    )


@pytest.mark.parametrize(
    "change",
    [
        {"origin": "https://attacker.example"},
        {"origin": "http://localhost:8080"},
        {"rp_id": "attacker.example"},
        {"verified": False},
    ],
)
def test_a_wrong_origin_rp_or_no_screen_lock_is_refused(sams_key, client, change):
    response = _sign_in_with(client, sams_key, **change)
    assert response.status_code == 400
    assert client.get("/messages/").status_code == 302


def test_a_bad_signature_is_refused(sams_key, client):
    options = _post(client, "/sign-in/passkey/options", {}, "/sign-in").get_json()
    credential = sams_key.get(options["challenge"])
    forger = SoftPasskey()
    forger.credential_id = sams_key.credential_id  # the right id, someone else's key
    forged = forger.get(options["challenge"], user_handle=sams_key.user_handle)
    credential["response"]["signature"] = forged["response"]["signature"]
    assert (
        _post(client, "/sign-in/passkey", {"credential": credential}, "/sign-in").status_code == 400
    )


def test_another_persons_handle_is_refused(app, sams_key, client):
    with app.app_context():
        alex = accounts.user_by_email("alex@example.org")
        alex.passkey_handle = b"\x01" * 32
        db.session.commit()
    response = _sign_in_with(client, sams_key, user_handle=b"\x01" * 32)
    assert response.status_code == 400
    assert client.get("/messages/").status_code == 302


def test_another_persons_passkey_cannot_pass_their_check(app, sams_key, client):
    """Kim has the password but holds Sam's passkey: Kim's second check stays closed."""
    _password_only(client, "kim@example.org")
    response = _check_with(client, sams_key, "/sign-in/code")
    assert response.status_code == 400
    assert client.get("/staff/inbox").headers["Location"] == "/sign-in/code"


def test_a_passkey_unlocks_a_phone_kept_signed_in(app, sams_key, client):
    _password_only(client, "sam@example.org", keep=True)
    client.post_form("/sign-in/pin/new", {"pin": "4826", "confirm": "4826"})
    with app.app_context():
        db.session.execute(
            update(SignInSession).values(last_used_at=utcnow() - timedelta(minutes=20))
        )
        db.session.commit()
    client.get("/journal/")
    page = client.get("/sign-in/pin").get_data(as_text=True)
    assert "Use my passkey" in page
    # Locked: no passkey can be added, and someone else's passkey does not open it.
    assert _post(client, "/passkeys/new/options", {}, "/sign-in/pin").status_code == 403
    alexs = SoftPasskey()
    _add(_signed_in(app, "alex@example.org"), alexs)
    assert _check_with(client, alexs, "/sign-in/pin").status_code == 400
    assert client.get("/journal/").headers["Location"] == "/sign-in/pin"
    response = _check_with(client, sams_key, "/sign-in/pin")
    assert response.get_json() == {"ok": True, "next": "/journal/"}
    assert client.get("/journal/").status_code == 200


def _signed_in(app, email):
    c = app.test_client()
    c.sign_in(email)
    return c


def test_passkey_sign_in_can_keep_me_signed_in(sams_key, client):
    response = _sign_in_with(client, sams_key, keep=True)
    assert response.get_json()["next"] == "/sign-in/pin/new"


def test_staff_passkey_is_the_second_factor(app, as_user, client):
    kim = as_user("kim")
    key = SoftPasskey()
    assert _add(kim, key).get_json()["ok"]
    # Sign-in with the passkey alone: both factors at once, no code.
    assert _sign_in_with(client, key).status_code == 200
    assert client.get("/staff/inbox").status_code == 200
    # Or the password, then the passkey instead of a code.
    other = app.test_client()
    _password_only(other, "kim@example.org")
    assert "Use my passkey" in other.get("/sign-in/code").get_data(as_text=True)
    assert other.get("/staff/inbox").status_code == 302
    assert _check_with(other, key, "/sign-in/code").status_code == 200
    assert other.get("/staff/inbox").status_code == 200


def test_staff_cannot_add_a_passkey_before_their_second_check(app, client):
    _password_only(client, "kim@example.org")
    assert _post(client, "/passkeys/new/options", {}, "/sign-in/code").status_code == 403


def test_new_staff_can_set_up_with_a_passkey_instead_of_an_app(app, client):
    with app.app_context():
        accounts.create_user(
            email="new.kw@example.org", name="New Worker", role=Role.KEY_WORKER,
            password=PASSWORD, team_id=accounts.user_by_email("kim@example.org").team_id,
        )  # fmt: skip
        db.session.commit()
    _password_only(client, "new.kw@example.org")
    page = client.get("/sign-in/set-up-code").get_data(as_text=True)
    assert "Add a passkey instead" in page
    key = SoftPasskey()
    response = _add(client, key, page="/sign-in/set-up-code")
    assert response.get_json() == {"ok": True, "next": "/sign-in/recovery-codes"}
    page = client.get("/sign-in/recovery-codes").get_data(as_text=True)
    assert len(re.findall(r"<code>[0-9a-f]{5}-[0-9a-f]{5}</code>", page)) == 10
    assert client.get("/sign-in/recovery-codes").headers["Location"] == "/"  # shown once
    assert client.get("/staff/inbox").status_code == 200
    # The only second check cannot be removed.
    [passkey_id] = re.findall(
        r"/settings/passkeys/(\d+)/remove", client.get("/settings/passkeys").get_data(as_text=True)
    )
    client.post_form(f"/settings/passkeys/{passkey_id}/remove", {}, "/settings/passkeys")
    assert "This is your only second check" in client.get("/settings/passkeys").get_data(
        as_text=True
    )


def test_remove_a_passkey(app, as_user, sams_key, client):
    sam = as_user("sam")
    page = sam.get("/settings/passkeys").get_data(as_text=True)
    [passkey_id] = re.findall(r"/settings/passkeys/(\d+)/remove", page)
    # Not someone else's.
    alex = as_user("alex")
    assert (
        alex.post_form(
            f"/settings/passkeys/{passkey_id}/remove", {}, "/settings/passkeys"
        ).status_code
        == 404
    )
    response = sam.post_form(f"/settings/passkeys/{passkey_id}/remove", {}, "/settings/passkeys")
    assert response.status_code == 302
    assert "The passkey is removed." in sam.get("/settings/passkeys").get_data(as_text=True)
    assert _sign_in_with(client, sams_key).status_code == 400


def test_a_managers_reset_removes_passkeys(app, as_user):
    kim = as_user("kim")
    assert _add(kim, SoftPasskey()).get_json()["ok"]
    from webapp.services import second_factor

    with app.app_context():
        member = accounts.user_by_email("kim@example.org")
        second_factor.reset(member, accounts.user_by_email("morgan@example.org"))
        assert db.session.scalars(select(Passkey).where(Passkey.user_id == member.id)).all() == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"credential": None},
        {"credential": "text"},
        {"credential": {"id": "x", "rawId": "!!!", "type": "public-key", "response": {}}},
        {"credential": {"id": "a", "rawId": "a" * 5000, "type": "x", "response": []}},
        [1, 2, 3],
    ],
)
def test_nonsense_is_refused_kindly(as_user, client, body):
    response = client.post("/sign-in/passkey", json=body, headers={"X-CSRFToken": _csrf(client)})
    assert response.status_code == 400 and "did not work" in response.get_json()["message"]
    sam = as_user("sam")
    _post(sam, "/passkeys/new/options", {}, "/settings/passkeys")
    response = sam.post(
        "/passkeys/new", json=body, headers={"X-CSRFToken": _csrf(sam, "/settings/passkeys")}
    )
    assert response.status_code == 400


def test_json_posts_need_the_csrf_token(client):
    assert client.post("/sign-in/passkey/options", json={}).status_code == 400
