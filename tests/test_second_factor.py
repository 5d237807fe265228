"""Staff second factor: TOTP with replay protection, recovery codes, set-up, manager reset."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from tests.conftest import PASSWORD, totp_code
from webapp.extensions import db
from webapp.models import RecoveryCode, SecurityEvent
from webapp.services import accounts, second_factor

DID_NOT_WORK = "That code did not work."


def _password_only(client, email: str):
    token = client.csrf_token("/sign-in")
    response = client.post(
        "/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


def _send_code(client, code: str, path: str = "/sign-in/code"):
    token = client.csrf_token(path)
    return client.post(path, data={"csrf_token": token, "code": code})


def test_staff_reach_no_personal_data_before_the_second_factor(app, client):
    _password_only(client, "kim@example.org")
    for path in (
        "/",
        "/staff/inbox",
        "/staff/cases/1",
        "/cases/1/plan/",
        "/settings/",
        "/help-again/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/sign-in/code", path
    assert client.get("/get-help").status_code == 200  # public pages stay open
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page
    assert _send_code(client, totp_code(app, "kim@example.org")).status_code == 302
    assert client.get("/staff/inbox").status_code == 200


def test_reviewers_need_it_too_and_families_never(app, client):
    _password_only(client, "robin@example.org")
    assert client.get("/").headers["Location"] == "/sign-in/code"
    family = app.test_client()
    _password_only(family, "sam@example.org")
    assert family.get("/").status_code == 200
    assert family.get("/sign-in/code").status_code == 404


def test_a_wrong_code_is_refused_kindly(client):
    _password_only(client, "kim@example.org")
    for wrong in ("000000", "12345", "abcdef", ""):
        page = _send_code(client, wrong).get_data(as_text=True)
        assert "<title>Error: Enter your code" in page
        assert DID_NOT_WORK in page or "Enter the 6-digit code" in page
    assert client.get("/").status_code == 302


def test_an_expired_code_is_refused(app, client):
    _password_only(client, "kim@example.org")
    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        old = pyotp.TOTP(second_factor.totp_secret(kim)).at(time.time() - 3 * second_factor.STEP)
        future = pyotp.TOTP(second_factor.totp_secret(kim)).at(time.time() + 3 * second_factor.STEP)
    assert DID_NOT_WORK in _send_code(client, old).get_data(as_text=True)
    assert DID_NOT_WORK in _send_code(client, future).get_data(as_text=True)


def test_a_code_cannot_be_used_twice_even_within_its_window(app):
    first, second = app.test_client(), app.test_client()
    _password_only(first, "kim@example.org")
    _password_only(second, "kim@example.org")
    code = totp_code(app, "kim@example.org")
    assert _send_code(first, code).status_code == 302
    # The same code, seconds later, from somewhere else (someone who saw it): refused.
    assert DID_NOT_WORK in _send_code(second, code).get_data(as_text=True)
    assert second.get("/").status_code == 302
    # An earlier step than one already used is refused too.
    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        earlier = pyotp.TOTP(second_factor.totp_secret(kim)).at(
            (kim.totp_last_step - 1) * second_factor.STEP
        )
        assert not second_factor.check_totp(kim, earlier)


def _set_up_fresh(app, client, email: str) -> tuple[str, list[str]]:
    """Reset the person's second factor, sign in and set it up; gives the secret and codes."""
    with app.app_context():
        member = accounts.user_by_email(email)
        second_factor.reset(member, by=accounts.user_by_email("morgan@example.org"))
    _password_only(client, email)
    assert client.get("/").headers["Location"] == "/sign-in/code"
    assert client.get("/sign-in/code").headers["Location"] == "/sign-in/set-up-code"
    page = client.get("/sign-in/set-up-code").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page and "aria-label=" in page
    secret = re.search(r'class="mkw-secret" dir="ltr"><code>([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    assert len(secret) >= 16
    # The same secret on a reload (the person may be scanning it).
    assert secret in client.get("/sign-in/set-up-code").get_data(as_text=True).replace(" ", "")
    wrong = _send_code(client, "123456", "/sign-in/set-up-code").get_data(as_text=True)
    assert "Check that the app shows My Key Worker" in wrong
    done = _send_code(client, pyotp.TOTP(secret).now(), "/sign-in/set-up-code")
    page = done.get_data(as_text=True)
    assert "We show these codes only this once." in page
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff/inbox").status_code == 200
    return secret, codes


def test_set_up_then_recovery_codes_work_once(app, client):
    secret, codes = _set_up_fresh(app, client, "lee@example.org")
    with app.app_context():
        lee = accounts.user_by_email("lee@example.org")
        stored = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == lee.id)
        ).all()
        assert len(stored) == 10
        assert not any(c.replace("-", "") in h or c in h for c in codes for h in stored)
        # Shown once: the set-up page now sends the person to the code page instead.
    assert client.get("/sign-in/set-up-code").headers["Location"] == "/sign-in/code"
    phone_lost = app.test_client()
    _password_only(phone_lost, "lee@example.org")
    response = _send_code(phone_lost, codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    assert "You have 9 recovery codes left." in phone_lost.get("/").get_data(as_text=True)
    again = app.test_client()
    _password_only(again, "lee@example.org")
    assert DID_NOT_WORK in _send_code(again, codes[3]).get_data(as_text=True)
    assert again.get("/").status_code == 302


def test_a_manager_resets_a_team_members_second_factor_and_it_is_recorded(app, as_user):
    kim = as_user("kim")
    morgan = as_user("morgan")
    page = morgan.get("/staff/team/second-checks").get_data(as_text=True)
    assert "Kim Okafor" in page and "Second check: set up" in page
    with app.app_context():
        kim_id = accounts.user_by_email("kim@example.org").id
        morgan_id = accounts.user_by_email("morgan@example.org").id
        robin_id = accounts.user_by_email("robin@example.org").id
    response = morgan.post_form(
        f"/staff/team/{kim_id}/reset-second-factor", {}, page="/staff/team/second-checks"
    )
    assert response.status_code == 302
    page = morgan.get("/staff/team/second-checks").get_data(as_text=True)
    assert "second check is reset" in page and "Reset: Today at" in page
    assert kim.get("/").status_code == 302  # signed out everywhere
    with app.app_context():
        [event] = db.session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == kim_id))
        assert event.actor_id == morgan_id and event.kind == "second_factor_reset"
        assert not second_factor.is_set_up(accounts.user_by_email("kim@example.org"))
    # Not themselves, not someone outside the team, and never by a key worker.
    assert (
        morgan.post_form(
            f"/staff/team/{morgan_id}/reset-second-factor", {}, page="/staff/team"
        ).status_code
        == 404
    )
    assert (
        morgan.post_form(
            f"/staff/team/{robin_id}/reset-second-factor", {}, page="/staff/team"
        ).status_code
        == 404
    )
    lee = as_user("lee")
    assert lee.get("/staff/team").status_code == 404


