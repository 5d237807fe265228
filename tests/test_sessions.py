"""Server-side sessions: a copied cookie is dead after sign-out, a password change or
"sign out everywhere else"; a new network address never signs anyone out."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import Role, SignInSession, User
from webapp.services import accounts, sessions, tokens
from webapp.services.devices import device_name

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{v}.0.0.0 Mobile Safari/537.36"
)


def _cookie(client) -> str:
    return client.get_cookie("mkw_session").value


def _replay(app, cookie: str, path: str = "/messages/", **kwargs):
    """A different browser that holds a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("mkw_session", cookie)
    return thief.get(path, **kwargs)


def _sign_out(client) -> None:
    token = client.csrf_token("/")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302


def _rows(app, email: str) -> list[SignInSession]:
    with app.app_context():
        user = accounts.user_by_email(email)
        return list(
            db.session.scalars(select(SignInSession).where(SignInSession.user_id == user.id))
        )


def test_sign_in_stores_only_a_hash_of_the_random_id(app, client):
    client.sign_in("sam@example.org", headers={"User-Agent": ANDROID_CHROME.format(v=120)})
    with client.session_transaction() as s:
        sid = s["sid"]
        assert "_id" not in s  # no hash of the address in the cookie
    assert len(sid) >= 40
    [row] = _rows(app, "sam@example.org")
    assert row.token_hash == tokens.digest(sid)
    assert sid not in (row.token_hash, row.device_name)
    assert row.device_name == "Chrome on Android"
    assert row.expires_at > row.created_at


def test_a_copied_cookie_is_dead_after_sign_out(app, client):
    client.sign_in("sam@example.org")
    copy = _cookie(client)
    assert _replay(app, copy).status_code == 200  # the copy works while signed in
    _sign_out(client)
    assert _rows(app, "sam@example.org") == []
    response = _replay(app, copy)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_copied_cookie_is_dead_after_a_password_reset(app, client, outbox):
    client.sign_in("sam@example.org")
    copy = _cookie(client)
    other = app.test_client()
    other.post_form("/reset-password", {"email": "sam@example.org"})
    link = re.search(r"http://localhost(/\S+)", outbox[-1].get_content()).group(1)
    other.get(link)
    other.post_form(
        "/reset-password/new",
        {"password": "a brand new password", "confirm": "a brand new password"},
    )
    assert other.get("/").status_code == 200  # the browser that reset it is signed in
    assert _replay(app, copy).status_code == 302
    assert client.get("/").status_code == 302
    assert len(_rows(app, "sam@example.org")) == 1


def test_password_role_and_switching_off_end_every_session(app):
    for change in ("password", "role", "active"):
        a, b = app.test_client(), app.test_client()
        a.sign_in("lee@example.org")
        b.sign_in("lee@example.org")
        assert a.get("/").status_code == b.get("/").status_code == 200
        with app.app_context():
            lee = accounts.user_by_email("lee@example.org")
            if change == "password":
                accounts.set_password(lee, "another long password")
            elif change == "role":
                lee.role = Role.MANAGER
            else:
                lee.active = False
            db.session.commit()
        assert a.get("/").status_code == 302, change
        assert b.get("/").status_code == 302, change
        assert _rows(app, "lee@example.org") == []
        with app.app_context():  # put Lee back as he was for the next round
            db.session.execute(
                update(User)
                .where(User.email == "lee@example.org")
                .values(role=Role.KEY_WORKER, active=True)
            )
            accounts.set_password(accounts.user_by_email("lee@example.org"), "keyworker-demo-2026")
            db.session.commit()


def test_other_changes_to_the_person_keep_their_sessions(app, client):
    client.sign_in("sam@example.org")
    with app.app_context():
        sam = accounts.user_by_email("sam@example.org")
        sam.name = "Sam Jones"
        accounts.update_preferences(sam, pictures=False)
    assert client.get("/").status_code == 200


