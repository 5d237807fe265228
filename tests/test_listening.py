"""How are we doing?, the manager's view of the service, service gaps and reports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import signed_in
from tests.factories import CaseCarerFactory, CaseFactory, CaseKeyWorkerFactory, ManagerFactory
from webapp.extensions import db
from webapp.models import (
    BarrierStepKind,
    Case,
    CaseStatus,
    Feedback,
    FeedbackKind,
    SurveyAnswer,
    utcnow,
)
from webapp.services import service_view, survey

ANSWERS = {"listened": "5", "know_contact": "4", "better": "2", "comment": "Kim is kind."}


@pytest.fixture
def team_case(app):
    """A case open for 5 weeks, with a carer, a key worker and the team's manager."""
    with app.app_context():
        case = CaseFactory(opened_at=utcnow() - timedelta(weeks=5))
        carer = CaseCarerFactory(case=case).user
        kw = CaseKeyWorkerFactory(case=case).user
        manager = ManagerFactory(team=case.team)
        other = ManagerFactory()
        return {"case": case.id, "team": case.team_id, "young": case.young_person.email,
                "carer": carer.email, "kw": kw.email, "manager": manager.email,
                "other": other.email}  # fmt: skip


def _count(app, model, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)).where(model.case_id == case_id))


def test_how_are_we_doing_is_asked_at_most_every_4_weeks_and_can_be_skipped(app, team_case):
    young = signed_in(app, team_case["young"])
    home = young.get("/").get_data(as_text=True)
    assert "Answer 3 short questions" in home
    page = young.get("/how-are-we-doing").get_data(as_text=True)
    # A radio group with words for each picture, so it works by keyboard and screen reader.
    assert page.count('type="radio"') == 15 and "Yes, a lot" in page and "<legend" in page
    assert young.post_form("/how-are-we-doing", ANSWERS).status_code == 302
    assert young.post_form("/how-are-we-doing", ANSWERS).status_code == 302  # not stored twice
    assert _count(app, SurveyAnswer, team_case["case"]) == 1
    assert "Answer 3 short questions" not in young.get("/").get_data(as_text=True)
    assert "Kim is kind." in young.get("/how-are-we-doing").get_data(as_text=True)
    # The carer is asked separately and can skip; skipping is the ask for 4 weeks.
    carer = signed_in(app, team_case["carer"])
    assert "Answer 3 short questions" in carer.get("/").get_data(as_text=True)
    response = carer.post_form("/how-are-we-doing", {"skip": "1"})
    assert response.status_code == 302
    assert "Answer 3 short questions" not in carer.get("/").get_data(as_text=True)
    # 4 weeks later it is asked again.
    with app.app_context():
        case = db.session.get(Case, team_case["case"])
        young_person = case.young_person
        later = utcnow() + timedelta(weeks=4, days=1)
        assert survey.due(case, young_person, later)
        assert not survey.due(case, young_person, utcnow() + timedelta(weeks=3))


def test_how_are_we_doing_needs_an_answer_to_each_question(app, team_case):
    young = signed_in(app, team_case["young"])
    response = young.post_form("/how-are-we-doing", {"listened": "5", "know_contact": "9"})
    assert response.status_code == 400
    assert "Choose the picture and words that fit best." in response.get_data(as_text=True)
    assert _count(app, SurveyAnswer, team_case["case"]) == 0


def test_closing_asks_once_and_a_new_case_is_not_asked_yet(app, team_case):
    with app.app_context():
        case = db.session.get(Case, team_case["case"])
        case.status, case.closed_at = CaseStatus.CLOSED, utcnow()
        db.session.commit()
        assert survey.due(case, case.young_person)
        survey.answer(case, case.young_person, listened=4, know_contact=4, better=4, comment="")
        assert not survey.due(case, case.young_person, utcnow() + timedelta(weeks=5))
        fresh = CaseFactory()
        assert not survey.due(fresh, fresh.young_person)