def test_demo_staff_share_the_documented_secret(app):
    with app.app_context():
        for email in (
            "kim@example.org",
            "lee@example.org",
            "morgan@example.org",
            "robin@example.org",
        ):
            user = accounts.user_by_email(email)
            assert second_factor.totp_secret(user) == "MYKEYWORKERDEMOSECRETFORSTAFFABC"
            assert second_factor.is_set_up(user)
        assert accounts.user_by_email("sam@example.org").totp_secret is None


def test_the_totp_secret_is_encrypted_at_rest(app):
    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        stored = kim.totp_secret
        assert stored.startswith("enc1:") and second_factor.demo_secret() not in stored
        # Another key cannot read it (a manager resets the second check then).
        app.config["TOTP_ENCRYPTION_KEY"] = "another key altogether, not the one used"
        try:
            assert second_factor.totp_secret(kim) is None
            assert not second_factor.check_totp(kim, pyotp.TOTP(second_factor.demo_secret()).now())
        finally:
            app.config["TOTP_ENCRYPTION_KEY"] = None
        assert second_factor.totp_secret(kim) == second_factor.demo_secret()


def test_a_secret_stored_before_encryption_still_works_and_is_encrypted(app, client):
    legacy = pyotp.random_base32()
    with app.app_context():
        lee = accounts.user_by_email("lee@example.org")
        lee.totp_secret = legacy  # as 0009 stored it, in clear
        lee.totp_last_step = None
        db.session.commit()
    _password_only(client, "lee@example.org")
    assert _send_code(client, pyotp.TOTP(legacy).now()).status_code == 302
    assert client.get("/staff/inbox").status_code == 200
    with app.app_context():
        lee = accounts.user_by_email("lee@example.org")
        assert lee.totp_secret.startswith("enc1:") and legacy not in lee.totp_secret
        assert second_factor.totp_secret(lee) == legacy
