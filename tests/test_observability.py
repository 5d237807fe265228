"""Health checks, JSON logs with a request id and no personal data, and error reports scrubbed
before they leave."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers import ROOT, Gunicorn, Person, base_env, prepare
from webapp.observability import FILTERED, JsonFormatter, scrub


def test_healthz_says_the_process_is_up_without_a_cookie(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "ok\n"
    assert answer.mimetype == "text/plain"
    assert "Set-Cookie" not in answer.headers


def test_readyz_checks_the_database_and_migrations(app, client, monkeypatch):
    assert client.get("/readyz").get_data(as_text=True) == "ready\n"
    from webapp.services import health

    # The code moved on to a migration the database has not had.
    monkeypatch.setattr(health, "_HEAD", ["9999"])
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert "migrations are at" in answer.get_data(as_text=True)
    assert "the code needs 9999" in answer.get_data(as_text=True)


def test_readyz_says_when_redis_does_not_answer(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.get_data(as_text=True).startswith("not ready: Redis does not answer")


def test_readyz_says_when_the_database_does_not_answer(tmp_path):
    script = (
        "from webapp import create_app\n"
        "app = create_app({'DATABASE_URL': 'postgresql://nobody@127.0.0.1:1/none'})\n"
        "r = app.test_client().get('/readyz')\n"
        "print(r.status_code, r.get_data(as_text=True).strip())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=base_env(f"sqlite:///{tmp_path / 'x.sqlite3'}"), check=True,
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == (
        "503 not ready: the database does not answer (OperationalError)"
    )


def test_request_id_is_made_or_taken_from_a_trusted_proxy(app, client, monkeypatch):
    made = client.get("/healthz").headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/healthz").headers["X-Request-Id"] != made
    offered = "lb-" + uuid.uuid4().hex

    # No trusted proxy: anyone could send the header, so it is not believed.
    def answered(header: str) -> str:
        return client.get("/healthz", headers={"X-Request-Id": header}).headers["X-Request-Id"]

    assert answered(offered) != offered
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    assert answered(offered) == offered
    # Something that is not an id (spaces, braces, far too long) is replaced.
    for bad in ("abc def ghi {}", "a" * 200, "short"):
        got = answered(bad)
        assert got != bad and re.fullmatch(r"[0-9a-f]{32}", got)


def test_a_log_record_is_one_json_line_with_the_request_id(app, caplog):
    import logging

    caplog.set_level(logging.INFO)
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "abc123abc123"
        logging.getLogger("webapp.test").warning("Hello %s", "/reset-password/" + "x" * 30)
    record = caplog.records[-1]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc123abc123"
    assert line["message"] == "Hello /reset-password/[token]"
    assert line["level"] == "warning"


# ---- A whole journey against gunicorn: the log holds ids and roles, nothing personal --------


def test_the_log_of_a_whole_journey_has_no_personal_data(tmp_path):
    db = f"sqlite:///{tmp_path / 'journey.sqlite3'}"
    prepare(db)
    server = Gunicorn(base_env(db), tmp_path / "gunicorn.log", workers=1)
    words = f"My private words {uuid.uuid4().hex[:8]} about the weekend"
    try:
        sam = Person(server.origin, "sam@example.org")
        assert sam.sign_in().status_code == 302
        cookie = sam.http.cookies.get("mkw_session")
        sent = sam.form("/messages/", {"body": words})
        assert sent.status_code == 302, sent.text[:500]
        assert words in sam.get("/messages/").text  # it was really sent
        plan = sam.get("/my-plan")
        assert plan.status_code in (200, 302)
        if plan.status_code == 302:
            assert sam.get(plan.headers["Location"].removeprefix(server.origin)).status_code == 200
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', sam.get("/").text).group(1)
        assert sam.sign_out().status_code == 302
        answer = sam.get("/healthz", headers={"X-Request-Id": "from-outside-1234"})
    finally:
        server.stop()
    log = server.output()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    requests_logged = [line for line in lines if line["logger"] == "webapp.request"]
    assert len(requests_logged) >= 8, log[-2000:]
    signed_in = [line for line in requests_logged if line.get("user_id")]
    assert signed_in and all(line["role"] == "young_person" for line in signed_in)
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) for line in requests_logged)
    # The id sent back is the one in the log line for that request.
    assert answer.headers["X-Request-Id"] in {line["request_id"] for line in requests_logged}
    assert "from-outside-1234" not in log  # no trusted proxy here
    for secret in (
        "sam@example.org", "Sam Taylor", "Sam", words, "keyworker-demo-2026", cookie, csrf,
    ):  # fmt: skip
        assert secret and secret not in log, f"{secret!r} is in the log"
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", log), "an email address is in the log"


# ---- Error reports ---------------------------------------------------------------------------


def _realistic_event() -> dict:
    """What sentry-sdk's Flask integration builds for an error in a POST of a message."""
    return {
        "event_id": "f" * 32,
        "level": "error",
        "server_name": "web-1.internal",
        "message": "Could not send to alex@example.org",
        "logentry": {
            "message": "Unhandled error for %s",
            "params": ["alex@example.org"],
            "formatted": "Unhandled error for alex@example.org",
        },
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "duplicate (body)=(I feel scared about Tuesday) for sam@example.org",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "webapp/views/messages.py",
                                "function": "_send",
                                "lineno": 55,
                                "vars": {
                                    "body": "I feel scared about Tuesday",
                                    "email": "sam@example.org",
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": "https://mkw.example.nhs.uk/reset-password/abcdefghijklmnopqrstuvwxyz?email=sam@example.org",
            "method": "POST",
            "query_string": "email=sam@example.org",
            "cookies": {"mkw_session": "eyJzaWQiOiJzZWNyZXQifQ.signature"},
            "headers": {
                "Cookie": "mkw_session=eyJzaWQiOiJzZWNyZXQifQ.signature",
                "Authorization": "Bearer abc",
                "X-Csrftoken": "csrf-token-value",
                "User-Agent": "Mozilla/5.0",
                "X-Request-Id": "req-12345678",
            },
            "data": {"body": "I feel scared about Tuesday", "csrf_token": "csrf-token-value"},
            "env": {"REMOTE_ADDR": "81.2.69.160"},
        },
        "user": {
            "id": "12",
            "role": "young_person",
            "email": "sam@example.org",
            "username": "Sam Taylor",
            "ip_address": "81.2.69.160",
        },  # fmt: skip
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": "UPDATE users SET email='sam@example.org'",
                    "data": {"params": ["sam@example.org"]},
                },  # fmt: skip
            ]
        },
        "extra": {"session_id": "abc", "note": "for alex@example.org", "count": 3},
    }