def test_answers_are_never_shown_to_the_key_worker(app, team_case):
    young = signed_in(app, team_case["young"])
    young.post_form("/how-are-we-doing", {**ANSWERS, "comment": "Private words"})
    kw = signed_in(app, team_case["kw"])
    assert kw.get(f"/staff/teams/{team_case['team']}/service").status_code == 404
    for page in ("/", "/staff/feedback/", f"/staff/cases/{team_case['case']}"):
        assert "Private words" not in kw.get(page).get_data(as_text=True)
    manager = signed_in(app, team_case["manager"])
    view = manager.get(f"/staff/teams/{team_case['team']}/service").get_data(as_text=True)
    assert "Private words" in view
    with app.app_context():
        assert signed_in_name(app, team_case["young"]) not in view


def signed_in_name(app, email) -> str:
    from webapp.services import accounts

    return accounts.user_by_email(email).name


def test_the_managers_view_is_for_the_managers_own_team(app, team_case):
    manager = signed_in(app, team_case["manager"])
    view = manager.get(f"/staff/teams/{team_case['team']}/service")
    assert view.status_code == 200
    html = view.get_data(as_text=True)
    main = html.split("<main")[1].split("</main>")[0]
    assert "<svg" in main and "<table" in main and "<script" not in main
    assert "Open cases per key worker" in html
    other = signed_in(app, team_case["other"])
    for path in ("service", "report", "report.csv", "gaps.csv"):
        assert other.get(f"/staff/teams/{team_case['team']}/{path}").status_code == 404
    assert (
        manager.get(f"/staff/teams/{team_case['team']}/service?quarter=nonsense").status_code == 404
    )


