"""The job queue (RQ on Redis) for pushes and emails, with real worker processes: exactly once
per row with two workers, exponential backoff, a dead-letter list a manager can retry from,
and nothing lost when Redis is flushed. The outbox table is the source of truth.

Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL; needs a Redis server (TEST_REDIS_URL,
or redis://127.0.0.1:6379/1), skipped, saying so, without one."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, insert, select, update

from tests.conftest import VAPID_PRIVATE, VAPID_PUBLIC
from tests.servers import (
    BIN,
    REDIS_URL,
    ROOT,
    base_env,
    prepare,
    redis_or_skip,
    scratch_postgres,
    worker,
)
from tests.test_push import PushService, b64
from webapp.extensions import make_engine
from webapp.models import OutboxItem, PushSubscription, User


@contextlib.contextmanager
def _database(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        with scratch_postgres(url, "queue") as scratch:
            prepare(scratch)
            yield scratch
    else:
        url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        prepare(url)
        yield url


def _env(database_url: str, queue_name: str, **extra: str) -> dict[str, str]:
    return base_env(
        database_url,
        REDIS_URL=REDIS_URL,
        QUEUE_NAME=queue_name,
        VAPID_PRIVATE_KEY=VAPID_PRIVATE,
        VAPID_PUBLIC_KEY=VAPID_PUBLIC,
        PUSH_SERVICE_HOSTS="127.0.0.1",
        NOTIFY_RETRY_BASE_SECONDS="0.3",
        NOTIFY_RETRY_CAP_SECONDS="1",
        WORKER_SWEEP_SECONDS="0.3",
        QUEUE_REQUEUE_AFTER="3",
        **extra,
    )


# What RQ 3 logs when the records it keeps in Redis vanish under it (rq/job.py, rq/executions.py).
RQ_RECORD_GONE = ("InvalidJobOperation", "NoSuchJobError", "not found in Redis")


def _rows(database_url: str, service: PushService, count: int) -> dict:
    """`count` pushes due now, each to its own device (endpoint); the devices' keys."""
    engine = make_engine(database_url)
    keys = {}
    now = datetime.now(UTC)
    with engine.begin() as conn:
        users = conn.execute(select(User.id).order_by(User.id)).scalars().all()
        for n in range(count):
            key = ec.generate_private_key(ec.SECP256R1())
            public = key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
            auth = os.urandom(16)
            path = f"/push/device-{n}"
            sub_id = conn.execute(
                insert(PushSubscription.__table__).values(
                    user_id=users[n % len(users)], endpoint=service.origin + path,
                    p256dh=b64(public), auth=b64(auth), created_at=now,
                ).returning(PushSubscription.__table__.c.id)
            ).scalar_one()  # fmt: skip
            conn.execute(
                insert(OutboxItem.__table__).values(
                    kind="push", user_id=users[n % len(users)], subscription_id=sub_id,
                    attempts=0, next_attempt_at=now, created_at=now,
                )
            )  # fmt: skip
            keys[path] = (key, auth)
    engine.dispose()
    return keys


def _outbox(database_url: str) -> list[dict]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(OutboxItem.__table__))]
    engine.dispose()
    return rows