def test_a_new_network_address_keeps_the_session(app, client):
    client.sign_in("sam@example.org", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    for address in ("198.51.100.7", "2001:db8::1", "2001:db8::abcd:1"):
        response = client.get("/messages/", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200, address


def test_a_browser_update_keeps_the_session(app, client):
    client.sign_in("sam@example.org", headers={"User-Agent": ANDROID_CHROME.format(v=120)})
    response = client.get("/messages/", headers={"User-Agent": ANDROID_CHROME.format(v=121)})
    assert response.status_code == 200


def test_expired_sessions_are_refused_and_removed(app, client):
    from datetime import timedelta

    from webapp.models import utcnow

    client.sign_in("sam@example.org")
    with app.app_context():
        db.session.execute(update(SignInSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/").status_code == 302
    assert _rows(app, "sam@example.org") == []


def test_a_cookie_with_someone_elses_user_id_is_refused(app, client):
    """The id in the cookie must belong to the person the cookie names."""
    client.sign_in("sam@example.org")
    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
    with client.session_transaction() as s:
        s["_user_id"] = str(kim.id)
    assert client.get("/").status_code == 302


def test_session_ids_never_reach_logs_or_addresses(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.sign_in("sam@example.org")
    with client.session_transaction() as s:
        sid = s["sid"]
    pages = [response]
    for path in ("/", "/messages/", "/settings/", "/plan/"):
        pages.append(client.get(path, follow_redirects=True))
    _sign_out(client)
    for record in caplog.records:
        assert sid not in record.getMessage()
    for page in pages:
        assert sid not in page.headers.get("Location", "")
        assert sid not in page.get_data(as_text=True)


def test_signing_out_one_device_leaves_the_others(app):
    phone, laptop = app.test_client(), app.test_client()
    phone.sign_in("sam@example.org")
    laptop.sign_in("sam@example.org")
    _sign_out(phone)
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_end_all_can_keep_the_current_browser(app):
    with app.app_context():
        sam = accounts.user_by_email("sam@example.org")
        keep = sessions.start(sam, None)
        sessions.start(sam, None)
        assert sessions.end_all(sam.id, keep_sid=keep) == 1
        assert [r.token_hash for r in sessions.for_user(sam)] == [tokens.digest(keep)]


def test_device_names_in_plain_words():
    assert device_name(ANDROID_CHROME.format(v=120)) == "Chrome on Android"
    assert (
        device_name(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
        )
        == "Safari on iPhone"
    )
    assert (
        device_name(
            "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"
        )
        == "Samsung Internet on Android"
    )
    assert (
        device_name(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"
        )
        == "Edge on Windows"
    )
    assert (
        device_name("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
        == "Firefox on Linux"
    )
    assert device_name("") == "Web browser"
    assert device_name(None) == "Web browser"


# Where you are signed in ---------------------------------------------------------------------


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def _device_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"/settings/devices/(\d+)/sign-out", page)]


def test_where_you_are_signed_in_lists_each_device(app):
    phone, laptop = app.test_client(), app.test_client()
    phone.sign_in("sam@example.org", headers={"User-Agent": ANDROID_CHROME.format(v=120)})
    laptop.sign_in("sam@example.org", headers={"User-Agent": IPHONE})
    page = phone.get("/settings/devices").get_data(as_text=True)
    assert "Chrome on Android" in page and "Safari on iPhone" in page
    assert "This is the phone or computer you are using now." in page
    assert page.count("Sign out on this device") == 2
    assert "Last used: Today at" in page
    assert "Sign out everywhere else" in page
    assert 'src="/static/dist/pictures/' in page  # Sam reads in easy read, with pictures
    standard = phone.get("/settings/devices?view=standard").get_data(as_text=True)
    assert "Signed in: Today at" in standard
    # Kim sees only Kim's own.
    kim = app.test_client()
    kim.sign_in("kim@example.org")
    assert "Safari on iPhone" not in kim.get("/settings/devices").get_data(as_text=True)


def test_sign_out_on_another_device(app):
    phone, laptop = app.test_client(), app.test_client()
    phone.sign_in("sam@example.org", headers={"User-Agent": ANDROID_CHROME.format(v=120)})
    laptop.sign_in("sam@example.org", headers={"User-Agent": IPHONE})
    copy = _cookie(laptop)
    page = phone.get("/settings/devices").get_data(as_text=True)
    other = _device_ids(page)[1]  # the current one is listed first
    response = phone.post_form(f"/settings/devices/{other}/sign-out", {}, page="/settings/devices")
    assert response.status_code == 302
    assert "That phone or computer is signed out." in phone.get("/settings/devices").get_data(
        as_text=True
    )
    assert laptop.get("/").status_code == 302
    assert _replay(app, copy).status_code == 302
    assert phone.get("/").status_code == 200


def test_sign_out_on_this_device_from_the_list(app, client):
    client.sign_in("sam@example.org")
    [mine] = _device_ids(client.get("/settings/devices").get_data(as_text=True))
    response = client.post_form(f"/settings/devices/{mine}/sign-out", {}, page="/settings/devices")
    assert response.headers["Location"] == "/signed-out"
    assert client.get("/").status_code == 302
    assert _rows(app, "sam@example.org") == []


def test_nobody_can_sign_out_someone_elses_device(app):
    sam, kim = app.test_client(), app.test_client()
    sam.sign_in("sam@example.org")
    kim.sign_in("kim@example.org")
    [sams] = _device_ids(sam.get("/settings/devices").get_data(as_text=True))
    response = kim.post_form(f"/settings/devices/{sams}/sign-out", {}, page="/settings/devices")
    assert response.status_code == 404
    assert sam.get("/").status_code == 200


def test_sign_out_everywhere_else_kills_copied_cookies(app):
    here, there, elsewhere = app.test_client(), app.test_client(), app.test_client()
    for c in (here, there, elsewhere):
        c.sign_in("alex@example.org")
    copies = [_cookie(there), _cookie(elsewhere)]
    response = here.post_form("/settings/devices/sign-out-others", {}, page="/settings/devices")
    assert response.status_code == 302
    page = here.get("/settings/devices").get_data(as_text=True)
    assert "You are signed out everywhere else." in page
    assert len(_device_ids(page)) == 1
    assert here.get("/messages/").status_code == 200
    for copy in copies:
        assert _replay(app, copy).status_code == 302


def test_device_sign_out_needs_a_csrf_token(app, client):
    client.sign_in("sam@example.org")
    assert client.post("/settings/devices/sign-out-others", data={}).status_code == 400
