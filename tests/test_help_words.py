"""Help again that tells the truth (issue 23): what "Today" really means in and out of office
hours, a real date for later, and one line for the home page."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from webapp import help_words
from webapp.models import ContactWay, Urgency

LONDON = ZoneInfo("Europe/London")
TEAM = SimpleNamespace(
    office_days="01234", office_opens=time(9), office_closes=time(17), response_working_days=2
)
MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
FRIDAY_8PM = datetime(2026, 12, 4, 20, 0, tzinfo=LONDON)
SATURDAY = datetime(2026, 12, 5, 11, 0, tzinfo=LONDON)


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


def test_today_in_office_hours_says_the_team_is_working_until_5pm(ctx):
    told = help_words.promise(TEAM, Urgency.TODAY, MONDAY_10AM)
    assert not told.crisis_first
    assert told.sentences[0] == "The team is working now, until 5:00pm today."
    assert "within 2 working days" not in " ".join(told.sentences)


@pytest.mark.parametrize("moment", [FRIDAY_8PM, SATURDAY])
def test_today_out_of_hours_puts_the_crisis_routes_first_and_says_when_the_team_opens(ctx, moment):
    told = help_words.promise(TEAM, "today", moment)
    assert told.crisis_first
    assert told.sentences[0] == "The team is not working now."
    assert "They start again on Monday 7 December at 9:00am." in told.sentences[1]


def test_later_gives_a_real_date_counted_in_the_teams_working_days(ctx):
    told = help_words.promise(TEAM, Urgency.THIS_WEEK, FRIDAY_8PM)
    assert told.sentences[0] == "Someone from the team will contact you by Tuesday 8 December."
    assert told.sentences[1] == "The team works Monday to Friday, 9:00am to 5:00pm."
    weekend_team = SimpleNamespace(**{**vars(TEAM), "office_days": "0123456"})
    told = help_words.promise(weekend_team, Urgency.NOT_URGENT, FRIDAY_8PM)
    assert "by Sunday 6 December" in told.sentences[0]


def _request(**kw):
    values = dict(
        created_at=MONDAY_10AM, author=SimpleNamespace(name="Chris Reid"), assigned_to=None,
        contact_by=None, seen_at=None, urgency=Urgency.THIS_WEEK, contact_way=ContactWay.PHONE,
    )  # fmt: skip
    values.update(kw)
    return SimpleNamespace(**values)


def test_the_home_line_says_who_will_call_and_by_when(ctx):
    wednesday = datetime(2026, 12, 2, 12, 0, tzinfo=LONDON)
    kim = SimpleNamespace(name="Kim Okafor")
    line = help_words.status_line(
        _request(assigned_to=kim, contact_by=date(2026, 12, 3), seen_at=MONDAY_10AM),
        TEAM,
        wednesday,
    )
    assert line == (
        "You asked for help again on Monday 30 November. Kim will call you by Thursday 3 December."
    )
    line = help_words.status_line(_request(), TEAM, wednesday)
    assert line == (
        "You asked for help again on Monday 30 November. "
        "The team has not read it yet. Someone will contact you by Wednesday 2 December."
    )
    line = help_words.status_line(_request(created_at=FRIDAY_8PM, urgency="today"), TEAM, SATURDAY)
    assert "They will read it on Monday 7 December at 9:00am." in line
    line = help_words.status_line(_request(), TEAM, MONDAY_10AM, for_author=False)
    assert line == "Chris asked for help again today. The team has not read it yet."
