"""The `flask` commands: demo data, VAPID keys, sending what is waiting, the easy-read library
and the database migrations. Run through Click's runner against the test app's database."""

from __future__ import annotations

import base64
import functools
import re
import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import inspect

from tests.factories import CarerFactory, CaseCarerFactory, CaseKeyWorkerFactory
from webapp import easyread
from webapp.extensions import db, make_engine
from webapp.models import Message, OutboxItem, utcnow
from webapp.services import content, messages


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_demo_load_if_empty_leaves_a_database_with_people_alone(run):
    result = run("demo", "load", "--if-empty")
    assert result.exit_code == 0
    assert "The database already has people in it: demo data not loaded." in result.output


def test_push_keys_prints_a_matching_p256_key_pair(run):
    result = run("push", "keys")
    assert result.exit_code == 0
    lines = dict(line.split("=", 1) for line in result.output.split())
    private, public = _unb64(lines["VAPID_PRIVATE_KEY"]), _unb64(lines["VAPID_PUBLIC_KEY"])
    assert len(private) == 32 and len(public) == 65 and public[0] == 4
    key = ec.derive_private_key(int.from_bytes(private, "big"), ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    assert public[1:] == numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")
    assert run("push", "keys").output != result.output  # a new pair each time


def test_notify_send_pending_emails_a_long_unread_message(app, run, outbox):
    with app.app_context():
        key_worker = CaseKeyWorkerFactory()
        carer = CaseCarerFactory(
            case=key_worker.case, user=CarerFactory(email="waiting@factory.example.org")
        )
        conversation = messages.conversation_for(carer.case, carer.user)
        waited = app.config["EMAIL_UNREAD_AFTER"] * 2
        db.session.add(
            Message(conversation_id=conversation.id, author_id=key_worker.user_id,
                    body="Hello from the team.", created_at=utcnow() - waited)
        )  # fmt: skip
        db.session.commit()
    result = run("notify", "send-pending")
    assert result.exit_code == 0, result.output
    match = re.fullmatch(
        r"Queued (\d+) email\(s\)\. Sent (\d+), failed (\d+) \(kept for a retry\), gone (\d+)\.\n",
        result.output,
    )
    assert match, result.output
    queued, sent, failed, gone = map(int, match.groups())
    assert queued >= 1 and sent >= queued and failed == 0
    assert "waiting@factory.example.org" in [mail["To"] for mail in outbox]
    with app.app_context():
        assert db.session.query(OutboxItem).filter(OutboxItem.sent_at.is_(None)).count() == 0
    again = run("notify", "send-pending")
    assert again.output.startswith("Queued 0 email(s).")


def test_easyread_lint_passes_on_the_library(run):
    result = run("easyread", "lint")
    assert result.exit_code == 0, result.output
    files = len(list(easyread.LIBRARY.glob("*.*.yaml")))
    assert result.output.endswith(f"{files} files follow the easy-read rules.\n")
    assert re.search(r"^messages \(en\): reading ease \d+$", result.output, re.M)


@pytest.fixture
def broken_library(tmp_path, monkeypatch):
    """A copy of the library with one file that breaks a rule (a picture we do not have)."""
    folder = tmp_path / "easyread"
    shutil.copytree(easyread.LIBRARY, folder)
    path = folder / "messages.en.yaml"
    path.write_text(
        path.read_text()
        .replace("picture: messages", "picture: no-such-picture")
        .replace("version: 1", "version: 99")
    )
    monkeypatch.setattr(easyread, "lint_library", functools.partial(easyread.lint_library, folder))
    monkeypatch.setattr(content, "sync", functools.partial(content.sync, folder))
    return folder


def test_easyread_lint_fails_and_says_where(run, broken_library):
    result = run("easyread", "lint")
    assert result.exit_code == 1
    assert "messages.en.yaml" in result.output and "no-such-picture" in result.output
    assert "follow the easy-read rules" not in result.output


def test_easyread_sync_loads_nothing_when_a_file_is_wrong(app, run, broken_library):
    result = run("easyread", "sync")
    assert result.exit_code == 1
    assert "Nothing was loaded." in result.output and "no-such-picture" in result.output
    with app.app_context():
        assert content.latest("messages", "en").number != 99


def test_easyread_sync_with_nothing_new_loads_nothing(run):
    result = run("easyread", "sync")
    assert result.exit_code == 0, result.output
    assert re.search(r"^0 new, \d+ unchanged\.$", result.output, re.M)


def test_db_upgrade_makes_a_new_database_with_its_folder(app, run, tmp_path, monkeypatch):
    path = tmp_path / "new" / "folder" / "mkw.sqlite3"
    monkeypatch.setitem(app.config, "DATABASE_URL", f"sqlite:///{path}")
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.output == "The database is up to date.\n"
    engine = make_engine(f"sqlite:///{path}")
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"users", "cases", "plan_items", "alembic_version"} <= tables
    assert run("db", "upgrade").exit_code == 0  # a second run changes nothing
