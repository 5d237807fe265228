"""Several servers behind a load balancer: the proxy's headers, and two gunicorn processes on
two ports sharing one PostgreSQL database and one Redis server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid

from tests.servers import (
    REDIS_URL,
    ROOT,
    Gunicorn,
    Person,
    base_env,
    postgres_or_skip,
    prepare,
    redis_or_skip,
    scratch_postgres,
)

PROXY_SCRIPT = """
import json, sys
from webapp import create_app
app = create_app({"TRUSTED_PROXIES": int(sys.argv[1]), "SIGN_IN_RATE_LIMIT": "2 per minute"})
client = app.test_client()
codes = []
for n in range(4):
    headers = {"X-Forwarded-For": f"203.0.113.{n}", "X-Forwarded-Proto": "https"}
    r = client.post("/sign-in", data={"email": "someone@example.org", "password": "x"},
                    headers=headers)
    codes.append(r.status_code)
print(json.dumps(codes))
"""


def _proxy_run(tmp_path, hops: int) -> list[int]:
    db = f"sqlite:///{tmp_path / f'proxy{hops}.sqlite3'}"
    prepare(db, demo=False)
    env = base_env(db)
    done = subprocess.run(
        [sys.executable, "-c", PROXY_SCRIPT, str(hops)], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_x_forwarded_for_is_ignored_without_trusted_proxies_and_honoured_with_one(tmp_path):
    # No proxy trusted: every try counts against the one real address (the header is a lie
    # anyone can tell), so the third is refused.
    assert _proxy_run(tmp_path, 0)[2:] == [429, 429]
    # One proxy in front: each address it reports is counted on its own.
    assert _proxy_run(tmp_path, 1) == [200, 200, 200, 200]


def _count(text: str, words: str) -> int:
    return len(re.findall(re.escape(words), text))


def test_two_gunicorn_servers_share_sign_ins_limits_and_messages(tmp_path):
    base = postgres_or_skip()
    redis = redis_or_skip()
    prefix = f"mkw-two-{uuid.uuid4().hex[:8]}"
    with scratch_postgres(base, "two") as url:
        prepare(url)
        env = base_env(
            url, REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix,
            SIGN_IN_RATE_LIMIT="6 per 5 minutes", QUEUE_NAME=prefix,
        )  # fmt: skip
        one = Gunicorn(env, tmp_path / "one.log")
        two = Gunicorn(env, tmp_path / "two.log")
        try:
            # A sign-in on one works on the other (sessions live in the database).
            sam = Person(one.origin, "sam@example.org")
            assert sam.sign_in().status_code == 302
            sam_on_two = sam.on(two.origin)
            home = sam_on_two.get("/")
            assert home.status_code == 200 and "Sign out" in home.text

            # A message sent through one appears once in the other's inbox.
            words = f"Can we meet on Friday {uuid.uuid4().hex[:6]}?"
            sent = sam.form("/messages/", {"body": words})
            assert sent.status_code == 302, sent.text[:300]
            assert _count(sam_on_two.get("/messages/").text, words) == 1
            kim = Person(two.origin, "kim@example.org")
            assert kim.sign_in().status_code == 302
            inbox = kim.get("/staff/inbox").text
            conversation = re.search(r'href="(/staff/conversations/\d+)"', inbox).group(1)
            assert _count(kim.get(conversation).text, words) == 1

            # The sign-in limit per address counts across both servers.
            codes = []
            for n in range(8):
                stranger = Person((one, two)[n % 2].origin, "nobody@example.org")
                wrong = {"email": "nobody@example.org", "password": "wrong"}
                codes.append(stranger.form("/sign-in", wrong).status_code)
            # 2 sign-ins above (sam, kim) + 4 wrong ones use up 6; both servers then refuse.
            assert codes[:4] == [200] * 4, codes
            assert codes[4:] == [429] * 4, codes
            assert redis.keys(f"*{prefix}*"), "nothing was counted in Redis"
        finally:
            one.stop()
            two.stop()
            for key in redis.scan_iter(f"*{prefix}*"):
                redis.delete(key)
