"""Web push for real: a push service on 127.0.0.1 receives the push, decrypts it with the
subscription's keys (aes128gcm, RFC 8291) and checks the VAPID signature (RFC 8292)."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from webapp.extensions import db
from webapp.models import OutboxItem, PushSubscription, utcnow


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A tiny push service: records what arrives, answers with `status` after `delay`."""

    def __init__(self, fail_first: int = 0):
        self.received: list[tuple] = []
        self.status, self.delay = 201, 0.0
        # Each endpoint (path) answers 500 to its first `fail_first` pushes, then `status`.
        self.fail_first, self.tries = fail_first, {}
        self.paths: list[tuple[str, int]] = []  # (path, status answered), in order
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(outer.delay)
                with outer.lock:
                    outer.tries[self.path] = tries = outer.tries.get(self.path, 0) + 1
                    status = 500 if tries <= outer.fail_first else outer.status
                    outer.paths.append((self.path, status))
                    outer.received.append((self.headers, body, time.perf_counter()))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()


@pytest.fixture(autouse=True)
def local_push_service_allowed(app):
    """The push service these tests run listens on 127.0.0.1: allow it, for these tests only."""
    hosts = app.config["PUSH_SERVICE_HOSTS"]
    app.config["PUSH_SERVICE_HOSTS"] = (*hosts, "127.0.0.1")
    yield
    app.config["PUSH_SERVICE_HOSTS"] = hosts


@pytest.fixture
def service():
    running = PushService()
    yield running
    running.close()


