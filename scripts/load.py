"""`make load`: 200 families and 20 staff for at most LOAD_SECONDS (default 120) against
gunicorn + PostgreSQL + Redis + two queue workers, all on this machine.

1. Makes a scratch PostgreSQL database beside LOAD_DATABASE_URL's (default
   postgresql://postgres@127.0.0.1/mkw_load), migrates it and adds one team: 20 key workers
   with 10 cases each (a young person with a plan), every one with the demo password; staff
   with the demo second-factor secret.
2. Starts gunicorn (gunicorn.conf.py) and two `flask worker` processes on REDIS_URL (default
   redis://127.0.0.1:6379/0) and signs everyone in (argon2 at production cost: timed apart).
3. For LOAD_SECONDS, LOAD_CLIENTS threads (default 20) play the 220 people in turn, with a
   think time: families read a plan section, check in, send a message or read their
   messages; staff read their caseload, their inbox and reply.
4. Reports requests, errors, p50/p95/max per kind of request (a form's page and its post are
   timed apart, as each is a request a phone waits for), then counts the messages in
   the database: each one sent must be there exactly once (none lost, none doubled), and
   the outbox must hold no row sent twice. Exits 1 on any error, lost or doubled message.
Everything it started is stopped, and the scratch database dropped, at the end.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import (  # noqa: E402 - after the path is set
    PASSWORD,
    Gunicorn,
    Person,
    base_env,
    scratch_postgres,
    worker,
)

SECONDS = float(os.environ.get("LOAD_SECONDS") or 120)
CLIENTS = int(os.environ.get("LOAD_CLIENTS") or 20)
FAMILIES, STAFF = 200, 20
BASE_DB = os.environ.get("LOAD_DATABASE_URL") or "postgresql://postgres@127.0.0.1/mkw_load"
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
MARK = f"load-{uuid.uuid4().hex[:6]}"


def populate(url: str) -> dict:
    """The team, its staff and families, in this process (a Flask app bound to `url`)."""
    os.environ.update(base_env(url))
    from webapp import create_app, migrate
    from webapp.extensions import db
    from webapp.models import (
        Case,
        CaseKeyWorker,
        CaseStatus,
        DsrRating,
        KeyWorkerRole,
        Role,
        Team,
        utcnow,
    )
    from webapp.services import passwords, second_factor
    from webapp.services.accounts import create_user as _create_user
    from webapp.services.demo_plans import PRIYA, PRIYA_ACTIONS, _items, add_plan

    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url})

    def create_user(password: str, **kwargs):
        """One argon2 hash (production cost) for everyone: 220 hashes would take minutes
        and measure nothing. Signing in still checks it at full cost."""
        user = _create_user(**kwargs)
        user.password_hash, user.password_changed_at = hashed, utcnow()
        return user

    people: dict = {"families": [], "staff": []}
    with app.app_context():
        hashed = passwords.hash_password(PASSWORD)
        team = Team(
            name="Load Test Key Working Service", area="Load",
            crisis_line_name="the crisis line", crisis_line_phone="0800 000 0000",
        )  # fmt: skip
        db.session.add(team)
        db.session.flush()
        for s in range(STAFF):
            kw = create_user(email=f"kw{s}@load.example", name=f"Key Worker {s}",
                             role=Role.KEY_WORKER, password=PASSWORD, team_id=team.id)  # fmt: skip
            second_factor.set_demo(kw)
            people["staff"].append(kw.email)
            for f in range(FAMILIES // STAFF):
                n = s * (FAMILIES // STAFF) + f
                yp = create_user(email=f"yp{n}@load.example", name=f"Young Person {n}",
                                 role=Role.YOUNG_PERSON, password=PASSWORD)  # fmt: skip
                case = Case(young_person_id=yp.id, team_id=team.id, status=CaseStatus.ACTIVE,
                            dsr_rating=DsrRating.AMBER)  # fmt: skip
                case.key_workers.append(CaseKeyWorker(user_id=kw.id, role=KeyWorkerRole.SENIOR))
                db.session.add(case)
                db.session.flush()
                add_plan(case, yp, kw, _items(PRIYA, (), PRIYA_ACTIONS))
                people["families"].append((yp.email, case.id))
            db.session.commit()
    db.session.remove()
    db.engine.dispose()
    return people


def browser(origin: str, email: str) -> Person:
    """A person whose GETs are sent once more on a kept-alive connection the server closed, as
    browsers do: gunicorn recycles each worker after max_requests, closing its idle
    connections (6 "read plan" ConnectionErrors in a 2-minute run before this). A POST is never
    sent twice: a lost form still counts as an error."""
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    person = Person(origin, email)
    again = Retry(total=1, connect=1, read=1, status=0, allowed_methods=frozenset({"GET"}))
    person.http.mount("http://", HTTPAdapter(max_retries=again))
    return person


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.sent: list[str] = []

    def record(self, kind: str, took: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[kind].append(took)
            if not ok:
                self.errors.append(f"{kind}: {detail}")


def _done(answer) -> bool:
    """A form that worked redirects to its next page; one sent after the session was lost
    redirects to the sign-in page, which is a failure (and its message is not sent)."""
    return answer.status_code == 302 and "/sign-in" not in answer.headers.get("Location", "")


def timed(stats: Stats, kind: str, call, ok=lambda r: r.status_code in (200, 302)):
    started = time.perf_counter()
    try:
        answer = call()
    except Exception as exc:  # noqa: BLE001 - a load test counts every kind of failure
        stats.record(kind, time.perf_counter() - started, False, type(exc).__name__)
        return None
    good = ok(answer)
    stats.record(kind, time.perf_counter() - started, good, str(answer.status_code))
    return answer


def timed_form(stats: Stats, kind: str, person: Person, page: str, data: dict,
               action: str | None = None):  # fmt: skip
    """A form as a phone sends it: its page (timed as "<kind> page"), then the post."""
    shown = timed(stats, f"{kind} page", lambda: person.get(page))
    if shown is None or shown.status_code != 200:
        return None
    return timed(stats, kind, lambda: person.send(shown.text, action or page, data), ok=_done)


def family_turn(person: Person, case_id: int, stats: Stats) -> None:
    choice = random.random()  # noqa: S311
    if choice < 0.4:
        timed(stats, "read plan", lambda: person.get(f"/cases/{case_id}/plan/"))
    elif choice < 0.6:
        key = uuid.uuid4().hex
        timed_form(stats, "check in", person, "/journal/",
                   {"feeling": "green", "client_key": key}, action="/journal/check-in")  # fmt: skip
    elif choice < 0.8:
        words = f"{MARK} {uuid.uuid4().hex}"
        answer = timed_form(stats, "send message", person, "/messages/", {"body": words})
        if answer is not None and _done(answer):
            with stats.lock:
                stats.sent.append(words)
    else:
        timed(stats, "read messages", lambda: person.get("/messages/"))


def staff_turn(person: Person, stats: Stats) -> None:
    choice = random.random()  # noqa: S311
    if choice < 0.4:
        timed(stats, "caseload", lambda: person.get("/"))
    else:
        inbox = timed(stats, "inbox", lambda: person.get("/staff/inbox"))
        found = re.findall(r'href="(/staff/conversations/\d+)"', inbox.text if inbox else "")
        if found and choice > 0.7:
            path = random.choice(found)  # noqa: S311
            words = f"{MARK} {uuid.uuid4().hex}"
            answer = timed_form(stats, "reply", person, path, {"body": words})
            if answer is not None and _done(answer):
                with stats.lock:
                    stats.sent.append(words)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="mkw-load-"))
    with scratch_postgres(BASE_DB, "load") as url:
        print(f"Populating {FAMILIES} families and {STAFF} staff…", flush=True)
        people = populate(url)
        queue = f"mkw-load-{uuid.uuid4().hex[:6]}"
        env = base_env(url, REDIS_URL=REDIS, QUEUE_NAME=queue, RATELIMIT_KEY_PREFIX=queue,
                       SIGN_IN_RATE_LIMIT="100000 per minute", LOG_LEVEL="WARNING")  # fmt: skip
        server = Gunicorn(env, folder / "gunicorn.log")
        workers = [worker(env, folder / f"worker{n}.log") for n in (1, 2)]
        stats = Stats()
        try:
            print("Signing everyone in…", flush=True)
            sign_ins = Stats()
            families = [(browser(server.origin, e), c) for e, c in people["families"]]
            staff = [browser(server.origin, e) for e in people["staff"]]

            def sign(p: Person) -> None:
                timed(sign_ins, "sign in", p.sign_in, ok=lambda r: r.status_code == 302)

            everyone = [p for p, _ in families] + staff

            def sign_all(ps: list[Person]) -> None:
                for p in ps:
                    sign(p)

            threads = [threading.Thread(target=sign_all, args=(everyone[i::CLIENTS],))
                       for i in range(CLIENTS)]  # fmt: skip
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            print(f"Running for {SECONDS:.0f} s with {CLIENTS} clients…", flush=True)
            end = time.monotonic() + SECONDS
            turns = [("family", p, c) for p, c in families] + [("staff", p, None) for p in staff]
            random.shuffle(turns)

            def client(mine: list) -> None:
                while time.monotonic() < end:
                    for kind, person, case_id in mine:
                        if time.monotonic() >= end:
                            return
                        if kind == "family":
                            family_turn(person, case_id, stats)
                        else:
                            staff_turn(person, stats)
                        time.sleep(random.uniform(0.2, 0.6))  # noqa: S311 - think time

            threads = [threading.Thread(target=client, args=(turns[i::CLIENTS],))
                       for i in range(CLIENTS)]  # fmt: skip
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ran = time.monotonic() - started
            time.sleep(3)  # the workers finish what the last requests queued
        finally:
            server.stop()
            for w in workers:
                w.stop()
        # Count the messages in the database: each one sent is there exactly once.
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT body, count(*) FROM messages WHERE body LIKE :m GROUP BY body"),
                {"m": f"{MARK}%"},
            ).all()
            outbox = conn.execute(
                text("SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FROM outbox")
            ).one()
        engine.dispose()
    stored = {body: n for body, n in rows}
    lost = [w for w in stats.sent if w not in stored]
    doubled = [b for b, n in stored.items() if n > 1]
    unknown = [b for b in stored if b not in set(stats.sent)]
    every = [t for values in stats.times.values() for t in values]
    print(f"\n{len(every)} requests in {ran:.0f} s ({len(every) / ran:.1f}/s), "
          f"{len(stats.errors)} errors")  # fmt: skip
    print(f"{'request':<18}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, values in sorted({**stats.times, **sign_ins.times}.items()):
        print(f"{kind:<18}{len(values):>7}{statistics.median(values) * 1000:>9.0f}"
              f"{percentile(values, 95) * 1000:>9.0f}{max(values) * 1000:>9.0f}")  # fmt: skip
    print(f"all (after sign-in) p95: {percentile(every, 95) * 1000:.0f} ms")
    print(f"sign-in errors: {len(sign_ins.errors)}")
    print(f"messages: {len(stats.sent)} sent, {len(stored)} in the database, {len(lost)} lost, "
          f"{len(doubled)} doubled, {len(unknown)} not answered as sent but stored")  # fmt: skip
    print(f"outbox rows: {outbox[1]}, sent {outbox[0]}")
    for error in stats.errors[:10] + sign_ins.errors[:10]:
        print("error:", error)
    print(f"logs in {folder}")
    return 1 if stats.errors or sign_ins.errors or lost or doubled else 0


if __name__ == "__main__":
    sys.exit(main())
