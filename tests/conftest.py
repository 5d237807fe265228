"""Fixtures: one migrated database with the demo data per run; each test in a transaction
that is rolled back afterwards. TEST_DATABASE_URL runs the same tests on PostgreSQL."""

from __future__ import annotations

import gzip
import os
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.structure import check_page
from webapp import create_app, migrate
from webapp.extensions import db, limiter, make_engine
from webapp.models import Base
from webapp.services import demo

PASSWORD = demo.password()


class CheckedClient(FlaskClient):
    """A test client that checks the structure of every HTML page it fetches."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code != 302:
            body = response.get_data()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            check_page(body.decode(), where=f"{args[0] if args else ''}")
        return response

    def csrf_token(self, path: str = "/sign-in") -> str:
        page = self.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sign_in(self, email: str, password: str = PASSWORD):
        token = self.csrf_token("/sign-in")
        response = self.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": password}
        )
        assert response.status_code == 302, f"could not sign in as {email}"
        return response

    def post_form(self, path: str, data: dict, page: str | None = None, **kwargs):
        """POST a form with a fresh CSRF token taken from the page that shows it."""
        token = self.csrf_token(page or path)
        return self.post(path, data={"csrf_token": token, **data}, **kwargs)


def _reset(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


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


@pytest.fixture(autouse=True)
def _isolated(request, app):
    """Every test runs in a transaction rolled back at the end (services' commits become
    savepoints), so tests never see each other's changes."""
    if "browser" in request.keywords:
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