def test_the_scrubber_removes_everything_personal_and_keeps_what_helps():
    event = scrub(_realistic_event())
    text = json.dumps(event)
    for secret in (
        "@example.org", "Sam Taylor", "I feel scared", "eyJzaWQ", "csrf-token-value",
        "Bearer", "81.2.69.160", "abcdefghijklmnopqrstuvwxyz", "web-1.internal",
    ):  # fmt: skip
        assert secret not in text, f"{secret!r} was kept"
    # What helps to find the bug is still there.
    assert event["exception"]["values"][0]["type"] == "IntegrityError"
    assert event["exception"]["values"][0]["value"] == FILTERED
    assert event["exception"]["values"][0]["stacktrace"]["frames"][0]["lineno"] == 55
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"] == "https://mkw.example.nhs.uk/reset-password/[token]"
    assert event["request"]["headers"] == {
        "User-Agent": "Mozilla/5.0",
        "X-Request-Id": "req-12345678",
    }
    assert event["user"] == {"id": "12", "role": "young_person"}
    assert event["extra"] == {"session_id": FILTERED, "note": "for [email]", "count": 3}


class _SentryReceiver:
    """A local Sentry: records the envelopes the SDK posts."""

    def __init__(self):
        self.bodies: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                import gzip

                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                outer.bodies.append(raw)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.dsn = f"http://publickey@127.0.0.1:{self.server.server_port}/1"


def test_an_error_reaches_sentry_scrubbed(tmp_path):
    receiver = _SentryReceiver()
    db = f"sqlite:///{tmp_path / 's.sqlite3'}"
    prepare(db, demo=False)
    script = (
        "from webapp import create_app\n"
        "from webapp import policy\n"
        f"app = create_app({{'SENTRY_DSN': {receiver.dsn!r}}})\n"
        "@app.route('/boom', methods=['POST'])\n"
        "@policy.public\n"
        "@policy.csrf_in_form\n"
        "def boom():\n"
        "    raise ValueError('the words were: I feel scared, from sam@example.org')\n"
        "c = app.test_client()\n"
        "r = c.post('/boom', data={'body': 'I feel scared'},\n"
        "           headers={'Cookie': 'mkw_session=zzz'})\n"
        "import sentry_sdk; sentry_sdk.flush(5)\n"
        "print(r.status_code)\n"
    )
    env = base_env(db)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    receiver.server.shutdown()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "500"
    sent = b"".join(receiver.bodies).decode(errors="replace")
    assert "ValueError" in sent, "no error report arrived"
    for secret in ("I feel scared", "sam@example.org", "zzz"):
        assert secret not in sent
