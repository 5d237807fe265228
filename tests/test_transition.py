"""Moving to adult services (issue 16, point 4): a section of the plan from the team's
transition age, actions that are steps in it, the caseload's flags as the age nears, the
register's summary, and a kind refusal for a young person too young to start."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from tests.conftest import signed_in
from tests.factories import CaseKeyWorkerFactory
from webapp.extensions import db
from webapp.models import ActionStatus, Case, CaseStatus, Part, Section, Words, utcnow
from webapp.services import accounts, demo, plans, register, transition
from webapp.services.plans import ItemDraft

SAM, PRIYA = 1, 2
SAM_SECTION = f"/cases/{SAM}/plan/moving-on"


def _text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")


def born_days_ago(years: int, days: int) -> date:
    """A birthday that makes someone `years` old and `days` days more today."""
    return transition.birthday(date.today(), -years) - timedelta(days=days)


@pytest.fixture
def young_case(app):
    """A key worker's case with a plan, for a young person of 12 (the team plans from 17)."""
    with app.app_context():
        link = CaseKeyWorkerFactory(case__young_person__date_of_birth=demo.born_years_ago(12))
        plans.start_plan(link.case, link.user)
        return {"case": link.case.id, "kw": link.user.email, "team": link.case.team_id}


# What the family and staff read ---------------------------------------------------------------


@pytest.mark.parametrize("email", ["sam", "alex", "kim", "morgan"])
def test_sams_plan_has_moving_to_adult_services_with_its_steps(app, email):
    reader = signed_in(app, f"{email}@example.org")
    contents = reader.get(f"/cases/{SAM}/plan/").get_data(as_text=True)
    assert SAM_SECTION in contents and "Moving to adult services" in contents
    page = reader.get(SAM_SECTION + "?view=easy-read")
    assert page.status_code == 200
    text = _text(page)
    # The three parts, in the reader's words, with the dates and the new team's number.
    own = email == "sam"
    assert ("What changes when I am 18" if own else "What changes when Sam is 18") in text
    assert ("What I want to keep" if own else "What Sam wants to keep") in text
    assert "I want to keep seeing Dr Ahmed." in text
    assert "0121 496 0002" in text and "When:" in text
    assert ("You will be 18 on" if own else "Sam will be 18 on") in text
    # The easy-read explanation from the library.
    assert "adult services help you instead of children's services" in text
    # The steps: actions, with who, by when and how far they have got.
    assert "Steps to get ready" in text
    for step in ("Ask adult services to meet Sam before 18.",
                 "Make a one-page profile for the new team with Sam.",
                 "Visit the adult team's building with Sam and Alex."):  # fmt: skip
        assert step in text
    assert "Who: Sam and Kim" in text and "Step in moving to adult services" in text
    # The same steps are in the plan's Actions.
    actions = _text(reader.get(f"/cases/{SAM}/plan/actions"))
    assert "Visit the adult team's building with Sam and Alex." in actions


def test_a_young_person_under_the_teams_age_has_no_section_yet(app):
    """Priya is 15; the demo team plans from 16."""
    nadia = signed_in(app, "nadia@example.org")
    assert f"/cases/{PRIYA}/plan/moving-on" not in nadia.get(f"/cases/{PRIYA}/plan/").get_data(
        as_text=True
    )
    assert nadia.get(f"/cases/{PRIYA}/plan/moving-on").status_code == 404
    lee = signed_in(app, "lee@example.org")
    page = _text(lee.get(f"/staff/cases/{PRIYA}/register"))
    assert "Priya will be 18 on" in page and "Planning has not started yet." in page
    assert "starts planning for adult services at 16" in page
    assert "Moving to adult services" not in _text(lee.get(f"/staff/cases/{PRIYA}/plan/edit"))