def test_service_gaps_are_counted_without_names_and_small_numbers_suppressed(app, team_case):
    kw = signed_in(app, team_case["kw"])
    path = f"/staff/cases/{team_case['case']}/gaps"
    today = date.today().isoformat()
    for _i in range(6):
        assert kw.post_form(path, {"need": "respite", "noted_on": today}).status_code == 302
    kw.post_form(path, {"need": "housing", "noted_on": today})
    bad = kw.post_form(path, {"need": "unicorns", "noted_on": "tomorrow"})
    assert bad.status_code == 400 and "Choose the need you could not meet." in bad.get_data(
        as_text=True
    )
    manager = signed_in(app, team_case["manager"])
    response = manager.get(f"/staff/teams/{team_case['team']}/gaps.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    month = date.today().strftime("%Y-%m")
    found = {r[1]: r[2] for r in rows[1:] if r[0] == month}
    assert found["No short breaks (respite)"] == "6"
    assert found["No suitable place to live"] == "fewer than 5"
    assert found["No speech and language therapy"] == "fewer than 5"  # 0 is under 5 too
    text = response.get_data(as_text=True)
    with app.app_context():
        from webapp.services import accounts

        assert accounts.user_by_email(team_case["young"]).name not in text


def test_suppression_and_formula_escaping():
    assert service_view.suppress(0) == "fewer than 5"
    assert service_view.suppress(4) == "fewer than 5"
    assert service_view.suppress(5) == "5"
    for bad in ("=SUM(A1)", "+1", "-1", "@cmd", "\tx"):
        assert service_view.safe_cell(bad) == "'" + bad
    assert service_view.safe_cell("Kim") == "Kim"
    text = service_view.to_csv(["=head"], [["=HYPERLINK(1)", "ok"]])
    assert "'=HYPERLINK(1)" in text and "'=head" in text


def test_quarterly_report_suppresses_and_escapes(app, team_case):
    with app.app_context():
        case = db.session.get(Case, team_case["case"])
        for i in range(5):
            db.session.add(Feedback(case_id=case.id, author_id=case.young_person_id,
                                    kind=FeedbackKind.GOOD, words=f"=cmd {i}", shared=True,
                                    client_key=f"k{i}", language="en", themes=""))  # fmt: skip
        db.session.commit()
    manager = signed_in(app, team_case["manager"])
    response = manager.get(f"/staff/teams/{team_case['team']}/report.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    by_measure = {r[3]: r[4] for r in rows[1:]}
    assert by_measure["Something good"] == "5"
    assert by_measure["A complaint"] == "fewer than 5"
    assert by_measure["Requests for help again"] == "fewer than 5"
    # Nothing anyone wrote is in the report.
    assert "=cmd" not in response.get_data(as_text=True)
    page = manager.get(f"/staff/teams/{team_case['team']}/report").get_data(as_text=True)
    assert "fewer than 5" in page and "Key working summary for" in page


def test_a_report_period_with_no_data(app, team_case):
    manager = signed_in(app, team_case["manager"])
    response = manager.get(f"/staff/teams/{team_case['team']}/report.csv?quarter=2020-Q1")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) > 10
    # Case counts are as things stand; everything in the period is none, shown suppressed.
    period_rows = [r for r in rows[1:] if r[2] != "Cases" or "period" in r[3]]
    assert all(r[4] == "fewer than 5" for r in period_rows)
    assert (
        manager.get(f"/staff/teams/{team_case['team']}/report?quarter=2020-Q1").status_code == 200
    )
    assert (
        manager.get(f"/staff/teams/{team_case['team']}/service?quarter=2020-Q1").status_code == 200
    )


def test_waiting_messages_and_check_ins_count_people(app, team_case):
    from webapp.models import Feeling
    from webapp.services import accounts, journal, messages

    with app.app_context():
        case = db.session.get(Case, team_case["case"])
        young = accounts.user_by_email(team_case["young"])
        conversation = messages.conversation_for(case, young)
        messages.send(conversation, young, "Hello?", "m1", case.team)
        # Pretend it was sent two weeks ago: longer than any promise.
        from webapp.models import Message

        for m in db.session.scalars(select(Message).where(
                Message.conversation_id == conversation.id)):  # fmt: skip
            m.created_at = utcnow() - timedelta(days=14)
        shared = journal.check_in(young, case, Feeling.RED, "c1")
        journal.save_details(shared, "", [], talk=False, share=True)
        journal.check_in(young, case, Feeling.RED, "c2")  # private: not counted
        db.session.commit()
        manager = accounts.user_by_email(team_case["manager"])
        period = service_view.quarter(None, date.today())
        f = service_view.figures(manager, case.team, period, date.today())
        assert len(f.waiting) == 1
        this_month = service_view.month_start(date.today())
        assert f.check_ins[this_month][:2] == (1, 1)


# Each figure is a link to the list behind it ---------------------------------------------------

FIGURE = re.compile(
    r'<a class="mkw-figure" href="([^"]+)" data-count="(\d+)"( data-measure)?>(.*?)</a>', re.S
)


def _figures(html: str) -> list[tuple[str, int, bool, str]]:
    return [(h.replace("&amp;", "&"), int(n), bool(m), text) for h, n, m, text in
            FIGURE.findall(html)]  # fmt: skip


def _fill_every_list(app) -> None:
    """The demo team, with something in the lists the demo leaves empty: a case opened today,
    a conversation waiting two weeks, a request for help again with its first contact, and an
    escalated barrier."""
    from webapp.models import ContactWay, Message, Urgency
    from webapp.services import accounts, help_again, messages, register

    with app.app_context():
        morgan = accounts.user_by_email("morgan@example.org")
        kim = accounts.user_by_email("kim@example.org")
        sams_case = db.session.get(Case, 1)
        assert sams_case.team_id == morgan.team_id
        fresh = CaseFactory(team=sams_case.team)
        CaseKeyWorkerFactory(case=fresh, user=kim)
        sam = accounts.user_by_email("sam@example.org")
        conversation = messages.conversation_for(sams_case, sam)
        messages.send(conversation, sam, "Are you there?", "late-1", sams_case.team)
        for m in db.session.scalars(select(Message).where(
                Message.conversation_id == conversation.id)):  # fmt: skip
            m.created_at = utcnow() - timedelta(days=14)
        chris = accounts.user_by_email("chris@example.org")
        jordans_case = db.session.get(Case, 3)
        asked = help_again.ask(
            jordans_case, chris, client_key="again-1", happening="Jordan is not sleeping.",
            tags=[], urgency=Urgency.THIS_WEEK, contact_way=ContactWay.PHONE,
            phone="07700 900123", email=None, best_times=None, shared=True,
        )  # fmt: skip
        help_again.record_contact(asked.request, "Kim phoned Chris.", kim)
        barrier = register.barriers(sams_case)[0]
        register.add_barrier_step(barrier, morgan, BarrierStepKind.ESCALATED, "To the head.")
        db.session.commit()


def test_each_figure_links_to_the_list_it_counts(app):
    _fill_every_list(app)
    manager = signed_in(app, "morgan@example.org")
    html = manager.get("/staff/teams/1/service").get_data(as_text=True)
    found = _figures(html)
    lists = set()
    for href, count, measure, text in found:
        page = manager.get(href)
        assert page.status_code == 200, href
        assert page.get_data(as_text=True).count("data-record") == count, href
        if not measure:  # the number shown is the count (a share or a median is a measure)
            assert re.search(rf"(?<!\d){count}(?!\d)", text), (href, text)
        lists.add(href.split("/service/")[1].split("?")[0])
    # Every kind of list is reached, and every kind has something in it here.
    assert lists == set(service_view.LISTS)
    for name in service_view.LISTS:
        assert any(n for h, n, _m, _t in found if f"/service/{name}?" in h), name
    # Every number in the page's tables is a link, except the check-ins: counts of people,
    # never a list of whose check-ins they are (the issue says so).
    main = html.split("<main")[1].split("</main>")[0]
    for table in re.findall(r"<table.*?</table>", main, re.S):
        if "check-ins" in table or "red days" in table:
            assert "mkw-figure" not in table
            continue
        for cell in re.findall(r"<td>(.*?)</td>", table, re.S):
            assert "mkw-figure" in cell, cell


def test_the_caseloads_on_the_managers_home_link_to_each_key_workers_cases(app):
    manager = signed_in(app, "morgan@example.org")
    found = _figures(manager.get("/").get_data(as_text=True))
    assert len(found) == 2  # Kim and Lee
    for href, count, _measure, text in found:
        assert str(count) in text
        assert manager.get(href).get_data(as_text=True).count("data-record") == count


def test_the_lists_behind_the_figures_are_for_the_managers_own_team(app, team_case):
    """Another team's manager, a key worker and an address naming no list all get 404."""
    team = team_case["team"]
    paths = [
        f"/staff/teams/{team}/service/{name}"
        for name in ("opened", "closed", "waiting", "requests", "contacted", "feedback", "barriers")
    ]
    paths.append(f"/staff/teams/{team}/service/cases?status=active&rating=red")
    manager = signed_in(app, team_case["manager"])
    for path in paths:
        assert manager.get(path).status_code == 200, path
    for email in (team_case["other"], team_case["kw"]):
        other = signed_in(app, email)
        for path in paths:
            assert other.get(path).status_code == 404, (email, path)
    for bad in ("nonsense", "cases?status=open&rating=purple", "caseload?key_worker=999999",
                "caseload?key_worker=x", "answers?month=2001-01&question=listened",
                "answers?month=this-month&question=better", "gaps?need=unicorns",
                "gaps?month=2001-01", "feedback?kind=praise", "feedback?theme=weather",
                "opened?quarter=2026-Q9"):  # fmt: skip
        assert manager.get(f"/staff/teams/{team}/service/{bad}").status_code == 404, bad
    # A case of the demo team never shows in this team's lists.
    text = manager.get(f"/staff/teams/{team}/service/cases?status=active&rating=red")
    assert "Priya" not in text.get_data(as_text=True)
