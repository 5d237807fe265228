"""Retention: closed cases past the date are listed, removed once, and the trail says so."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, HelpRequest, JournalEntry, User
from webapp.services import accounts, retention

JORDAN = 3


def _age_jordan(app, born: date, closed: date) -> None:
    with app.app_context():
        case = db.session.get(Case, JORDAN)
        case.young_person.date_of_birth = born
        case.closed_at = datetime(closed.year, closed.month, closed.day, tzinfo=UTC)
        db.session.commit()


def test_keep_until_the_25th_birthday_or_26th_if_17_at_the_end(app):
    with app.app_context():
        case = db.session.get(Case, JORDAN)
        case.young_person.date_of_birth = date(2001, 5, 4)
        case.closed_at = datetime(2020, 1, 1, tzinfo=UTC)  # 18 at the end
        assert retention.keep_until(case, 25, 26) == date(2026, 5, 4)
        case.closed_at = datetime(2019, 1, 1, tzinfo=UTC)  # 17 at the end
        assert retention.keep_until(case, 25, 26) == date(2027, 5, 4)
        case.young_person.date_of_birth = date(2004, 2, 29)
        assert retention.keep_until(case, 25, 26) == date(2029, 2, 28)
        db.session.rollback()


def test_dry_run_lists_then_run_removes_once(app):
    _age_jordan(app, born=date(2000, 3, 1), closed=date(2020, 6, 1))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert f"case {JORDAN}: closed 2020-06-01, kept until 2025-03-01" in dry.output
    assert "nothing removed" in dry.output
    with app.app_context():
        assert db.session.get(Case, JORDAN) is not None
    result = runner.invoke(args=["retention", "run"])
    assert "Removed 1 case(s)." in result.output, result.output
    with app.app_context():
        assert db.session.get(Case, JORDAN) is None
        assert not db.session.scalars(select(JournalEntry).filter_by(case_id=JORDAN)).all()
        assert not db.session.scalars(select(HelpRequest).filter_by(case_id=JORDAN)).all()
        assert accounts.user_by_email("jordan@example.org") is None
        assert accounts.user_by_email("chris@example.org") is None  # no other case
        assert db.session.scalar(select(User).filter_by(email="kim@example.org")) is not None
        logged = db.session.scalars(select(AuditEvent).filter_by(action="retention")).all()
        assert {(e.record_type, e.case_id) for e in logged} >= {("cases", JORDAN)}
    again = runner.invoke(args=["retention", "run"])
    assert "Removed 0 case(s)." in again.output


def test_nothing_is_removed_before_its_date(app):
    _age_jordan(app, born=date.today().replace(year=date.today().year - 19), closed=date.today())
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert "Removed 0 case(s)." in result.output
