"""Retention: closed cases past the date are listed, removed once, and the trail says so."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.conftest import staff_of_another_team
from webapp.extensions import db
from webapp.models import AuditEvent, Case, HelpRequest, JournalEntry, Role, User
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


def test_after_a_death_records_are_kept_8_years_from_that_day(app):
    with app.app_context():
        case = db.session.get(Case, JORDAN)
        case.young_person.date_of_birth = date(2001, 5, 4)
        case.closed_at = datetime(2020, 1, 1, tzinfo=UTC)
        case.died_on = date(2019, 12, 20)  # before their 25th birthday
        assert retention.keep_until(case, 25, 26) == date(2027, 12, 20)
        case.died_on = date(2024, 2, 29)
        assert retention.keep_until(case, 25, 26, years_after_death=7) == date(2031, 2, 28)
        db.session.rollback()


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_manager_records_a_death_once_and_retention_follows_it(app, as_user):
    morgan = as_user("morgan")
    path = f"/staff/cases/{JORDAN}/died"
    assert "Record that the young person has died" in morgan.get(f"/staff/cases/{JORDAN}").get_data(
        as_text=True
    )
    with app.app_context():
        born = accounts.user_by_email("jordan@example.org").date_of_birth
    assert born is not None
    # Kind, specific errors, and what was typed stays in the box.
    for typed, said in (
        ("", "Write the date they died, like 2026-11-30."),
        ("30/02/2020", "Write the date they died, like 2026-11-30."),
        ((date.today().replace(year=date.today().year + 1)).isoformat(),
         "The date they died cannot be after today."),
        ((born - timedelta(days=1)).isoformat(),
         "The date they died cannot be before the date they were born."),
    ):  # fmt: skip
        response = morgan.post_form(path, {"died_on": typed})
        assert response.status_code == 400
        page = _page(response)
        assert said in page.select_one(".nhsuk-error-summary").get_text()
        assert page.select_one("#died_on")["value"] == typed
    nine_years_ago = date.today().replace(year=date.today().year - 9, day=1)
    response = morgan.post_form(path, {"died_on": nine_years_ago.isoformat()})
    assert response.status_code == 302
    # Recorded once: the page says so and offers no form to change it.
    page = _page(morgan.get(path))
    assert not page.select("form#main-form")
    morgan.post_form(path, {"died_on": "2020-01-01"}, page=f"/staff/cases/{JORDAN}")
    with app.app_context():
        case = db.session.get(Case, JORDAN)
        assert case.died_on == nine_years_ago
        manager_id = accounts.user_by_email("morgan@example.org").id
        assert case.died_recorded_by_id == manager_id
        # The audit trail shows who opened the page and who recorded the date.
        trail = db.session.scalars(
            select(AuditEvent).filter_by(case_id=JORDAN, record_type="cases", actor_id=manager_id)
        ).all()
        assert {"read", "update"} <= {e.action for e in trail}
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert "Removed 1 case(s)." in result.output, result.output


def test_only_the_teams_manager_records_a_death_and_only_once_key_working_stopped(app, as_user):
    assert as_user("kim").get(f"/staff/cases/{JORDAN}/died").status_code == 404
    assert as_user("morgan").get("/staff/cases/1/died").status_code == 404  # still open
    with app.app_context():
        staff_of_another_team("ash@example.org", "Ash Other", Role.MANAGER)
    other = as_user("ash")
    assert other.get(f"/staff/cases/{JORDAN}/died").status_code == 404
    assert as_user("jordan").get(f"/staff/cases/{JORDAN}/died").status_code in {403, 404}
