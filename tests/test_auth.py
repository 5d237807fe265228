"""Signing in and out, lockout, rate limits, CSRF, invitations and password resets."""

from __future__ import annotations

import re
from datetime import timedelta

from webapp.extensions import db
from webapp.models import Invitation, Role, User, utcnow
from webapp.services import accounts

WRONG = "The email address or password is not right. Check them and try again."


def test_sign_in_and_out(client):
    response = client.sign_in("sam@example.org")
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert "Hello Sam" in home.get_data(as_text=True)
    assert home.headers["Cache-Control"] == "no-store"

    token = re.search(r'name="csrf_token" value="([^"]+)"', home.get_data(as_text=True)).group(1)
    out = client.post("/sign-out", data={"csrf_token": token})
    assert out.status_code == 302
    assert '"cache"' in out.headers["Clear-Site-Data"]
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_sign_out_is_never_a_get(client):
    client.sign_in("sam@example.org")
    assert client.get("/sign-out").status_code == 405
    assert client.get("/").status_code == 200  # still signed in


def test_sign_out_without_csrf_token_is_refused(client):
    client.sign_in("sam@example.org")
    response = client.post("/sign-out", data={})
    assert response.status_code == 400
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_kind_message(client):
    for email in ("sam@example.org", "nobody@example.org"):
        response = client.post_form("/sign-in", {"email": email, "password": "not-the-password"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert WRONG in page
        assert f'value="{email}"' in page  # what was typed is kept
        assert "not-the-password" not in page  # but never the password
        assert page.count('href="#email"') == 1  # the summary links to the field
        assert "<title>Error: Sign in" in page


def test_missing_fields_have_specific_messages(client):
    page = client.post_form("/sign-in", {"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address." in page
    assert "Enter your password." in page


def test_badly_formed_email_and_over_long_password(client):
    page = client.post_form(
        "/sign-in", {"email": "sam at example", "password": "x" * 200}
    ).get_data(as_text=True)
    assert "Enter an email address in the right format, like name@example.com." in page
    assert "Your password must be 128 characters or fewer." in page
    assert 'value="sam at example"' in page


def test_tampered_csrf_token_keeps_what_was_typed(client):
    response = client.post(
        "/sign-in",
        data={"csrf_token": "tampered", "email": "sam@example.org", "password": "x"},
    )
    page = response.get_data(as_text=True)
    assert "Your form could not be sent safely" in page
    assert 'value="sam@example.org"' in page
    assert client.get("/").status_code == 302  # not signed in


def _wait_over(app, email: str) -> None:
    from webapp.models import SignInThrottle
    from webapp.services.tokens import keyed_digest

    with app.app_context():
        throttle = db.session.get(SignInThrottle, keyed_digest(email))
        throttle.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_mistakes_make_a_growing_wait_whether_or_not_the_address_has_an_account(client, app):
    free = app.config["SIGN_IN_FREE_FAILURES"]
    for email in ("alex@example.org", "no-account@example.org"):
        for _ in range(free - 1):
            text = client.post_form(
                "/sign-in", {"email": email, "password": "wrong-password"}
            ).get_data(as_text=True)
            assert WRONG in text and "please wait" not in text
        text = client.post_form(
            "/sign-in", {"email": email, "password": "wrong-password"}
        ).get_data(as_text=True)
        assert WRONG in text
        assert "To keep your account safe, please wait 1 second before you try again." in text
    # During the wait even the right password does not get in, and it is not even checked.
    # (The wait is stretched to 30 s here, so a slow machine cannot let it run out first.)
    from webapp.models import SignInThrottle
    from webapp.services.tokens import keyed_digest

    with app.app_context():
        throttle = db.session.get(SignInThrottle, keyed_digest("alex@example.org"))
        throttle.locked_until = utcnow() + timedelta(seconds=30)
        db.session.commit()
    text = client.post_form(
        "/sign-in", {"email": "alex@example.org", "password": "keyworker-demo-2026"}
    ).get_data(as_text=True)
    assert "You have tried to sign in many times." in text
    assert "choose a new password" in text
    # After the wait, the right password works and the count starts again.
    _wait_over(app, "alex@example.org")
    assert (
        client.post_form(
            "/sign-in", {"email": "alex@example.org", "password": "keyworker-demo-2026"}
        ).status_code
        == 302
    )


def test_the_wait_doubles_and_never_becomes_a_long_lock(app):
    with app.app_context():
        free = app.config["SIGN_IN_FREE_FAILURES"]
        waits = [accounts.delay_after(n).total_seconds() for n in range(free + 12)]
        assert waits[:free] == [0] * free
        assert waits[free : free + 4] == [1, 2, 4, 8]
        assert max(waits) == app.config["SIGN_IN_MAX_DELAY"].total_seconds() == 300
        # 30 mistakes in a row: the real person waits at most 5 minutes, then gets in.
        for _ in range(30):
            result = accounts.sign_in("chris@example.org", "wrong-password")
            _wait_over(app, "chris@example.org")
        assert result.wait_until - utcnow() <= timedelta(minutes=5)
        assert accounts.sign_in("chris@example.org", "keyworker-demo-2026").user is not None


def test_a_new_password_clears_the_wait(app, client, outbox):
    for _ in range(app.config["SIGN_IN_FREE_FAILURES"] + 3):
        with app.app_context():
            accounts.sign_in("sam@example.org", "wrong-password")
    client.post_form("/reset-password", {"email": "sam@example.org"})
    client.get(_link(outbox))
    client.post_form(
        "/reset-password/new",
        {"password": "a brand new password", "confirm": "a brand new password"},
    )
    with app.app_context():
        assert accounts.sign_in("sam@example.org", "a brand new password").user is not None


def test_sign_in_is_rate_limited_per_address(client, app):
    limit = int(app.config["SIGN_IN_RATE_LIMIT"].split()[0])
    token = client.csrf_token()
    statuses = []
    for i in range(limit + 1):
        response = client.post(
            "/sign-in",
            data={"csrf_token": token, "email": f"person{i}@example.org", "password": "x"},
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {200}
    assert "Please wait a few minutes" in response.get_data(as_text=True)
    assert "999" in response.get_data(as_text=True)


def test_session_cookie_flags(app, client):
    response = client.post_form(
        "/sign-in", {"email": "sam@example.org", "password": "keyworker-demo-2026"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure():
    import os

    from webapp.config import Settings

    old = {k: os.environ.get(k) for k in ("MKW_ENV", "FLASK_ENV")}
    os.environ.pop("FLASK_ENV", None)
    os.environ["MKW_ENV"] = "production"
    try:
        settings = Settings.from_env()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.HSTS is True


def test_production_refuses_to_start_without_a_secret_key():
    import pytest

    from webapp.config import check_production

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        check_production({"ENV": "production", "SECRET_KEY": None})


def _idle(app, email: str, minutes: int) -> None:
    """Make every session of the person look unused for this many minutes."""
    from sqlalchemy import update

    from webapp.models import SignInSession

    with app.app_context():
        user = accounts.user_by_email(email)
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.user_id == user.id)
            .values(last_used_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def test_staff_are_signed_out_after_30_idle_minutes(client, app):
    client.sign_in("kim@example.org")
    _idle(app, "kim@example.org", 29)
    assert client.get("/").status_code == 200
    _idle(app, "kim@example.org", 31)
    response = client.get("/")
    assert response.status_code == 302
    page = client.get("/sign-in").get_data(as_text=True)
    assert "You were signed out because nothing happened for 30 minutes" in page


def test_families_are_not_timed_out_after_30_minutes(client, app):
    client.sign_in("sam@example.org")
    _idle(app, "sam@example.org", 31)
    assert client.get("/").status_code == 200


def test_next_only_goes_to_this_site(client):
    token = client.csrf_token()
    response = client.post(
        "/sign-in?next=https://evil.example/",
        data={"csrf_token": token, "email": "sam@example.org", "password": "keyworker-demo-2026"},
    )
    assert response.headers["Location"] == "/"


# Invitations -----------------------------------------------------------------------------


def _link(outbox) -> str:
    body = outbox[-1].get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_key_worker_invites_a_carer_who_sets_a_password(app, as_user, outbox):
    kim = as_user("kim")
    response = kim.post_form(
        "/staff/invite",
        {"role": "carer", "name": "Jo Taylor", "email": "Jo@Example.org", "case_id": "1"},
    )
    assert response.status_code == 302
    assert outbox[-1]["To"] == "jo@example.org"
    link = _link(outbox)
    assert "Jo" not in link and "example" not in link  # no personal data in the link

    newcomer = app.test_client()
    opened = newcomer.get(link)
    assert opened.headers["Location"] == "/invitation"  # the token leaves the address bar
    page = newcomer.get("/invitation").get_data(as_text=True)
    assert "Hello Jo Taylor" in page
    done = newcomer.post_form(
        "/invitation", {"password": "a long new password", "confirm": "a long new password"}
    )
    assert done.status_code == 302
    # A carer reads about the young person by name (issue 23), not "your key worker".
    assert "Sam's key worker is Kim Okafor" in newcomer.get("/").get_data(as_text=True)

    with app.app_context():
        user = accounts.user_by_email("jo@example.org")
        assert user.role is Role.CARER
        assert user.password_hash.startswith("$argon2id$")

    # The same link again: used.
    again = app.test_client()
    again.get(link)
    assert "This link has already been used" in again.get("/invitation").get_data(as_text=True)


def test_invitation_password_rules_keep_nothing_secret(app, as_user, outbox):
    as_user("morgan").post_form(
        "/staff/invite",
        {"role": "key_worker", "name": "Pat Lane", "email": "pat@example.org"},
    )
    newcomer = app.test_client()
    newcomer.get(_link(outbox))
    page = newcomer.post_form(
        "/invitation", {"password": "short", "confirm": "different"}
    ).get_data(as_text=True)
    assert "Your password must be at least 8 characters long." in page
    assert "The 2 passwords are not the same." in page
    assert 'value="short"' not in page


def test_expired_invitation(app, as_user, outbox):
    as_user("morgan").post_form(
        "/staff/invite", {"role": "reviewer", "name": "Ash Reed", "email": "ash@example.org"}
    )
    with app.app_context():
        invitation = db.session.query(Invitation).filter_by(email="ash@example.org").one()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    newcomer = app.test_client()
    newcomer.get(_link(outbox))
    assert "This link is too old" in newcomer.get("/invitation").get_data(as_text=True)


def test_unknown_invitation_link(app):
    c = app.test_client()
    c.get("/invitation/not-a-real-token")
    assert "This link does not work" in c.get("/invitation").get_data(as_text=True)


def test_manager_invites_a_young_person_which_opens_a_referral(app, as_user, outbox):
    response = as_user("morgan").post_form(
        "/staff/invite",
        {
            "role": "young_person",
            "name": "Riley Stone",
            "email": "riley@example.org",
            "date_of_birth": "2010-05-01",
            "dsr_rating": "amber",
        },
    )
    assert response.status_code == 302
    newcomer = app.test_client()
    newcomer.get(_link(outbox))
    newcomer.post_form(
        "/invitation", {"password": "riley's password", "confirm": "riley's password"}
    )
    from webapp.services import cases

    with app.app_context():
        riley = accounts.user_by_email("riley@example.org")
        case = cases.case_for_family_member(riley)
        assert case.status.value == "referred"
        assert case.dsr_rating.value == "amber"


def test_invite_form_errors_are_specific(as_user):
    page = (
        as_user("morgan")
        .post_form(
            "/staff/invite",
            {"role": "young_person", "name": "", "email": "nope", "date_of_birth": "31/02/2010"},
        )
        .get_data(as_text=True)
    )
    assert "Enter the person&#39;s full name." in page
    assert "Enter an email address in the right format" in page
    assert "Enter the young person&#39;s date of birth, like 2009-03-27." in page
    assert "Choose the young person&#39;s rating on the register." in page
    assert 'value="31/02/2010"' in page


def test_key_worker_cannot_invite_staff_or_to_another_caseload(as_user, outbox):
    lee = as_user("lee")
    page = lee.post_form(
        "/staff/invite", {"role": "manager", "name": "X Y", "email": "xy@example.org"}
    ).get_data(as_text=True)
    assert "Choose who you are inviting." in page
    # Sam's case (1) is Kim's, not Lee's.
    page = lee.post_form(
        "/staff/invite",
        {"role": "carer", "name": "X Y", "email": "xy@example.org", "case_id": "1"},
    ).get_data(as_text=True)
    assert "Choose the young person this carer looks after." in page
    assert outbox == []


# Password reset -------------------------------------------------------------------------


def test_password_reset_flow(app, client, outbox):
    page = client.post_form("/reset-password", {"email": "sam@example.org"}).get_data(as_text=True)
    assert "If sam@example.org has an account" in page
    link = _link(outbox)
    client.get(link)
    done = client.post_form(
        "/reset-password/new",
        {"password": "a brand new password", "confirm": "a brand new password"},
    )
    assert done.status_code == 302
    with app.app_context():
        assert accounts.sign_in("sam@example.org", "a brand new password").user is not None
        assert accounts.sign_in("sam@example.org", "keyworker-demo-2026").user is None
    # The link works once.
    other = app.test_client()
    other.get(link)
    assert "already been used" in other.get("/reset-password/new").get_data(as_text=True)


def test_password_reset_never_reveals_an_account(client, outbox):
    known = client.post_form("/reset-password", {"email": "sam@example.org"})
    unknown = client.post_form("/reset-password", {"email": "nobody@example.org"})
    strip = lambda r, e: r.get_data(as_text=True).replace(e, "EMAIL")  # noqa: E731
    known_page = re.sub(r'value="[^"]+"', "", strip(known, "sam@example.org"))
    unknown_page = re.sub(r'value="[^"]+"', "", strip(unknown, "nobody@example.org"))
    known_page = re.sub(r"nonce-?[\w-]*=?\"?[\w-]*", "", known_page)
    unknown_page = re.sub(r"nonce-?[\w-]*=?\"?[\w-]*", "", unknown_page)
    assert known_page == unknown_page
    assert len(outbox) == 1


def test_passwords_are_hashed_slowly(app):
    with app.app_context():
        sam = accounts.user_by_email("sam@example.org")
        assert sam.password_hash.startswith("$argon2id$")
        assert "keyworker" not in sam.password_hash
        assert isinstance(db.session.get(User, sam.id), User)


# Passwords: at least 8 characters, not a common one, no composition rules -------------------


COMMON = "Many people use this password, so it is easy to guess."


def _choose_password(app, as_user, outbox, password: str) -> str:
    as_user("morgan").post_form(
        "/staff/invite", {"role": "key_worker", "name": "Pat Lane", "email": "pat@example.org"}
    )
    newcomer = app.test_client()
    newcomer.get(_link(outbox))
    return newcomer.post_form("/invitation", {"password": password, "confirm": password}).get_data(
        as_text=True
    )


def test_common_passwords_are_refused_kindly(app, as_user, outbox):
    for password in (
        "password123",
        "Password1",
        "iloveyou",
        "qwertyuiop",
        "  Football  ",
        "MyKeyWorker",
    ):
        page = _choose_password(app, as_user, outbox, password)
        assert COMMON in page, password
        assert "<title>Error:" in page


def test_no_composition_rules(app, as_user, outbox):
    """Lower-case words alone are fine when they are long enough and not common."""
    page = _choose_password(app, as_user, outbox, "purple train garden")
    assert COMMON not in page and "There is a problem" not in page


def test_eight_characters_are_enough_and_seven_are_not(app, as_user, outbox):
    assert "at least 8 characters" in _choose_password(app, as_user, outbox, "zq7vk2m")
    assert "There is a problem" not in _choose_password(app, as_user, outbox, "zq7vk2mx")


def test_the_shipped_list_is_big_and_offline():
    from webapp.services import passwords

    common = passwords._common()
    assert len(common) > 15000
    assert all(len(p) >= 8 for p in common)
    assert {"password", "12345678", "iloveyou", "sunshine"} <= common
    assert not passwords.is_common("keyworker-demo-2026")