def _wait(predicate, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _assert_backoff(service: PushService) -> None:
    """Exponential backoff: 0.3 s before the second try of a row, 0.6 s before the third."""
    for path in service.tries:
        pairs = zip(service.paths, service.received, strict=True)
        times = [t for (p, _), (_h, _b, t) in pairs if p == path]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert gaps[0] >= 0.28 and gaps[1] >= 0.58, (path, gaps)


@pytest.fixture
def redis_client():
    client = redis_or_skip()
    yield client
    client.close()


def test_two_workers_send_each_push_once_with_backoff_and_a_redis_flush(tmp_path, redis_client):
    service = PushService(fail_first=2)  # every device's push service fails twice, then works
    name = f"mkw-q-{uuid.uuid4().hex[:8]}"
    try:
        with _database(tmp_path) as url:
            keys = _rows(url, service, 12)
            env = _env(url, name)
            workers = [worker(env, tmp_path / f"worker{n}.log") for n in (1, 2)]
            try:
                # Part way through (some first tries failed, nothing has gone through yet),
                # Redis loses everything: queued jobs and markers.
                _wait(lambda: len(service.paths) >= 6, 60, "the first tries")
                redis_client.flushdb()
                _wait(lambda: all(r["sent_at"] for r in _outbox(url)), 90, "every push to be sent")
                time.sleep(1.5)  # anything sent twice would arrive now
            finally:
                for w in workers:
                    w.stop()
            rows = _outbox(url)
            logs = "\n".join(w.output() for w in workers)
    finally:
        service.close()
        for key in redis_client.scan_iter(f"*{name}*"):
            redis_client.delete(key)
    # The only errors allowed: RQ finding its own job or execution record gone in the flush
    # (the job's work was done; the outbox row says so, and every push arrived once below).
    errors = [
        json.loads(line)["message"] for line in logs.splitlines()
        if line.startswith("{") and json.loads(line)["level"] in ("error", "critical")
    ]  # fmt: skip
    assert all(any(s in e for s in RQ_RECORD_GONE) for e in errors), errors
    # Each device: two failures and exactly one push that went through.
    assert set(service.tries) == set(keys)
    for path in keys:
        answered = [status for p, status in service.paths if p == path]
        assert answered == [500, 500, 201], (path, answered)
    assert all(r["attempts"] == 3 and r["dead_at"] is None for r in rows)
    assert all(r["claim_token"] is None for r in rows)
    _assert_backoff(service)
    # The pushes really are encrypted for each device.
    headers, body, _ = service.received[-1]
    path = service.paths[-1][0]
    key, auth = keys[path]
    plain = http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")
    assert json.loads(plain)["title"] in _app_names()  # in the person's own language
    # Both workers did some of the work.
    assert all("webapp.jobs.deliver" in w.output() for w in workers), logs[-3000:]


def _app_names() -> set[str]:
    """The app's name in each catalogue (the demo people read English, Urdu, Bengali, Arabic)."""
    from babel.support import Translations

    folder = Path(__file__).resolve().parent.parent / "translations"
    names = {
        Translations.load(str(folder), [lang.name]).gettext("My Key Worker")
        for lang in folder.iterdir()
        if lang.is_dir()
    }
    return names | {"My Key Worker"}


def test_burst_sends_what_is_due_then_failures_go_to_the_dead_letter_list(tmp_path, redis_client):
    service = PushService()
    service.status = 500  # the push service is down for good
    name = f"mkw-q-{uuid.uuid4().hex[:8]}"
    try:
        with _database(tmp_path) as url:
            _rows(url, service, 3)
            env = _env(url, name, NOTIFY_MAX_ATTEMPTS="3")
            runs = 0
            # Each burst sends what is due now and stops; a retry waits for its time.
            while not all(r["dead_at"] for r in _outbox(url)):
                runs += 1
                assert runs <= 6, "the rows never reached the dead-letter list"
                done = subprocess.run(
                    [str(BIN / "flask"), "--app", "wsgi", "worker", "--burst"],
                    cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
                )  # fmt: skip
                assert done.returncode == 0, done.stderr
            rows = _outbox(url)
            assert all(r["dead_at"] and r["attempts"] == 3 and not r["sent_at"] for r in rows)
            assert sorted(service.tries.values()) == [3, 3, 3]
            _assert_backoff(service)
            # Once the push service is back, what "Try again" does (the staff page, tested in
            # test_dead_letters.py: clear the marks, count from 0) lets the next burst send it.
            service.status = 201
            engine = make_engine(url)
            with engine.begin() as conn:
                first = min(r["id"] for r in rows)
                conn.execute(
                    update(OutboxItem.__table__).where(OutboxItem.__table__.c.id == first)
                    .values(dead_at=None, gave_up_at=None, attempts=0)
                )  # fmt: skip
            done = subprocess.run(
                [str(BIN / "flask"), "--app", "wsgi", "worker", "--burst"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            with engine.connect() as conn:
                sent = conn.execute(
                    select(func.count())
                    .select_from(OutboxItem.__table__)
                    .where(OutboxItem.__table__.c.sent_at.is_not(None))
                ).scalar()
            engine.dispose()
            assert sent == 1
    finally:
        service.close()
        for key in redis_client.scan_iter(f"*{name}*"):
            redis_client.delete(key)


def test_worker_needs_redis(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "worker", "--burst"],
        cwd=ROOT, env=base_env(url), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "REDIS_URL is not set" in done.stderr


def test_claims_are_exclusive(app):
    """Two senders claiming at once take different rows; a claimed row is not taken again
    until its lease runs out (the services, in the test database)."""
    from webapp.extensions import db
    from webapp.services import push

    with app.app_context():
        sam = db.session.scalar(select(User).where(User.email == "sam@example.org"))
        now = datetime.now(UTC)
        made = [OutboxItem(kind="email", user_id=sam.id, next_attempt_at=now) for _ in range(4)]
        db.session.add_all(made)
        db.session.commit()
        ids = [m.id for m in made]
        first_token, first = push.claim(ids, now=now, limit=3)
        second_token, second = push.claim(ids, now=now, limit=3)
        assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)
        assert push.claim(ids, now=now)[1] == []
        # The lease runs out (a worker died): another sender may take them.
        later = now + app.config["NOTIFY_LEASE"] + timedelta(seconds=1)
        assert sorted(push.claim(ids, now=later)[1]) == sorted(ids)
        # The first sender comes back: its rows are not its own any more.
        assert push.deliver(first[0], first_token, now) == "skipped"