def test_a_closed_plan_gains_no_empty_section(app):
    """Jordan is 19 and key working has stopped: his plan stays as it was."""
    jordan = signed_in(app, "jordan@example.org")
    assert "/plan/moving-on" not in jordan.get("/cases/3/plan/").get_data(as_text=True)
    assert jordan.get("/cases/3/plan/moving-on").status_code == 404


def test_the_register_shows_when_planning_starts_and_the_steps(app):
    kim = signed_in(app, "kim@example.org")
    page = _text(kim.get(f"/staff/cases/{SAM}/register"))
    assert "Sam will be 18 on" in page
    assert "Your team starts planning for adult services at 16" in page
    assert "Ask adult services to meet Sam before 18." in page and "Who: Kim Okafor" in page
    assert "Add a step in moving to adult services" in page
    # Only the manager changes the team's age.
    assert "Change the age your team starts planning" not in page
    morgan = signed_in(app, "morgan@example.org")
    assert "Change the age your team starts planning" in _text(
        morgan.get(f"/staff/cases/{SAM}/register")
    )


def test_a_carer_does_not_see_steps_the_young_person_kept_from_them(app):
    with app.app_context():
        alex_id = accounts.user_by_email("alex@example.org").id
    sam = signed_in(app, "sam@example.org")
    choices = sam.get(f"/cases/{SAM}/plan/carers").get_data(as_text=True)
    assert 'value="moving-on"' in choices
    sees = ["about-me", "goals", "moving-on", "green", "amber", "red", "who-helps"]  # no actions
    assert sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(alex_id), "sees": sees},
                         page=f"/cases/{SAM}/plan/carers").status_code == 302  # fmt: skip
    alex = signed_in(app, "alex@example.org")
    text = _text(alex.get(SAM_SECTION))
    assert "I want to keep seeing Dr Ahmed." in text
    assert "Ask adult services to meet Sam before 18." not in text
    assert "There are no steps yet." in text
    sees.remove("moving-on")
    sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(alex_id), "sees": sees},
                  page=f"/cases/{SAM}/plan/carers")  # fmt: skip
    assert alex.get(SAM_SECTION).status_code == 404


def test_a_choice_about_a_section_the_plan_does_not_have_yet_is_kept(app):
    """Priya's plan has no Moving to adult services yet: saving her choices about the other
    sections keeps what she chose about it before. (She is 15: her key worker recorded that
    she is competent to choose.)"""
    with app.app_context():
        case = db.session.get(Case, PRIYA)
        case.carers[0].hidden_sections = "moving-on"
        case.competent_at, case.competent_reason = utcnow(), "Priya understands the choice."
        db.session.commit()
        nadia_id = case.carers[0].user_id
    priya = signed_in(app, "priya@example.org")
    page = priya.get(f"/cases/{PRIYA}/plan/carers").get_data(as_text=True)
    assert 'value="moving-on"' not in page
    sees = ["about-me", "goals", "green", "amber", "red", "who-helps"]
    response = priya.post_form(f"/cases/{PRIYA}/plan/carers", {"carer": str(nadia_id),
                               "sees": sees}, page=f"/cases/{PRIYA}/plan/carers")  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Case, PRIYA).carers[0].hidden_sections == "actions moving-on"


def test_the_young_person_says_what_they_want_to_keep(app):
    sam = signed_in(app, "sam@example.org")
    form = sam.get(f"/cases/{SAM}/plan/suggest").get_data(as_text=True)
    assert 'value="moving-on/keep"' in form
    response = sam.post_form(
        f"/cases/{SAM}/plan/suggest",
        {"section": "moving-on/keep", "text": "My music lessons.", "client_key": "keep-1"},
    )
    assert response.status_code == 302
    priya = signed_in(app, "priya@example.org")
    response = priya.post_form(
        f"/cases/{PRIYA}/plan/suggest",
        {"section": "moving-on/keep", "text": "My drawing club.", "client_key": "keep-2"},
    )
    assert "Choose which part of your plan this is for." in response.get_data(as_text=True)
    with app.app_context():
        waiting = plans.waiting_suggestions(plans.plan_for_case(PRIYA))
        assert not any(s.text == "My drawing club." for s in waiting)


