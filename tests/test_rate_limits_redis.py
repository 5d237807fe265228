"""Sign-in rate limits counted in Redis: shared by every worker and kept over a restart.

Runs against a real Redis server: TEST_REDIS_URL, or redis://127.0.0.1:6379/1 when it is not
set. Skipped, saying so, when no Redis server answers there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/1"


@pytest.fixture(scope="module")
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(
            f"No Redis server answers at {REDIS_URL}: the shared rate limits were not tested."
        )
    yield client
    client.close()


WORKER = """
import json, sys
from webapp import create_app
from webapp.extensions import db
from webapp.models import Base
app = create_app({"SECRET_KEY": "w" * 40, "SIGN_IN_RATE_LIMIT": "5 per 5 minutes"})
assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
Base.metadata.create_all(db.engine)  # a scratch database of its own: limits count in Redis
client = app.test_client()
codes = [
    client.post("/sign-in", data={"email": "someone@example.org", "password": "x"}).status_code
    for _ in range(int(sys.argv[1]))
]
print(json.dumps(codes))
"""


def _worker(database_url: str, prefix: str, tries: int) -> list[int]:
    """One worker process (a gunicorn worker, or the app after a restart)."""
    env = {
        **os.environ,
        "MKW_ENV": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    env.pop("RATELIMIT_STORAGE_URI", None)
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(tries)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_redis_url_turns_on_shared_counting(monkeypatch):
    from webapp.config import Settings

    monkeypatch.setenv("MKW_ENV", "test")
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert Settings.from_env().RATELIMIT_STORAGE_URI == REDIS_URL
    monkeypatch.delenv("REDIS_URL")
    assert Settings.from_env().RATELIMIT_STORAGE_URI == "memory://"


def test_sign_in_limits_are_shared_by_workers_and_survive_a_restart(redis_client, tmp_path):
    # Not the suite's database: a write the test transaction holds there made each worker
    # wait for SQLite's lock (once past the 120 s timeout in CI).
    database_url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    prefix = f"mkw-test-{uuid.uuid4().hex[:8]}"
    try:
        first = _worker(database_url, prefix, 3)
        second = _worker(database_url, prefix, 3)  # another worker: counts on from 3
        assert first == [200, 200, 200]
        assert second == [200, 200, 429]
        assert redis_client.keys(f"*{prefix}*"), "nothing was counted in Redis"
        after_restart = _worker(database_url, prefix, 1)
        assert after_restart == [429]
    finally:
        for key in redis_client.scan_iter(f"*{prefix}*"):
            redis_client.delete(key)
