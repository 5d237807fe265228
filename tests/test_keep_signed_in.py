"""Keep me signed in on this phone: families only, 90 days from last use, a PIN after 15
minutes idle, five wrong PINs end the session; staff never get it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD
from webapp.extensions import db
from webapp.models import SignInSession, utcnow
from webapp.services import accounts, sessions

PIN = "4826"


def _sign_in(client, email: str, keep: bool = True, next_url: str = ""):
    token = client.csrf_token("/sign-in")
    data = {"csrf_token": token, "email": email, "password": PASSWORD}
    if keep:
        data["keep"] = "y"
    return client.post("/sign-in" + (f"?next={next_url}" if next_url else ""), data=data)


def _choose_pin(client, pin: str = PIN, confirm: str | None = None, page: str | None = None):
    return client.post_form(
        "/sign-in/pin/new", {"pin": pin, "confirm": pin if confirm is None else confirm}, page
    )


def _row(app, email: str) -> SignInSession | None:
    with app.app_context():
        user = accounts.user_by_email(email)
        return db.session.scalar(select(SignInSession).where(SignInSession.user_id == user.id))


def _idle(app, email: str, minutes: float) -> None:
    """As if the phone had not been used for this long."""
    with app.app_context():
        user = accounts.user_by_email(email)
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.user_id == user.id)
            .values(last_used_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def _kept(client, app, email: str = "sam@example.org"):
    response = _sign_in(client, email)
    assert response.headers["Location"] == "/sign-in/pin/new"
    assert _choose_pin(client).status_code == 302
    return _row(app, email)


def test_off_by_default_and_explained_on_the_sign_in_page(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Keep me signed in on this phone" in page
    assert 'name="keep"' in page and "checked" not in page.split('name="keep"')[1].split(">")[0]
    assert "Do not tick it on a phone or computer other people use." in page


def test_without_it_an_ordinary_session_never_asks_for_a_pin(app, client):
    response = _sign_in(client, "sam@example.org", keep=False)
    assert response.headers["Location"] == "/"
    row = _row(app, "sam@example.org")
    assert not row.keep_signed_in and row.expires_at - row.created_at == timedelta(hours=8)
    _idle(app, "sam@example.org", 60)
    assert client.get("/messages/").status_code == 200


def test_choosing_it_sets_a_hashed_pin_and_90_days(app, client):
    row = _kept(client, app)
    assert row.keep_signed_in and not row.locked
    assert row.pin_hash.startswith("$argon2id$") and PIN not in row.pin_hash
    assert row.expires_at - utcnow() > timedelta(days=89, hours=23)
    # The browser keeps the cookie for 90 days too (not only until it is closed).
    cookie = client.get_cookie("mkw_session")
    assert cookie.expires is not None and cookie.expires - utcnow() > timedelta(days=89)
    assert client.get("/messages/").status_code == 200


def test_the_page_asked_for_comes_after_the_pin(client):
    response = _sign_in(client, "sam@example.org", next_url="/journal/")
    assert response.headers["Location"] == "/sign-in/pin/new"
    assert _choose_pin(client).headers["Location"] == "/journal/"


@pytest.mark.parametrize(
    ("pin", "confirm", "message"),
    [
        ("1234", "1234", "This PIN is easy to guess."),
        ("7777", "7777", "This PIN is easy to guess."),
        ("9876", "9876", "This PIN is easy to guess."),
        ("12a4", "12a4", "Your PIN is 4 numbers"),
        ("48261", "48261", "Your PIN is 4 numbers"),
        ("4826", "4827", "The 2 PINs are not the same."),
        ("", "", "Choose a PIN of 4 numbers."),
    ],
)
def test_a_pin_that_will_not_do_is_refused_kindly(app, client, pin, confirm, message):
    _sign_in(client, "sam@example.org")
    page = _choose_pin(client, pin, confirm).get_data(as_text=True)
    assert "<title>Error: Choose a PIN for this phone" in page
    assert message in page
    assert not _row(app, "sam@example.org").keep_signed_in


def test_spaces_between_the_digits_are_fine(app, client):
    _sign_in(client, "sam@example.org")
    assert _choose_pin(client, "48 26").status_code == 302
    assert _row(app, "sam@example.org").keep_signed_in


def test_carers_can_keep_signed_in_too(app, client):
    assert _kept(client, app, "alex@example.org").keep_signed_in


@pytest.mark.parametrize("email", ["kim@example.org", "morgan@example.org", "robin@example.org"])
def test_staff_and_reviewers_are_never_offered_it(app, client, email):
    response = _sign_in(client, email)  # even with the box ticked
    assert response.headers["Location"] in {"/", "/sign-in/code"}
    client.pass_second_factor(email)
    row = _row(app, email)
    assert not row.keep_signed_in and row.expires_at - row.created_at == timedelta(hours=8)
    assert client.get("/sign-in/pin/new").status_code == 404
    assert _choose_pin(client, page="/settings/").status_code == 404
    assert client.get("/sign-in/pin").status_code == 404
    assert "Keep me signed in" not in client.get("/settings/devices").get_data(as_text=True)
    with app.app_context():
        user = accounts.user_by_email(email)
        record = db.session.get(SignInSession, row.id)
        with pytest.raises(PermissionError):
            sessions.keep_signed_in(record, user, PIN)


def test_staff_idle_timeout_stays_30_minutes(app, client):
    _sign_in(client, "kim@example.org")
    client.pass_second_factor("kim@example.org")
    _idle(app, "kim@example.org", 31)
    response = client.get("/staff/inbox")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert _row(app, "kim@example.org") is None


def test_idle_for_15_minutes_asks_for_the_pin_then_opens(app, client):
    _kept(client, app)
    _idle(app, "sam@example.org", 14)
    assert client.get("/messages/").status_code == 200
    _idle(app, "sam@example.org", 16)
    response = client.get("/messages/")
    assert response.headers["Location"] == "/sign-in/pin"
    assert _row(app, "sam@example.org").locked
    # Locked means locked: every page with personal data, and choosing a new PIN.
    for path in ("/", "/cases/1/plan/", "/journal/", "/settings/", "/settings/devices"):
        assert client.get(path).headers["Location"] == "/sign-in/pin", path
    assert client.get("/sign-in/pin/new").headers["Location"] == "/sign-in/pin"
    assert _choose_pin(client, "5937", page="/sign-in/pin").headers["Location"] == "/sign-in/pin"
    client.get("/messages/")  # the page last asked for opens after the PIN
    page = client.get("/sign-in/pin").get_data(as_text=True)
    assert "Sam" not in page  # the page shows nothing of the person's
    assert 'inputmode="numeric"' in page and 'type="password"' in page
    assert 'aria-pressed="false"' in page and "Show PIN" in page
    response = client.post_form("/sign-in/pin", {"pin": PIN})
    assert response.headers["Location"] == "/messages/"
    assert not _row(app, "sam@example.org").locked
    assert client.get("/messages/").status_code == 200


def test_five_wrong_pins_end_the_session(app, client):
    _kept(client, app)
    copy = client.get_cookie("mkw_session").value
    _idle(app, "sam@example.org", 20)
    client.get("/")
    for left in (4, 3, 2, 1):
        page = client.post_form("/sign-in/pin", {"pin": "0000"}).get_data(as_text=True)
        assert "<title>Error: Type your PIN" in page
        expected = "1 more time." if left == 1 else f"{left} more times."
        assert f"That PIN is not right. You can try {expected}" in page
    response = client.post_form("/sign-in/pin", {"pin": "0000"})
    assert response.headers["Location"] == "/sign-in"
    assert _row(app, "sam@example.org") is None
    page = client.get("/sign-in").get_data(as_text=True)
    assert "You typed a wrong PIN 5 times, so we signed you out" in page
    assert client.get("/messages/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("mkw_session", copy)
    assert thief.get("/messages/").status_code == 302


def test_the_right_pin_starts_the_count_again(app, client):
    _kept(client, app)
    _idle(app, "sam@example.org", 20)
    client.get("/")
    for _ in range(4):
        client.post_form("/sign-in/pin", {"pin": "0000"})
    assert client.post_form("/sign-in/pin", {"pin": PIN}).status_code == 302
    assert _row(app, "sam@example.org").pin_failures == 0


def test_a_malformed_pin_is_refused_kindly(app, client):
    _kept(client, app)
    _idle(app, "sam@example.org", 20)
    for bad in ("", "12", "abcd", "9" * 40):
        page = client.post_form("/sign-in/pin", {"pin": bad}).get_data(as_text=True)
        assert "<title>Error: Type your PIN" in page


def test_forgot_my_pin_ends_this_session(app, client):
    _kept(client, app)
    _idle(app, "sam@example.org", 20)
    response = client.post_form("/sign-in/pin/forgot", {}, "/sign-in/pin")
    assert response.headers["Location"] == "/sign-in"
    assert _row(app, "sam@example.org") is None


def test_90_days_from_last_use(app, client):
    _kept(client, app)
    with app.app_context():
        user = accounts.user_by_email("sam@example.org")
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.user_id == user.id)
            .values(
                created_at=utcnow() - timedelta(days=200),
                last_used_at=utcnow() - timedelta(days=89),
                expires_at=utcnow() + timedelta(days=1),
            )
        )
        db.session.commit()
    # Still signed in after 89 days away (behind the PIN), and the 90 days start again.
    assert client.get("/").headers["Location"] == "/sign-in/pin"
    row = _row(app, "sam@example.org")
    assert row.expires_at - utcnow() > timedelta(days=89)
    assert client.post_form("/sign-in/pin", {"pin": PIN}).status_code == 302
    # After 90 days with no use it is gone.
    with app.app_context():
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.id == row.id)
            .values(
                last_used_at=utcnow() - timedelta(days=90, minutes=1),
                expires_at=utcnow() - timedelta(minutes=1),
            )
        )
        db.session.commit()
    assert client.get("/").headers["Location"].startswith("/sign-in")
    assert _row(app, "sam@example.org") is None


def test_turned_on_later_from_where_you_are_signed_in(app, client):
    client.sign_in("alex@example.org")
    page = client.get("/settings/devices").get_data(as_text=True)
    assert 'href="/sign-in/pin/new"' in page
    assert _choose_pin(client).status_code == 302
    page = client.get("/settings/devices").get_data(as_text=True)
    assert "Stays signed in. Asks for the PIN after 15 minutes." in page
