"""Real processes for tests and scripts: scratch databases, gunicorn, the queue worker, and a
person with a browser-like session (requests) who signs in, reads and sends forms."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "keyworker-demo-2026"
DEMO_TOTP_SECRET = "MYKEYWORKERDEMOSECRETFORSTAFFABC"
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/1"
SECRET = "s" * 48


def redis_or_skip():
    """A real Redis client, or skip saying why."""
    import pytest
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"No Redis server answers at {REDIS_URL}: this test needs one.")
    return client


def postgres_or_skip() -> str:
    import pytest

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("Needs PostgreSQL: set TEST_DATABASE_URL (CI's PostgreSQL run does).")
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def scratch_postgres(base_url: str, label: str = "srv"):
    """An empty PostgreSQL database of its own beside the test one, dropped afterwards."""
    from sqlalchemy import create_engine, text

    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    url = url.difference_update_query(["options"])  # a test worker's search_path: not here
    name = f"{url.database}_{label}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            url.set(database=name)
            .render_as_string(hide_password=False)
            .replace("postgresql+psycopg://", "postgresql://", 1)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "MKW_ENV": "test",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "SESSION_COOKIE_SECURE": "0",
        "LOG_FORMAT": "json",
    }
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "SENTRY_DSN", "TRUSTED_PROXIES"):
        env.pop(name, None)
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def prepare(database_url: str, demo: bool = True) -> None:
    env = base_env(database_url)
    flask(env, "db", "upgrade")
    if demo:
        flask(env, "demo", "load")


class Process:
    """A process started for a test, stopped by its own id at the end, its output in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop(self, sig: int = signal.SIGTERM, wait: float = 20) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


class Gunicorn(Process):
    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        env = {**env, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        super().__init__([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], env, log)
        self._wait()

    def _wait(self, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.output()[-3000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.origin + "/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer:\n{self.output()[-3000:]}")


def worker(env: dict[str, str], log: Path, *args: str) -> Process:
    return Process([str(BIN / "flask"), "--app", "wsgi", "worker", *args], env, log)


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Person:
    """Someone with a browser: cookies kept, forms sent with their CSRF token."""

    def __init__(self, origin: str, email: str) -> None:
        self.origin, self.email = origin, email
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile"

    def on(self, origin: str) -> Person:
        """The same browser (cookies) talking to another server."""
        other = Person(origin, self.email)
        other.http = self.http
        return other

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.origin + path, timeout=30, allow_redirects=False, **kwargs)

    def form(self, page: str, data: dict, action: str | None = None) -> requests.Response:
        return self.send(self.get(page).text, action or page, data)

    def send(self, html: str, action: str, data: dict) -> requests.Response:
        """Post `data` to `action` with the CSRF token and client key of a form page's HTML."""
        token = _CSRF.search(html)
        fields = {"csrf_token": token.group(1)} if token else {}
        for name in ("client_key",):
            found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
            if found:
                fields[name] = found.group(1)
        return self.http.post(
            self.origin + action, data={**fields, **data}, timeout=30,
            allow_redirects=False,
        )  # fmt: skip

    def sign_in(self, password: str = PASSWORD, totp: str | None = None) -> requests.Response:
        """The password, then (staff) the 6-digit code when the next page asks for it."""
        answer = self.form("/sign-in", {"email": self.email, "password": password})
        if answer.status_code != 302:
            return answer
        goes_to = self.get("/").headers.get("Location", "")
        if goes_to.endswith("/sign-in/code"):
            import pyotp

            code = pyotp.TOTP(totp or DEMO_TOTP_SECRET).now()
            answer = self.form("/sign-in/code", {"code": code})
        return answer

    def sign_out(self) -> requests.Response:
        return self.form("/settings/", {}, action="/sign-out")
