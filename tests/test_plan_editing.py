"""A key worker edits one item of the plan: the form shows what is there, a save goes into the
draft (the family sees nothing until "Share these changes", which makes one new version and keeps
the old one), bad input and a stale page are told kindly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from tests.factories import CaseFactory, CaseKeyWorkerFactory, KeyWorkerFactory
from webapp.models import ActionStatus, Part, Section, Words
from webapp.services import cases, plans
from webapp.services.plans import ItemDraft


@pytest.fixture
def plan(app):
    """A case with a key worker and a plan with one green item and one action, due yesterday."""
    with app.app_context():
        link = CaseKeyWorkerFactory()
        case, key_worker = link.case, link.user
        plan = plans.start_plan(case, key_worker)
        plans.add_item(
            plan, 0, key_worker,
            ItemDraft(Section.GREEN, Part.KEEPS_WELL, "Walking the dog.", Words.YOUNG_PERSON,
                      picture="dog", picture_alt="A dog"),
        )  # fmt: skip
        plans.add_item(
            plan, 1, key_worker,
            ItemDraft(Section.ACTIONS, Part.ACTION, "Find a college course.", Words.KEY_WORKER,
                      owner="Kim", due=date.today() - timedelta(days=1),
                      status=ActionStatus.IN_PROGRESS),
        )  # fmt: skip
        assert plans.share_changes(plan, 2, key_worker).number == 2  # revision 3 now
        items = {i.section: i.key for i in plans.latest_version(plan).items}
        return {
            "case": case.id,
            "email": key_worker.email,
            "green": items[Section.GREEN],
            "action": items[Section.ACTIONS],
        }


def _latest(app, case_id: int):
    """The newest shared version: what the family sees."""
    with app.app_context():
        version = plans.latest_version(plans.plan_for_case(case_id))
        return version.number, {i.key: i for i in version.items}


def _draft(app, case_id: int):
    """The draft's revision and what staff are editing."""
    with app.app_context():
        plan = plans.plan_for_case(case_id)
        return plans.revision(plan), {i.key: i for i in plans.editing_items(plan)}


def _share(client, plan, base: int):
    return client.post_form(
        f"/staff/cases/{plan['case']}/plan/share",
        {"base_version": str(base)},
        page=f"/staff/cases/{plan['case']}/plan/edit",
    )


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _field(page: BeautifulSoup, name: str) -> str:
    found = page.find(attrs={"name": name})
    assert found is not None, name
    if found.name == "textarea":
        return found.get_text()
    return found.get("value", "")


def _checked(page: BeautifulSoup, name: str) -> str | None:
    found = page.find("input", attrs={"name": name, "checked": True})
    return found["value"] if found else None


def test_the_edit_form_shows_the_item_as_it_is(app, client, plan):
    client.sign_in(plan["email"])
    path = f"/staff/cases/{plan['case']}/plan/items/{plan['green']}"
    page = _soup(client.get(path))
    assert _field(page, "text") == "Walking the dog."
    assert _field(page, "base_version") == "3"
    assert _field(page, "picture_alt") == "A dog"
    assert _checked(page, "words") == "young_person"
    assert _checked(page, "picture") == "dog"
    action = _soup(client.get(f"/staff/cases/{plan['case']}/plan/items/{plan['action']}"))
    assert _field(action, "owner") == "Kim"
    assert _field(action, "due") == (date.today() - timedelta(days=1)).isoformat()
    assert _checked(action, "status") == "in_progress"


