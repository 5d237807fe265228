"""Fixtures: one migrated database with the demo data per run; each test in a transaction
that is rolled back afterwards. TEST_DATABASE_URL runs the same tests on PostgreSQL."""

from __future__ import annotations

import gzip
import os
import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.structure import check_page
from webapp import create_app, migrate, page_cache
from webapp.extensions import db, limiter, make_engine
from webapp.models import Base
from webapp.services import demo

PASSWORD = demo.password()


def totp_code(app, email: str) -> str:
    """The code a phone set up with the demo secret shows now (each code works once). When a
    test has already used this time step, the replay guard is rewound in the database: a
    test-only shortcut so one test can sign the same person in many times within 30 seconds.
    Always the current step, never an older one the window is about to drop: a step boundary
    passing between making the code and posting it must not fail the test."""
    import time

    import pyotp

    from webapp.services import accounts, second_factor

    with app.app_context():
        user = accounts.user_by_email(email)
        now = int(time.time()) // second_factor.STEP
        if user.totp_last_step is not None and user.totp_last_step >= now:
            user.totp_last_step = now - 1
            db.session.commit()
        return pyotp.TOTP(second_factor.totp_secret(user)).at(now * second_factor.STEP)


class CheckedClient(FlaskClient):
    """A test client that checks the structure of every HTML page it fetches."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        # A server closes each response once it is sent, which runs the work queued for
        # after the response (sending the outbox): do the same here.
        response.get_data()
        response.close()
        if response.mimetype == "text/html" and response.status_code != 302:
            body = response.get_data()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            check_page(body.decode(), where=f"{args[0] if args else ''}")
        return response

    def csrf_token(self, path: str = "/sign-in") -> str:
        page = self.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sign_in(self, email: str, password: str = PASSWORD, **kwargs):
        token = self.csrf_token("/sign-in")
        response = self.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": password}, **kwargs
        )
        assert response.status_code == 302, f"could not sign in as {email}"
        if self._needs_second_factor(email):
            self.pass_second_factor(email)
        return response

    def _needs_second_factor(self, email: str) -> bool:
        from webapp.services import accounts, second_factor

        with self.application.app_context():
            user = accounts.user_by_email(email)
            return user is not None and second_factor.needed(user)

    def pass_second_factor(self, email: str):
        """Staff: type the code an authenticator app set up with DEMO_TOTP_SECRET shows (or,
        for someone a test made who has no second factor yet, set one up as a person would)."""
        set_up = self.get("/sign-in/code")
        if set_up.headers.get("Location") == "/sign-in/set-up-code":
            import pyotp

            page = self.get("/sign-in/set-up-code").get_data(as_text=True)
            secret = re.search(r'class="mkw-secret" dir="ltr"><code>([A-Z2-7 ]+)<', page).group(1)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            code = pyotp.TOTP(secret.replace(" ", "")).now()
            response = self.post("/sign-in/set-up-code", data={"csrf_token": token, "code": code})
            assert "only this once" in response.get_data(as_text=True)
            return response
        code = totp_code(self.application, email)
        token = self.csrf_token("/sign-in/code")
        response = self.post("/sign-in/code", data={"csrf_token": token, "code": code})
        assert response.status_code == 302, f"the second factor did not work for {email}"
        return response

    def post_form(self, path: str, data: dict, page: str | None = None, **kwargs):
        """POST a form with a fresh CSRF token taken from the page that shows it."""
        token = self.csrf_token(page or path)
        return self.post(path, data={"csrf_token": token, **data}, **kwargs)


def _reset(url: str, schema: str) -> None:
    """Start from an empty database. On PostgreSQL the whole schema goes, so functions and
    triggers an earlier run's migrations made (the audit trail's) do not stop the next run."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        else:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    """SQLite: a file per test process. PostgreSQL: TEST_DATABASE_URL, with a schema of its
    own for each pytest-xdist worker, so workers never see each other's rows."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    if worker_id == "master":
        _reset(url, "public")
        return url
    schema = f"test_{worker_id}"
    _reset(url, schema)
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def _vapid_keys() -> tuple[str, str]:
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    return b64(raw), b64(public)


VAPID_PRIVATE, VAPID_PUBLIC = _vapid_keys()

TEST_CONFIG = {
    "ENV": "test",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-for-checks",
    "SESSION_COOKIE_SECURE": False,
    "HSTS": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8192,
    "VAPID_PRIVATE_KEY": VAPID_PRIVATE,
    "VAPID_PUBLIC_KEY": VAPID_PUBLIC,
    "VAPID_SUBJECT": "mailto:tests@example.org",
    "PUSH_TIMEOUT": 1.0,
    "BASE_URL": "http://localhost",
}


@pytest.fixture(scope="session")
def app(database_url):
    migrate.upgrade(database_url)
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    app.test_client_class = CheckedClient
    app.extensions["mail_outbox"] = []
    with app.app_context():
        demo.load()
    yield app
    db.session.remove()
    db.engine.dispose()


@contextmanager
def second_app(url: str):
    """An app on its own database. `db` is one object per process, so put it back afterwards."""
    old_engine = db.engine
    db.session.remove()
    migrate.upgrade(url)
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    app.test_client_class = CheckedClient
    app.extensions["mail_outbox"] = []
    try:
        with app.app_context():
            demo.load()
        yield app
    finally:
        db.session.remove()
        db.engine.dispose()
        db.engine = old_engine
        db.session.configure(bind=old_engine)


@pytest.fixture(autouse=True)
def _isolated(request, app):
    """Every test runs in a transaction rolled back at the end (services' commits become
    savepoints), so tests never see each other's changes, nor pages kept by another test."""
    page_cache.clear()
    if "browser" in request.keywords or "own_database" in request.keywords:
        yield
        return
    connection = db.engine.connect()
    transaction = connection.begin()
    db.session.remove()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    app.extensions["mail_outbox"].clear()
    limiter.reset()
    # No app context is pushed here: the test client would reuse it, and with it `g`,
    # across requests. Tests that call services directly use `with app.app_context()`.
    yield
    db.session.remove()
    transaction.rollback()
    connection.close()
    db.session.configure(bind=db.engine)


@pytest.fixture
def client(app) -> CheckedClient:
    return app.test_client()


@pytest.fixture
def outbox(app) -> list:
    return app.extensions["mail_outbox"]


def signed_in(app, email: str) -> CheckedClient:
    c = app.test_client()
    c.sign_in(email)
    return c


@pytest.fixture
def as_user(app):
    """as_user("sam") gives a client signed in as sam@example.org."""
    return lambda name: signed_in(app, f"{name}@example.org")


def staff_of_another_team(email: str, name: str, role, area: str = "Devon") -> int:
    """A member of staff in a team of their own (inside an app context); the team's id."""
    from webapp.models import Team
    from webapp.services import accounts

    other = Team(
        name=f"{area} Key Working Service", area=area,
        crisis_line_name=f"the {area} crisis line", crisis_line_phone="0800 000 0000",
    )  # fmt: skip
    db.session.add(other)
    db.session.flush()
    accounts.create_user(email=email, name=name, role=role, password=PASSWORD, team_id=other.id)
    db.session.commit()
    return other.id
