"""The key worker's register (issue 16): the rating with its history, the caseload sorted by
rating with reviews due flagged, going into and leaving hospital with the 72-hour follow-up and
the team's rule after discharge, and what the family sees of it (only through policy)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bs4 import BeautifulSoup

from tests.conftest import signed_in
from tests.factories import (
    CaseCarerFactory,
    CaseFactory,
    CaseKeyWorkerFactory,
    ManagerFactory,
)
from webapp.extensions import db
from webapp.models import Case, CaseStatus, DsrRating, KeyWorkerRole, RatingChange
from webapp.services import register


def _setup(app, **case):
    """A case of our own: its key worker, a carer, the team's manager. Returns emails, id."""
    with app.app_context():
        link = CaseKeyWorkerFactory(case=CaseFactory(**case))
        carer = CaseCarerFactory(case=link.case)
        manager = ManagerFactory(team=link.case.team)
        register.first_rating(link.case, None)
        db.session.commit()
        return {
            "kw": link.user.email,
            "yp": link.case.young_person.email,
            "carer": carer.user.email,
            "manager": manager.email,
            "case": link.case.id,
            "name": link.case.young_person.name,
        }


def _text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def test_a_rating_change_is_a_new_row_with_who_when_and_why(app):
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    path = f"/staff/cases/{s['case']}/register/rating"
    review = (date.today() + timedelta(days=14)).isoformat()
    response = kw.post_form(
        path, {"rating": "red", "reason": "Not eating. marker-why", "review_on": review,
               "show_family": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    page = _text(kw.get(f"/staff/cases/{s['case']}/register"))
    assert "marker-why" in page
    assert "The rating when the case was opened." in page  # the first row is kept
    assert "The family was told, in kind words." in page
    with app.app_context():
        rows = db.session.query(RatingChange).filter_by(case_id=s["case"]).all()
        assert [r.rating for r in rows] == [DsrRating.AMBER, DsrRating.RED]
        assert db.session.get(Case, s["case"]).dsr_rating is DsrRating.RED
    # The family reads kind words, never the reason.
    for who in ("yp", "carer"):
        home = _text(signed_in(app, s[who]).get("/"))
        assert "extra support at the moment" in home
        assert "marker-why" not in home


def test_the_family_is_not_told_unless_the_team_chooses(app):
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    kw.post_form(
        f"/staff/cases/{s['case']}/register/rating",
        {"rating": "green", "reason": "Settled at college.",
         "review_on": (date.today() + timedelta(days=30)).isoformat()},
    )  # fmt: skip
    home = _text(signed_in(app, s["yp"]).get("/"))
    assert "Things are steady" not in home


def test_bad_rating_changes_get_kind_errors_and_keep_what_was_typed(app):
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    path = f"/staff/cases/{s['case']}/register/rating"
    past = (date.today() - timedelta(days=1)).isoformat()
    response = kw.post_form(path, {"rating": "red", "reason": "", "review_on": past})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "Enter why the rating is changing" in html
    assert "The review date must be today or later." in html
    assert f'value="{past}"' in html
    response = kw.post_form(
        path, {"rating": "purple", "reason": "Kept words", "review_on": "next week"}
    )
    html = response.get_data(as_text=True)
    assert "Choose the new rating." in html and "Kept words" in html
    assert "like 2026-12-24" in html
    with app.app_context():
        assert db.session.query(RatingChange).filter_by(case_id=s["case"]).count() == 1


def test_another_teams_case_and_a_closed_case_give_404(app):
    s = _setup(app)
    other = _setup(app)
    kw = signed_in(app, s["kw"])
    manager = signed_in(app, s["manager"])
    for client in (kw, manager):
        assert client.get(f"/staff/cases/{other['case']}/register").status_code == 404
        assert client.get(f"/staff/cases/{other['case']}/register/rating").status_code == 404
    closed = _setup(app, status=CaseStatus.CLOSED)
    kw = signed_in(app, closed["kw"])
    assert kw.get(f"/staff/cases/{closed['case']}/register").status_code == 200
    assert kw.get(f"/staff/cases/{closed['case']}/register/rating").status_code == 404
    # Families never reach the register.
    assert signed_in(app, s["yp"]).get(f"/staff/cases/{s['case']}/register").status_code == 404


def test_the_caseload_puts_blue_and_red_first_and_flags_reviews_due(app):
    with app.app_context():
        link = CaseKeyWorkerFactory(case=CaseFactory(dsr_rating=DsrRating.GREEN))
        kw, team = link.user, link.case.team
        names = {}
        for rating in (DsrRating.AMBER, DsrRating.RED, DsrRating.BLUE):
            case = CaseFactory(team=team, dsr_rating=rating)
            CaseKeyWorkerFactory(case=case, user=kw)
            names[rating] = case.young_person.name
        names[DsrRating.GREEN] = link.case.young_person.name
        register.change_rating(link.case, kw, DsrRating.GREEN, "Steady.", date.today(), False)
        email = kw.email
    page = signed_in(app, email).get("/").get_data(as_text=True)
    order = re.findall(r'href="/staff/cases/\d+">([^<]+)</a>', page)
    expected = [names[r] for r in (DsrRating.BLUE, DsrRating.RED, DsrRating.AMBER)]
    assert order[:3] == expected
    assert order[3] == names[DsrRating.GREEN]
    assert "Review due" in page
    # Each rating has a shape as well as a word and a colour.
    assert page.count('class="mkw-dsr__shape"') >= 4


def test_hospital_admission_discharge_follow_up_and_the_teams_rule(app):
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    base = f"/staff/cases/{s['case']}/register"
    # Leaving before going in: nothing to discharge yet.
    response = kw.post_form(
        f"{base}/discharge", {"discharged_on": date.today().isoformat(), "discharged_time": "10:00",
                              "discharged_to": "Home"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "is not in hospital. Record going into hospital first." in _text(response)

    admitted = date.today() - timedelta(days=5)
    response = kw.post_form(
        f"{base}/admission",
        {"admitted_on": admitted.isoformat(), "hospital": "The Oaks Unit", "ward": "Cedar ward",
         "phone": "0121 496 0100", "kind": "informal"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Case, s["case"]).dsr_rating is DsrRating.BLUE
    # The family sees the ward's contact details while admitted.
    for who in ("yp", "carer"):
        home = _text(signed_in(app, s[who]).get("/"))
        assert "Cedar ward" in home and "0121 496 0100" in home
    # A second admission while in hospital is refused.
    response = kw.post_form(
        f"{base}/admission",
        {"admitted_on": admitted.isoformat(), "hospital": "X", "ward": "Y", "phone": "1",
         "kind": "formal"},
    )  # fmt: skip
    assert response.status_code == 400

    # The manager changes the team's rule: Amber for 7 days after discharge.
    manager = signed_in(app, s["manager"])
    response = manager.post_form(
        "/staff/team/register",
        {"after_discharge_rating": "amber", "after_discharge_days": "7", "caseload_limit": "10",
         "transition_age": "17"},
    )  # fmt: skip
    assert response.status_code == 302

    before = (admitted - timedelta(days=1)).isoformat()
    response = kw.post_form(
        f"{base}/discharge",
        {"discharged_on": before, "discharged_time": "10:00", "discharged_to": "Home"},
    )
    assert response.status_code == 400
    assert "They cannot leave hospital before they went in." in _text(response)
    assert f'value="{before}"' in response.get_data(as_text=True)

    left = date.today() - timedelta(days=1)
    response = kw.post_form(
        f"{base}/discharge",
        {"discharged_on": left.isoformat(), "discharged_time": "10:00", "discharged_to": "Home"},
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, s["case"])
        assert case.dsr_rating is DsrRating.AMBER
        latest = register.latest_change(case)
        assert latest.by_rule and latest.review_on == left + timedelta(days=7)
        follow_up = register.open_follow_ups([case.id])[case.id]
        assert follow_up.follow_up_due - follow_up.discharged_at == timedelta(hours=72)
        follow_up_id = follow_up.id
    page = _text(kw.get(base))
    assert "for 7 days" in page and "within 72 hours" in page
    assert "Follow-up after hospital due" in _text(kw.get("/"))
    # Once discharged, the family no longer sees the ward.
    assert "Cedar ward" not in _text(signed_in(app, s["yp"]).get("/"))

    kw.post_form(f"{base}/follow-ups/{follow_up_id}", {}, page=base)
    assert "within 72 hours" not in _text(kw.get(base))
    assert "Follow-up after hospital due" not in _text(kw.get("/"))


def test_bad_admissions_and_settings_get_kind_errors(app):
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = kw.post_form(
        f"/staff/cases/{s['case']}/register/admission",
        {"admitted_on": tomorrow, "hospital": "The Oaks", "ward": "", "phone": "", "kind": ""},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in ("cannot be in the future", "Enter the name of the ward.",
                    "Enter the ward&#39;s phone number", "formal or informal"):  # fmt: skip
        assert message in page
    assert 'value="The Oaks"' in page
    # Only a manager sets the team's rules.
    assert kw.get("/staff/team/register").status_code == 404
    manager = signed_in(app, s["manager"])
    response = manager.post_form(
        "/staff/team/register",
        {"after_discharge_rating": "blue", "after_discharge_days": "0", "caseload_limit": "x",
         "transition_age": "30"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose the rating after someone leaves hospital." in page
    assert "from 1 to 90" in page and "from 1 to 50" in page and "from 14 to 18" in page


def test_the_demo_register(app, as_user):
    kim = as_user("kim")
    sam = _text(kim.get("/staff/cases/1/register"))
    assert "Sam has stopped going to college" in sam
    assert sam.index("Sam has stopped going") < sam.index("The rating when the case was opened.")
    lee = as_user("lee")
    priya = _text(lee.get("/staff/cases/2/register"))
    assert "Cedar ward" in priya and "Left on" in priya and "within 72 hours" in priya
    assert "Amber" in _text(as_user("sam").get("/")) or "more often" in _text(
        as_user("sam").get("/")
    )


def test_referral_permission_and_eligibility(app):
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    base = f"/staff/cases/{s['case']}/register"
    page = _text(kw.get(base))
    assert "The referral is not recorded yet" in page
    assert "Permission to be on the register is not recorded yet." in page

    response = kw.post_form(
        f"{base}/referral",
        {"source": "other", "source_detail": "", "referred_on": "someday", "condition": ""},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in ("Say which other way", "like 2026-09-14", "autism, both or neither"):
        assert message in html
    assert 'value="someday"' in html
    kw.post_form(
        f"{base}/referral",
        {"source": "cetr", "referred_on": "2026-09-14", "condition": "neither"},
    )
    assert "neither a learning disability nor autism" in _text(kw.get(base))
    kw.post_form(
        f"{base}/referral",
        {"source": "cetr", "referred_on": "2026-09-14", "condition": "autism"},
    )

    # The young person is 17: a parent cannot decide for them.
    response = kw.post_form(
        f"{base}/permission",
        {"given": "given", "giver": "parent_or_carer", "giver_name": "A Parent",
         "decided_on": date.today().isoformat(), "way": "phone"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "is 16 or over, so" in _text(response)
    assert 'value="A Parent"' in response.get_data(as_text=True)
    kw.post_form(
        f"{base}/permission",
        {"given": "given", "giver": "young_person", "giver_name": s["name"],
         "decided_on": date.today().isoformat(), "way": "in_person"},
    )  # fmt: skip
    page = _text(kw.get(base))
    assert "Yes: aged 17" in page
    kw.post_form(
        f"{base}/permission",
        {"given": "withdrawn", "giver": "young_person", "giver_name": s["name"],
         "decided_on": date.today().isoformat(), "way": "writing"},
    )  # fmt: skip
    page = _text(kw.get(base))
    assert "Permission to be on the register was withdrawn on" in page
    assert "Given by" in page and "Withdrawn by" in page  # both rows are kept


def test_permission_on_a_closed_case_and_ages_outside_key_working(app):
    closed = _setup(app, status=CaseStatus.CLOSED)
    kw = signed_in(app, closed["kw"])
    path = f"/staff/cases/{closed['case']}/register/permission"
    response = kw.post_form(
        path,
        {"given": "withdrawn", "giver": "young_person", "giver_name": "X",
         "decided_on": date.today().isoformat(), "way": "phone"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Key working with" in _text(response) and "has stopped" in _text(response)
    with app.app_context():
        case = db.session.get(Case, closed["case"])
        case.young_person.date_of_birth = date.today().replace(year=date.today().year - 27)
        db.session.commit()
    page = _text(kw.get(f"/staff/cases/{closed['case']}/register"))
    assert "Key working is for young people aged 0 to 25." in page


def test_barriers_are_escalated_by_a_senior_or_manager_and_show_on_the_caseload(app):
    s = _setup(app)
    with app.app_context():
        assistant = CaseKeyWorkerFactory(
            case=db.session.get(Case, s["case"]), role=KeyWorkerRole.ASSISTANT
        ).user.email
    helper = signed_in(app, assistant)
    base = f"/staff/cases/{s['case']}/register"
    response = helper.post_form(
        f"{base}/barriers/new", {"description": "", "raised_with": "", "raised_on": "2099-01-01"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter what is blocking the plan" in html and "cannot be in the future" in html
    response = helper.post_form(
        f"{base}/barriers/new",
        {"description": "No school place for 6 weeks", "raised_with": "The council",
         "raised_on": date.today().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert "1 open barrier" in _text(helper.get("/"))
    page = helper.get(base).get_data(as_text=True)
    barrier = re.search(r'href="(/staff/cases/\d+/register/barriers/\d+)"', page).group(1)
    # An assistant practitioner records; a senior practitioner or manager escalates.
    assert "escalates barriers" in _text(helper.get(barrier))
    refused = helper.post_form(barrier, {"kind": "escalated", "text": "x"}, page=base)
    assert refused.status_code == 404

    senior = signed_in(app, s["kw"])
    response = senior.post_form(barrier, {"kind": "", "text": ""})
    assert response.status_code == 400
    manager = signed_in(app, s["manager"])
    with app.app_context():
        team = db.session.get(Case, s["case"]).team_id
    service = f"/staff/teams/{team}/service"
    assert "1 barrier on the register is open now. 0 of them have been escalated." in _text(
        manager.get(service)
    )
    senior.post_form(barrier, {"kind": "escalated", "text": "Asked the head of SEND."})
    assert "1 of them has been escalated." in _text(manager.get(service))
    manager.post_form(barrier, {"kind": "outcome", "text": "A place from Monday."})
    page = _text(manager.get(barrier))
    assert "Asked the head of SEND." in page and "A place from Monday." in page and "Closed" in page
    assert "open barrier" not in _text(senior.get("/"))
    assert "0 barriers on the register are open now." in _text(manager.get(service))


def test_the_demo_barrier_and_referrals(as_user):
    kim = _text(as_user("kim").get("/"))
    assert "1 open barrier" in kim
    sam = _text(as_user("kim").get("/staff/cases/1/register"))
    assert "No college place for 6 weeks" in sam and "Yes: aged 16" in sam


def test_the_manager_sees_caseloads_against_the_limit_when_assigning(as_user):
    morgan = as_user("morgan")
    home = _text(morgan.get("/"))
    assert "The team's limit is 10 open cases" in home
    assert "Kim Okafor: 1 open case" in home  # Jordan's case is closed
    assert "Over the limit" not in home
    morgan.post_form(
        "/staff/team/register",
        {"after_discharge_rating": "red", "after_discharge_days": "14", "caseload_limit": "1",
         "transition_age": "17"},
    )  # fmt: skip
    assert "Kim Okafor: 1 of 1 case (full)" in morgan.get("/staff/cases/2").get_data(as_text=True)
    # The service view draws the team's limit from the same rule.
    assert "(the team's limit is 1)" in _text(morgan.get("/staff/teams/1/service"))
    page = morgan.get("/staff/cases/2").get_data(as_text=True)
    kim = re.search(r'<option value="(\d+)"[^>]*>Kim Okafor', page).group(1)
    morgan.post_form("/staff/cases/2/key-workers", {"key_worker_id": kim, "role": "senior"},
                     page="/staff/cases/2")  # fmt: skip
    home = _text(morgan.get("/"))
    assert "Kim Okafor: 2 open cases Over the limit" in home
    page = morgan.get("/staff/cases/1").get_data(as_text=True)
    assert "Kim Okafor: 2 of 1 case (over the limit)" in page


def test_nonsense_in_the_discharge_form_gets_a_kind_400(app):
    """The discharge form shows only while the young person is in hospital, so the crawl in
    tests/test_bad_input.py does not find it: nasty values are sent here instead."""
    s = _setup(app)
    kw = signed_in(app, s["kw"])
    base = f"/staff/cases/{s['case']}/register"
    admitted = (date.today() - timedelta(days=3)).isoformat()
    response = kw.post_form(
        f"{base}/admission",
        {"admitted_on": admitted, "hospital": "The Oaks Unit", "ward": "Cedar ward",
         "phone": "0121 496 0100", "kind": "informal"},
    )  # fmt: skip
    assert response.status_code == 302
    good = {"discharged_on": date.today().isoformat(), "discharged_time": "10:00",
            "discharged_to": "Home"}  # fmt: skip
    nasty = {"discharged_on": ("\x00", "9" * 30, "", "2026-02-30", "-1"),
             "discharged_time": ("\x00", "9" * 30, "", "25:99", "-1"),
             "discharged_to": ("\x00", "x" * 5000, "")}  # fmt: skip
    for field, values in nasty.items():
        for value in values:
            response = kw.post_form(f"{base}/discharge", {**good, field: value})
            assert response.status_code == 400, (field, value)
            assert "There is a problem" in _text(response)
    with app.app_context():
        assert register.current_admission(db.session.get(Case, s["case"])) is not None