def test_saving_an_edit_goes_into_the_draft_and_sharing_makes_one_version(app, client, plan):
    client.sign_in(plan["email"])
    path = f"/staff/cases/{plan['case']}/plan/items/{plan['green']}"
    response = client.post_form(
        path,
        {"base_version": "3", "part": "keeps-well", "text": "Walking the dog every morning.",
         "words": "young_person", "picture": "dog", "picture_alt": "A dog"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/plan/edit#section-{Section.GREEN.value}")
    # The family still reads version 2; staff see the change in a draft, clearly marked.
    number, items = _latest(app, plan["case"])
    assert number == 2 and items[plan["green"]].text == "Walking the dog."
    revision, draft = _draft(app, plan["case"])
    assert revision == 4 and draft[plan["green"]].text == "Walking the dog every morning."
    overview = _soup(client.get(f"/staff/cases/{plan['case']}/plan/edit"))
    text = overview.get_text(" ", strip=True)
    assert "Saved in the draft. The family will see it when you share these changes." in text
    assert overview.find("h2", string="Draft — not shared yet") is not None
    assert "The family still sees version 2" in text
    assert "Something was changed in Green: when I am OK." in text
    assert "Not shared yet" in overview.find(id=f"item-{plan['green']}").get_text()
    # A second change, then one press: one new version holding both.
    response = client.post_form(
        f"/staff/cases/{plan['case']}/plan/items/{plan['action']}",
        {"base_version": "4", "part": "action", "text": "Find a college course.",
         "words": "key_worker", "owner": "Kim", "due": (date.today() - timedelta(days=1))
         .isoformat(), "status": "done"},
    )  # fmt: skip
    assert response.status_code == 302
    assert _share(client, plan, 5).status_code == 302
    number, items = _latest(app, plan["case"])
    assert number == 3
    assert items[plan["green"]].text == "Walking the dog every morning."
    assert items[plan["action"]].status is ActionStatus.DONE
    with app.app_context():
        p = plans.plan_for_case(plan["case"])
        old = plans.version_by_number(p, 2)
        assert {i.key: i.text for i in old.items}[plan["green"]] == "Walking the dog."
        assert plans.latest_version(p).change == "edited:green edited:actions"
        assert plans.open_draft(p) is None
    overview = _soup(client.get(f"/staff/cases/{plan['case']}/plan/edit"))
    text = overview.get_text(" ", strip=True)
    assert "Shared. The family now sees these changes" in text
    assert "The family sees version 3" in text and "Not shared yet" not in text


def test_an_overdue_action_can_be_edited_without_moving_its_date(app, client, plan):
    """Only a new action must be due in the future; an old one keeps its date."""
    client.sign_in(plan["email"])
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client.post_form(
        f"/staff/cases/{plan['case']}/plan/items/{plan['action']}",
        {"base_version": "3", "part": "action", "text": "Find a college course.",
         "words": "key_worker", "owner": "Kim and Sam", "due": yesterday, "status": "done"},
    )  # fmt: skip
    assert response.status_code == 302
    action = _draft(app, plan["case"])[1][plan["action"]]
    assert (action.owner, action.status, action.due.isoformat()) == (
        "Kim and Sam",
        ActionStatus.DONE,
        yesterday,
    )


def test_bad_input_on_an_edit_keeps_what_was_typed(app, client, plan):
    client.sign_in(plan["email"])
    path = f"/staff/cases/{plan['case']}/plan/items/{plan['action']}"
    response = client.post_form(
        path,
        {"base_version": "3", "part": "action", "text": "Find a course near home.",
         "words": "key_worker", "owner": "", "due": "next week", "status": "in_progress"},
    )  # fmt: skip
    assert response.status_code == 400
    page = _soup(response)
    assert page.title.get_text(strip=True).startswith("Error: ")
    summary = page.find(class_="nhsuk-error-summary").get_text(" ", strip=True)
    assert "Write who will do this action." in summary
    assert "Write the date the action should be done by, like 2027-03-31." in summary
    assert _field(page, "text") == "Find a course near home."
    assert _field(page, "due") == "next week"
    assert _draft(app, plan["case"])[0] == 3  # nothing saved


def test_an_edit_on_an_old_page_is_refused_and_keeps_the_words(app, client, plan):
    client.sign_in(plan["email"])
    path = f"/staff/cases/{plan['case']}/plan/items/{plan['green']}"
    response = client.post_form(
        path,
        {"base_version": "2", "part": "keeps-well", "text": "Walking the dog at night.",
         "words": "young_person"},
    )  # fmt: skip
    assert response.status_code == 409
    page = _soup(response)
    assert _field(page, "text") == "Walking the dog at night."
    assert _field(page, "base_version") == "3"  # the next save is on the newest
    assert _draft(app, plan["case"])[1][plan["green"]].text == "Walking the dog."


def test_sharing_or_throwing_away_from_an_old_page_is_refused(app, client, plan):
    client.sign_in(plan["email"])
    edit = f"/staff/cases/{plan['case']}/plan/items/{plan['green']}"
    client.post_form(
        edit, {"base_version": "3", "part": "keeps-well", "text": "Walking the dog at noon.",
               "words": "young_person"},
    )  # fmt: skip
    # Someone else's page still names revision 3: nothing is shared or lost.
    _share(client, plan, 3)
    assert _latest(app, plan["case"])[0] == 2
    page = _soup(client.get(f"/staff/cases/{plan['case']}/plan/edit")).get_text(" ", strip=True)
    assert "Someone else changed the plan a moment ago, so nothing was changed." in page
    client.post_form(
        f"/staff/cases/{plan['case']}/plan/discard", {"base_version": "3"},
        page=f"/staff/cases/{plan['case']}/plan/edit",
    )  # fmt: skip
    assert _draft(app, plan["case"])[1][plan["green"]].text == "Walking the dog at noon."
    # From the page as it is now, throwing away puts back what the family sees.
    client.post_form(
        f"/staff/cases/{plan['case']}/plan/discard", {"base_version": "4"},
        page=f"/staff/cases/{plan['case']}/plan/edit",
    )  # fmt: skip
    revision, items = _draft(app, plan["case"])
    assert revision == 5 and items[plan["green"]].text == "Walking the dog."
    with app.app_context():
        assert plans.open_draft(plans.plan_for_case(plan["case"])) is None
    # Sharing with nothing changed makes no version.
    client.post_form(
        edit, {"base_version": "5", "part": "keeps-well", "text": "Walking the dog.",
               "words": "young_person", "picture": "dog", "picture_alt": "A dog"},
    )  # fmt: skip
    _share(client, plan, 6)
    assert _latest(app, plan["case"])[0] == 2
    page = _soup(client.get(f"/staff/cases/{plan['case']}/plan/edit")).get_text(" ", strip=True)
    assert "Nothing was different from what the family sees, so nothing was shared." in page


def test_the_family_never_sees_the_draft(app, client, plan):
    """Not on any plan page, not in what changed, not in the print page."""
    client.sign_in(plan["email"])
    client.post_form(
        f"/staff/cases/{plan['case']}/plan/green/new",
        {"base_version": "3", "part": "keeps-well", "text": "A draft-only marker.",
         "words": "key_worker"},
    )  # fmt: skip
    with app.app_context():
        case = cases.case_by_id(plan["case"])
        young_person = case.young_person.email
    family = client.application.test_client()
    family.sign_in(young_person)
    for path in ("", "green", "print", "versions", "versions/2"):
        page = family.get(f"/cases/{plan['case']}/plan/{path}")
        assert page.status_code == 200, path
        assert "A draft-only marker." not in page.get_data(as_text=True), path
    staff = client.get(f"/cases/{plan['case']}/plan/").get_data(as_text=True)
    assert "There are changes in a draft that the family cannot see yet." in staff


def test_searching_pictures_while_editing_saves_nothing(app, client, plan):
    client.sign_in(plan["email"])
    path = f"/staff/cases/{plan['case']}/plan/items/{plan['green']}"
    response = client.post_form(
        path,
        {"base_version": "3", "part": "keeps-well", "text": "Walking the dog.",
         "words": "young_person", "picture": "dog", "picture_search": "swim",
         "find-pictures": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    page = _soup(response)
    offered = [i["value"] for i in page.find_all("input", attrs={"name": "picture"})]
    assert offered[:2] == ["", "dog"] and "swimming" in offered  # "", no picture
    assert _draft(app, plan["case"])[0] == 3


def test_an_unknown_item_or_another_key_workers_case_is_404(app, client, plan):
    with app.app_context():
        other = KeyWorkerFactory(team=cases.case_by_id(plan["case"]).team).email
        stranger_case = CaseFactory().id
    client.sign_in(plan["email"])
    assert client.get(f"/staff/cases/{plan['case']}/plan/items/{'0' * 32}").status_code == 404
    assert client.get(f"/staff/cases/{stranger_case}/plan/items/{plan['green']}").status_code == 404
    colleague = client.application.test_client()
    colleague.sign_in(other)  # same team, not on this case
    path = f"/staff/cases/{plan['case']}/plan/items/{plan['green']}"
    assert colleague.get(path).status_code == 404


@pytest.mark.parametrize("value", ["", "x", "-1", "9" * 30, "a\x00b", "3.5", "x" * 5000])
def test_share_and_throw_away_with_nonsense_change_nothing(app, client, plan, value):
    client.sign_in(plan["email"])
    client.post_form(
        f"/staff/cases/{plan['case']}/plan/green/new",
        {"base_version": "3", "part": "keeps-well", "text": "Kept in the draft.",
         "words": "key_worker"},
    )  # fmt: skip
    for action in ("share", "discard"):
        response = client.post_form(
            f"/staff/cases/{plan['case']}/plan/{action}", {"base_version": value},
            page=f"/staff/cases/{plan['case']}/plan/edit",
        )  # fmt: skip
        assert response.status_code in {302, 400}, (action, value)
    assert _latest(app, plan["case"])[0] == 2
    assert "Kept in the draft." in {i.text for i in _draft(app, plan["case"])[1].values()}
