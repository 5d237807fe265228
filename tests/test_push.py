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

    def __init__(self):
        self.received: list[tuple] = []
        self.status, self.delay = 201, 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(outer.delay)
                outer.received.append((self.headers, body, time.perf_counter()))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()


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
    sam.post_form("/settings/", {"layout": "easy_read", "text_size": "standard", "pictures": "yes",
                                 "read_aloud": "yes", "colours": "calm", "dyslexia_font": "no",
                                 "reduce_motion": "yes", "language": "browser",
                                 "email_when_unread": "no"})  # fmt: skip
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