# The caseload ---------------------------------------------------------------------------------


def test_the_caseload_flags_moving_to_adult_services(app):
    kim = signed_in(app, "kim@example.org")
    home = _text(kim.get("/"))
    assert "Adult services: 3 steps to do" in home  # Sam
    with app.app_context():
        kim_user = accounts.user_by_email("kim@example.org")
        team = kim_user.team
        today = date.today()

        def case_aged(years: int, days: int, status=CaseStatus.ACTIVE) -> Case:
            link = CaseKeyWorkerFactory(
                case__team=team, case__status=status, user=kim_user,
                case__young_person__date_of_birth=born_days_ago(years, days),
            )  # fmt: skip
            return link.case

        near = case_aged(15, 250)  # 16 in about 115 days: planning starts soon
        far = case_aged(15, 30)  # 16 in about 335 days: nothing yet
        started = case_aged(17, 10)  # planning started, no plan: no steps yet
        adult = case_aged(19, 10)  # 18 already, no steps: nothing to flag
        closed = case_aged(17, 10, CaseStatus.CLOSED)
        flags = transition.caseload_flags([near, far, started, adult, closed], today)
        assert flags[near.id].kind == "near"
        assert flags[near.id].starts_on == transition.birthday(near.young_person.date_of_birth, 16)
        assert flags[started.id].kind == "no_steps"
        assert far.id not in flags and adult.id not in flags and closed.id not in flags
        # A step done is not to do; when every step is done the flag goes.
        plan = plans.start_plan(started, kim_user)
        plans.add_item(plan, 0, kim_user, ItemDraft(
            Section.ACTIONS, Part.ACTION, "Meet the adult team.", Words.KEY_WORKER,
            owner="Kim", due=today, status=ActionStatus.DONE, transition=True,
        ))  # fmt: skip
        plans.share_changes(plan, 1, kim_user)
        assert started.id not in transition.caseload_flags([started], today)
        name = near.young_person.name
    home = kim.get("/").get_data(as_text=True)
    row = home.split(name)[1].split("</tr>")[0]
    assert "Adult services: planning starts" in row
    assert "#moving-on" in row


# Bad input ------------------------------------------------------------------------------------


def test_no_transition_plan_for_a_12_year_old(app, young_case):
    kw = signed_in(app, young_case["kw"])
    case_id = young_case["case"]
    new = f"/staff/cases/{case_id}/plan/moving-on/new"
    page = _text(kw.get(new))
    assert "is 12. Your team starts planning for adult services at 17" in page
    words = "At 18 her care moves to the adult team."
    response = kw.post_form(new, {"base_version": "0", "part": "at-18", "text": words,
                                  "words": "key_worker"})  # fmt: skip
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "is 12. Your team starts planning for adult services at 17" in html
    assert words in html  # what was typed stays
    assert "Error:" in html.split("<title>")[1].split("</title>")[0]
    # An action cannot be made a step either; without the box ticked it is saved.
    due = (date.today() + timedelta(days=9)).isoformat()
    action = {"base_version": "0", "part": "action", "text": "Visit the adult team.",
              "words": "key_worker", "owner": "Kim", "due": due,
              "status": "not_started"}  # fmt: skip
    new_action = f"/staff/cases/{case_id}/plan/actions/new"
    response = kw.post_form(new_action, {**action, "transition": "y"})
    assert response.status_code == 400
    assert "is 12. Your team starts planning" in response.get_data(as_text=True)
    assert kw.post_form(new_action, action).status_code == 302
    with app.app_context():
        items = plans.editing_items(plans.plan_for_case(case_id))
        assert [i.transition for i in items] == [False]
        assert not any(i.section is Section.MOVING_ON for i in items)
    # The family's plan has no such section, and staff get 404 for it too.
    assert kw.get(f"/cases/{case_id}/plan/moving-on").status_code == 404