@pytest.fixture
def phone():
    """A browser's subscription keys: an ECDH P-256 key pair and a 16-byte auth secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "key": key,
        "p256dh": b64(public),
        "auth_bytes": (auth := os.urandom(16)),
        "auth": b64(auth),
    }


def _subscribe(client, service, phone, name="sam"):
    token = client.csrf_token("/settings/")
    response = client.post(
        "/push/subscriptions",
        json={"endpoint": f"{service.origin}/push/{name}",
              "keys": {"p256dh": phone["p256dh"], "auth": phone["auth"]}},
        headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert response.status_code == 201, response.get_data(as_text=True)


def _reply_to_sam(app, as_user, text="Your appointment is moved to 3pm."):
    with app.app_context():
        from webapp.services import accounts, cases, messages

        sam = accounts.user_by_email("sam@example.org")
        case = cases.case_for_family_member(sam)
        conversation = messages.conversation_for(case, sam)
    kim = as_user("kim")
    path = f"/staff/conversations/{conversation.id}"
    started = time.perf_counter()
    kim.post_form(path, {"body": text, "client_key": f"reply-{time.time()}"})
    return started


def _send_pending(app):
    with app.app_context():
        from webapp.services import push

        return push.send_pending()


def _verify_vapid(headers: dict, origin: str, app) -> None:
    scheme, _, params = headers["Authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    token, public = fields["t"], unb64(fields["k"])
    assert fields["k"] == app.config["VAPID_PUBLIC_KEY"]
    head, claims, signature = token.split(".")
    raw = unb64(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    claims = json.loads(unb64(claims))
    assert json.loads(unb64(head))["alg"] == "ES256"
    assert claims["aud"] == origin and claims["sub"] == app.config["VAPID_SUBJECT"]
    assert claims["exp"] > time.time()


def test_a_reply_reaches_the_phone_encrypted_signed_and_without_the_message(
    app, as_user, service, phone
):
    _subscribe(as_user("sam"), service, phone)
    started = _reply_to_sam(app, as_user)
    _send_pending(app)  # the request already tried after responding; this sends anything left
    assert len(service.received) == 1
    headers, body, arrived = service.received[0]
    print(f"reply to push received: {1000 * (arrived - started):.0f} ms")
    assert headers["Content-Encoding"] == "aes128gcm"
    assert int(headers["TTL"]) >= 86400 and headers["Urgency"] == "high"
    _verify_vapid(headers, service.origin, app)
    plain = http_ece.decrypt(body, private_key=phone["key"], auth_secret=phone["auth_bytes"],
                             version="aes128gcm")  # fmt: skip
    data = json.loads(plain)
    assert data["body"] == "You have a new message from your key worker"
    assert "3pm" not in plain.decode() and "appointment" not in plain.decode()
    with app.app_context():
        item = db.session.query(OutboxItem).one()
        assert item.sent_at is not None and item.attempts == 1


def test_the_push_is_in_the_persons_language(app, as_user, service, phone):
    nadia = as_user("nadia")  # Urdu
    _subscribe(nadia, service, phone, "nadia")
    with app.app_context():
        from webapp.services import accounts, cases, messages

        user = accounts.user_by_email("nadia@example.org")
        conversation = messages.conversation_for(cases.case_for_family_member(user), user)
    as_user("lee").post_form(f"/staff/conversations/{conversation.id}",
                             {"body": "Hello", "client_key": "u1"})  # fmt: skip
    _send_pending(app)
    headers, body, _ = service.received[-1]
    plain = http_ece.decrypt(body, private_key=phone["key"], auth_secret=phone["auth_bytes"],
                             version="aes128gcm").decode()  # fmt: skip
    assert "کی ورکر" in json.loads(plain)["body"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_browser_dropped_is_deleted(app, as_user, service, phone, status):
    service.status = status
    _subscribe(as_user("sam"), service, phone)
    _reply_to_sam(app, as_user)
    _send_pending(app)
    with app.app_context():
        assert db.session.query(PushSubscription).count() == 0
        item = db.session.query(OutboxItem).one()
        assert item.gave_up_at is not None and "gone" in item.last_error


def test_a_timeout_stays_in_the_outbox_and_is_retried(app, as_user, service, phone):
    service.delay = 2.0  # longer than PUSH_TIMEOUT in the tests (1 s)
    _subscribe(as_user("sam"), service, phone)
    _reply_to_sam(app, as_user)
    _send_pending(app)
    with app.app_context():
        item = db.session.query(OutboxItem).one()
        assert item.sent_at is None and item.gave_up_at is None and item.attempts >= 1
        assert item.last_error
        item.next_attempt_at = utcnow() - timedelta(seconds=1)  # its retry time has come
        db.session.commit()
    service.delay = 0.0
    _send_pending(app)
    with app.app_context():
        item = db.session.query(OutboxItem).one()
        assert item.sent_at is not None


def test_email_when_a_message_waits_unread_and_push_does_not_work(app, as_user, outbox):
    _reply_to_sam(app, as_user, "See you Tuesday.")
    with app.app_context():
        from webapp.services import push

        assert push.queue_unread_emails(timedelta(hours=3)) == 0  # not waited long enough
        assert push.queue_unread_emails(timedelta(0)) == 1
        assert push.queue_unread_emails(timedelta(0)) == 0  # one email per unread message
        push.send_pending()
    mail = outbox[-1]
    assert mail["To"] == "sam@example.org"
    assert "See you Tuesday" not in mail.get_content() and "/messages/" in mail.get_content()


def test_no_email_when_the_person_said_no_or_has_read_it(app, as_user, outbox):
    sam = as_user("sam")
    saved = sam.post_form("/settings/", {
        "layout": "easy_read", "text_size": "standard", "pictures": "yes", "read_aloud": "yes",
        "colours": "calm", "dyslexia_font": "no", "reduce_motion": "yes", "language": "browser",
        "email_when_unread": "no", "keep_on_phone": "no"})  # fmt: skip
    assert saved.status_code == 302
    _reply_to_sam(app, as_user)
    with app.app_context():
        from webapp.services import push

        assert push.queue_unread_emails(timedelta(0)) == 0


def test_only_https_push_services_are_accepted(as_user):
    sam = as_user("sam")
    token = sam.csrf_token("/settings/")
    bad = {"endpoint": "http://evil.example/x", "keys": {"p256dh": "a", "auth": "b"}}
    response = sam.post("/push/subscriptions", headers={"X-CSRFToken": token}, json=bad)
    assert response.status_code == 400
    response = sam.post("/push/subscriptions", json={"endpoint": "https://push.example/x"})
    assert response.status_code == 400  # no CSRF token


def _post_subscription(client, endpoint, phone):
    token = client.csrf_token("/settings/")
    return client.post(
        "/push/subscriptions",
        json={"endpoint": endpoint, "keys": {"p256dh": phone["p256dh"], "auth": phone["auth"]}},
        headers={"X-CSRFToken": token},
    )


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://10.0.0.1/push",
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/push",
        "https://fcm.googleapis.com.evil.example/fcm/send/x",
        "https://evil.example/fcm.googleapis.com/",
        "https://user@fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com:8443/fcm/send/x",
        "http://fcm.googleapis.com/fcm/send/x",
        "https://notify.windows.com.evil.example/w/",
        "https://[::1]/push",
        "https://fcm.googleapis.com:99999/x",
        "ftp://fcm.googleapis.com/x",
    ],
)
def test_only_known_push_services_are_accepted(app, as_user, phone, endpoint):
    response = _post_subscription(as_user("sam"), endpoint, phone)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(PushSubscription).count() == 0


def test_the_known_push_services_are_accepted(app, as_user, phone):
    sam = as_user("sam")
    for endpoint in [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGabc",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ]:
        assert _post_subscription(sam, endpoint, phone).status_code == 201, endpoint


def test_the_local_push_service_is_refused_outside_these_tests(app, as_user, phone, service):
    app.config["PUSH_SERVICE_HOSTS"] = tuple(
        h for h in app.config["PUSH_SERVICE_HOSTS"] if h != "127.0.0.1"
    )
    assert _post_subscription(as_user("sam"), f"{service.origin}/push/x", phone).status_code == 400


def test_a_few_devices_per_person_and_a_new_one_replaces_the_oldest(app, as_user, phone):
    sam = as_user("sam")
    limit = app.config["PUSH_SUBSCRIPTIONS_PER_PERSON"]
    for n in range(limit + 2):
        endpoint = f"https://fcm.googleapis.com/fcm/send/device-{n}"
        assert _post_subscription(sam, endpoint, phone).status_code == 201
    with app.app_context():
        kept = sorted(e for (e,) in db.session.query(PushSubscription.endpoint))
    assert kept == sorted(
        f"https://fcm.googleapis.com/fcm/send/device-{n}" for n in range(2, limit + 2)
    )


def test_nobody_else_can_take_over_or_remove_a_subscription(app, as_user, phone):
    endpoint = "https://fcm.googleapis.com/fcm/send/sams-phone"
    assert _post_subscription(as_user("sam"), endpoint, phone).status_code == 201
    alex = as_user("alex")
    assert _post_subscription(alex, endpoint, phone).status_code == 409
    token = alex.csrf_token("/settings/")
    alex.post(
        "/push/subscriptions/remove", json={"endpoint": endpoint}, headers={"X-CSRFToken": token}
    )
    with app.app_context():
        from webapp.services import accounts

        found = db.session.query(PushSubscription).filter_by(endpoint=endpoint).one()
        assert found.user_id == accounts.user_by_email("sam@example.org").id
        assert found.auth == phone["auth"]


def test_slow_push_services_cannot_hold_a_web_worker(app, as_user, phone, service):
    """Five slow devices: the worker gives up after its budget and leaves the rest waiting."""
    service.delay = 2.0  # longer than PUSH_TIMEOUT in the tests (1 s)
    sam = as_user("sam")
    for n in range(5):
        assert _post_subscription(sam, f"{service.origin}/push/{n}", phone).status_code == 201
    _reply_to_sam(app, as_user)
    with app.app_context():
        from webapp.services import push

        # The reply's own after-response send may have tried them already: start again.
        for item in db.session.query(OutboxItem):
            item.attempts, item.next_attempt_at, item.sent_at = 0, utcnow(), None
        db.session.commit()
        started = time.perf_counter()
        push.send_pending(limit=10, budget=0.5)
        took = time.perf_counter() - started
        attempts = sorted(i.attempts for i in db.session.query(OutboxItem))
    assert took < 2.5
    assert attempts == [0, 0, 0, 0, 1] or attempts == [0, 0, 0, 0, 0]
