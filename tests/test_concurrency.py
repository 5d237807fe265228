"""Writes are never lost: many people sending at the same moment, through the real app, on a
database of its own with committed data (the rolled-back transaction of the other tests would
hide exactly the locking this checks)."""

from __future__ import annotations

import re
import threading
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from tests.conftest import PASSWORD, CheckedClient, second_app
from webapp.extensions import db
from webapp.models import Message

THREADS = 8
EACH = 5
# Two sessions each for the four family members whose cases are open: eight people at once.
SENDERS = ["sam", "priya", "alex", "nadia"] * 2


@contextmanager
def own_database(database_url: str, tmp_path):
    """A fresh database: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        return
    # Without the worker's search_path: the new database has only its public schema.
    url = make_url(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    url = url.difference_update_query(["options"])
    name = f"{url.database}_concurrency"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.own_database
def test_eight_people_sending_at_once_store_every_message_once(database_url, tmp_path):
    with own_database(database_url, tmp_path) as url, second_app(url) as app:
        clients = []
        for name in SENDERS:
            client = app.test_client()
            client.sign_in(f"{name}@example.org", PASSWORD)
            clients.append(client)
        start = threading.Barrier(THREADS)
        statuses: list[int] = []
        failures: list[BaseException] = []

        def send(number: int, client: CheckedClient) -> None:
            try:
                page = client.get("/messages/").get_data(as_text=True)
                token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                start.wait(timeout=30)
                for i in range(EACH):
                    response = client.post(
                        "/messages/",
                        data={
                            "csrf_token": token,
                            "body": f"Load test {number}-{i}",
                            "client_key": uuid.uuid4().hex,
                        },
                    )
                    statuses.append(response.status_code)
                    # Reading the conversation marks it read: a GET that writes.
                    statuses.append(client.get("/messages/").status_code)
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [
            threading.Thread(target=send, args=(n, c)) for n, c in enumerate(clients, start=1)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)

        assert not failures, failures
        assert sorted(statuses) == [200] * (THREADS * EACH) + [302] * (THREADS * EACH)
        with app.app_context():
            rows = db.session.execute(
                select(Message.body, func.count())
                .where(Message.body.like("Load test %"))
                .group_by(Message.body)
            ).all()
        assert len(rows) == THREADS * EACH
        assert {count for _body, count in rows} == {1}