def test_a_date_in_moving_on_must_be_a_date(app):
    kim = signed_in(app, "kim@example.org")
    with app.app_context():
        base = plans.revision(plans.plan_for_case(SAM))
    form = {"base_version": str(base), "part": "at-18", "text": "My benefits change.",
            "words": "key_worker", "due": "next spring"}  # fmt: skip
    response = kim.post_form(f"/staff/cases/{SAM}/plan/moving-on/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Write the date like 2027-03-31, or leave it empty." in html and "next spring" in html
    form["due"] = ""
    assert kim.post_form(f"/staff/cases/{SAM}/plan/moving-on/new", form).status_code == 302


# Steps flow into the plan's Actions -------------------------------------------------------------


def test_a_step_added_by_the_key_worker_reaches_the_family_when_shared(app):
    kim = signed_in(app, "kim@example.org")
    form_page = kim.get(f"/staff/cases/{SAM}/plan/actions/new?step=1").get_data(as_text=True)
    soup = BeautifulSoup(form_page, "html.parser")
    assert soup.find("input", attrs={"name": "transition"}).has_attr("checked")
    base = soup.find("input", attrs={"name": "base_version"})["value"]
    due = (date.today() + timedelta(days=20)).isoformat()
    response = kim.post_form(f"/staff/cases/{SAM}/plan/actions/new", {
        "base_version": base, "part": "action", "text": "Meet the adult team's nurse.",
        "words": "key_worker", "owner": "Kim Okafor", "due": due, "status": "not_started",
        "transition": "y",
    })  # fmt: skip
    assert response.status_code == 302
    sam = signed_in(app, "sam@example.org")
    assert "Meet the adult team's nurse." not in _text(sam.get(SAM_SECTION))  # a draft still
    with app.app_context():
        plan = plans.plan_for_case(SAM)
        plans.share_changes(plan, plans.revision(plan), accounts.user_by_email("kim@example.org"))
    assert "Meet the adult team's nurse." in _text(sam.get(SAM_SECTION))
    assert "Meet the adult team's nurse." in _text(sam.get(f"/cases/{SAM}/plan/actions"))
    assert "Adult services: 4 steps to do" in _text(kim.get("/"))


def test_a_step_stays_a_step_when_the_team_raises_its_age(app):
    """Existing steps are never refused: only new ones wait for the team's age."""
    with app.app_context():
        morgan = accounts.user_by_email("morgan@example.org")
        register.save_settings(
            morgan.team_id, morgan, after_discharge_rating=register.DsrRating.RED,
            after_discharge_days=14, caseload_limit=10, transition_age=18,
        )  # fmt: skip
        plan = plans.plan_for_case(SAM)
        step = next(i for i in plans.latest_version(plan).items if i.transition)
        key, base = step.key, plans.revision(plan)
    kim = signed_in(app, "kim@example.org")
    # Sam's section has items, so it stays in the plan.
    assert kim.get(SAM_SECTION).status_code == 200
    form = BeautifulSoup(kim.get(f"/staff/cases/{SAM}/plan/items/{key}").get_data(as_text=True),
                         "html.parser")  # fmt: skip
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")
            if i.get("type") not in ("radio", "checkbox") and i.get("name")}  # fmt: skip
    data.update({"text": "Ask adult services to meet Sam soon.", "part": "action",
                 "words": "key_worker", "status": "in_progress", "transition": "y",
                 "base_version": str(base)})  # fmt: skip
    assert kim.post_form(f"/staff/cases/{SAM}/plan/items/{key}", data).status_code == 302
    # A new moving-on item is now refused: Sam is 16, the team starts at 18.
    response = kim.post_form(f"/staff/cases/{SAM}/plan/moving-on/new", {
        "base_version": str(base + 1), "part": "keep", "text": "My bus pass.",
        "words": "young_person",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Sam is 16. Your team starts planning for adult services at 18" in response.get_data(
        as_text=True
    )
