"""The plan: who sees what, whose words, versions and agreement, editing, bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from webapp.extensions import db
from webapp.models import Plan, PlanVersion
from webapp.services import plans

SAM, PRIYA, JORDAN = 1, 2, 3  # case ids in the demo data


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _version(app, case_id) -> int:
    with app.app_context():
        return plans.latest_version(plans.plan_for_case(case_id)).number


def _revision(app, case_id) -> int:
    """What the editor's forms name as their base: the draft's revision."""
    with app.app_context():
        return plans.revision(plans.plan_for_case(case_id))


def _share(app, client, case_id) -> None:
    """The key worker presses "Share these changes"."""
    response = client.post_form(
        f"/staff/cases/{case_id}/plan/share",
        {"base_version": str(_revision(app, case_id))},
        page=f"/staff/cases/{case_id}/plan/edit",
    )
    assert response.status_code == 302


# Who sees what ---------------------------------------------------------------------------

PLAN_PATHS = [
    "/cases/{id}/plan/",
    "/cases/{id}/plan/about-me",
    "/cases/{id}/plan/red",
    "/cases/{id}/plan/versions",
    "/cases/{id}/plan/versions/2",
    "/cases/{id}/plan/print",
]


@pytest.mark.parametrize(
    "name, own, others",
    [
        ("sam", [SAM], [PRIYA, JORDAN]),
        ("alex", [SAM], [PRIYA, JORDAN]),
        ("priya", [PRIYA], [SAM, JORDAN]),
        ("nadia", [PRIYA], [SAM, JORDAN]),
        ("kim", [SAM, JORDAN], [PRIYA]),
        ("lee", [PRIYA], [SAM, JORDAN]),
        ("morgan", [SAM, PRIYA, JORDAN], []),
        ("robin", [], [SAM, PRIYA, JORDAN]),
    ],
)
def test_each_role_sees_only_the_plans_it_may(as_user, name, own, others):
    client = as_user(name)
    for case_id in own:
        for path in PLAN_PATHS:
            assert client.get(path.format(id=case_id)).status_code == 200, (name, path, case_id)
    for case_id in others:
        for path in [*PLAN_PATHS, "/cases/{id}/plan/suggest", "/staff/cases/{id}/plan/edit"]:
            assert client.get(path.format(id=case_id)).status_code == 404, (name, path, case_id)


def test_families_cannot_open_the_editor_or_post_to_it(as_user):
    for name in ("sam", "alex"):
        client = as_user(name)
        assert client.get(f"/staff/cases/{SAM}/plan/edit").status_code == 404
        token = client.csrf_token("/settings/")
        response = client.post(
            f"/staff/cases/{SAM}/plan/green/new",
            data={"csrf_token": token, "text": "x", "words": "young_person", "base_version": "3"},
        )
        assert response.status_code == 404


def test_unknown_section_and_version_are_404(as_user):
    client = as_user("sam")
    assert client.get(f"/cases/{SAM}/plan/nonsense").status_code == 404
    assert client.get(f"/cases/{SAM}/plan/versions/99").status_code == 404


def test_carers_never_see_private_items(as_user):
    secret = "My friend Jay"
    assert secret in _page(as_user("sam"), f"/cases/{SAM}/plan/about-me")
    assert secret in _page(as_user("kim"), f"/cases/{SAM}/plan/about-me")
    carer = as_user("alex")
    for path in PLAN_PATHS:
        assert secret not in carer.get(path.format(id=SAM)).get_data(as_text=True), path
    assert secret not in _page(carer, f"/cases/{SAM}/plan/")  # nor in "what changed"


def test_my_plan_link_goes_to_the_family_plan(as_user):
    assert as_user("alex").get("/my-plan").headers["Location"] == f"/cases/{SAM}/plan/"
    assert as_user("kim").get("/my-plan").status_code == 404


# Reading --------------------------------------------------------------------------------


def test_whose_words_are_shown_from_the_readers_side(as_user):
    mine = _page(as_user("sam"), f"/cases/{SAM}/plan/about-me")
    assert "In my words" in mine
    assert "In the words of a parent or carer" in mine
    theirs = _page(as_user("alex"), f"/cases/{SAM}/plan/about-me")
    assert "In Sam&#39;s words" in theirs and "In my words" not in theirs
    goals = _page(as_user("sam"), f"/cases/{SAM}/plan/goals")
    assert "Written by the key worker" in goals


def test_red_section_ends_with_the_crisis_routes(as_user):
    page = _page(as_user("sam"), f"/cases/{SAM}/plan/red")
    assert page.index("Call Mum (Alex) first.") < page.rindex("If you are not safe now, call")
    for number in ("tel:999", "tel:111", "tel:08009159292"):
        assert number in page


def test_agreed_version_and_what_changed_since(as_user):
    page = _page(as_user("sam"), f"/cases/{SAM}/plan/")
    # The family reads dates and names, never version numbers (issue 23).
    assert "Your plan was last changed on" in page
    assert not re.search(r"version \d", BeautifulSoup(page, "html.parser").get_text(), re.I)
    assert "What changed since you agreed" in page  # the family's words
    assert "Added to Green: when I am OK: Playing football on Saturdays." in page
    staff = _page(as_user("kim"), f"/cases/{SAM}/plan/")
    assert "This is version 3 of the plan." in staff and "agreed version 2" in staff


def test_overdue_actions_are_visible_to_family_and_staff(as_user):
    nadia = as_user("nadia")  # reads in Urdu
    assert 'class="mkw-overdue"' in _page(nadia, f"/cases/{PRIYA}/plan/")
    assert "nhsuk-tag--red" in _page(nadia, f"/cases/{PRIYA}/plan/actions")
    for name in ("priya", "lee", "morgan"):
        contents = _page(as_user(name), f"/cases/{PRIYA}/plan/")
        assert "1 action is past its date." in contents, name
        actions = _page(as_user(name), f"/cases/{PRIYA}/plan/actions")
        assert "Late: past its date" in actions and "C(E)TR recommendation" in actions


def test_easy_read_and_standard_views(as_user):
    client = as_user("sam")  # Sam's setting is easy read
    easy = _page(client, f"/cases/{SAM}/plan/about-me")
    assert 'class="mkw-chunk"' in easy and "/static/dist/pictures/train." in easy
    assert "data-read-aloud" in easy
    standard = _page(client, f"/cases/{SAM}/plan/about-me?view=standard")
    assert 'class="mkw-item"' in standard and "pictures/train." not in standard
    assert re.search(r'<html[^>]*class="mkw-standard', standard)
    # The toggle is a form that saves the choice (issue 23), not a link for this page only.
    assert 'action="/settings/layout"' in standard and 'name="layout" value="easy_read"' in standard


def test_older_versions_stay_readable(as_user):
    page = _page(as_user("sam"), f"/cases/{SAM}/plan/versions/1")
    assert "This is an older version. The newest is version 3." in page
    versions = _page(as_user("sam"), f"/cases/{SAM}/plan/versions")
    assert "Agreed by Sam Taylor and Kim Okafor." in versions


def test_print_page_has_about_me_red_and_who_helps_only(as_user):
    page = _page(as_user("kim"), f"/cases/{SAM}/plan/print")
    for heading in ("About me", "Red: when I am in crisis", "Who helps me"):
        assert f"<h2>{heading}</h2>" in page
    assert "My goals</h2>" not in page and "Walking the dog" not in page
    assert "data-print" in page


# Agreeing --------------------------------------------------------------------------------


def test_young_person_and_key_worker_agree_the_latest_version(app, as_user):
    sam = as_user("sam")
    page = _page(sam, f"/cases/{SAM}/plan/")
    assert ">I agree<" in " ".join(page.split()).replace("> ", ">").replace(" <", "<")
    response = sam.post_form(
        f"/cases/{SAM}/plan/agree", {"version": "3"}, page=f"/cases/{SAM}/plan/"
    )
    assert response.status_code == 302
    page = _page(sam, f"/cases/{SAM}/plan/")
    assert 'action="/cases/1/plan/agree"' not in page
    assert "What changed since you agreed" not in page  # Sam agreed the newest
    # In Sam's words, with who now knows; no version number (issue 23).
    today = date.today()
    said = f"You agreed your plan on {today:%A} {today.day} {today:%B} {today.year}."
    assert said + " Kim can see that you agreed." in page
    # Alex (Sam's parent) reads it about Sam, and the message stays on the plan page.
    assert f"Sam agreed the plan on {today:%A} {today.day} {today:%B}" in _page(
        as_user("alex"), f"/cases/{SAM}/plan/"
    )
    kim = as_user("kim")
    kim.post_form(f"/cases/{SAM}/plan/agree", {"version": "3"}, page=f"/cases/{SAM}/plan/")
    assert "The family and the key worker agreed this version" in _page(kim, f"/cases/{SAM}/plan/")


def test_agreeing_an_old_version_is_refused_kindly(as_user):
    sam = as_user("sam")
    sam.post_form(f"/cases/{SAM}/plan/agree", {"version": "2"}, page=f"/cases/{SAM}/plan/")
    assert "The plan changed while you were reading it" in _page(sam, f"/cases/{SAM}/plan/")


def test_carer_agrees_only_for_a_young_person_under_16(as_user):
    agree = f'action="/cases/{SAM}/plan/agree"'
    assert agree not in _page(as_user("alex"), f"/cases/{SAM}/plan/")  # Sam is 16
    nadia = as_user("nadia")  # Priya is 15
    with_agree = _page(nadia, f"/cases/{PRIYA}/plan/")
    assert f'action="/cases/{PRIYA}/plan/agree"' not in with_agree  # agreed already
    alex = as_user("alex")
    token = alex.csrf_token(f"/cases/{SAM}/plan/")
    response = alex.post(f"/cases/{SAM}/plan/agree", data={"csrf_token": token, "version": "3"})
    assert response.status_code == 404


# Suggestions ------------------------------------------------------------------------------


def test_young_person_suggests_privately_and_key_worker_accepts(app, as_user):
    sam = as_user("sam")
    form = _page(sam, f"/cases/{SAM}/plan/suggest")
    assert "You can choose to keep this part private from them." in form
    response = sam.post_form(
        f"/cases/{SAM}/plan/suggest",
        {"section": "green/keeps-well", "text": "Drawing trains.", "private": "y"},
    )
    assert response.status_code == 302
    kim = as_user("kim")
    editor = _page(kim, f"/staff/cases/{SAM}/plan/edit")
    assert "Drawing trains." in editor and "kept private" in editor
    suggestion_id = re.findall(r"/plan/suggestions/(\d+)", editor)[-1]
    base = _version(app, SAM)
    kim.post_form(
        f"/staff/cases/{SAM}/plan/suggestions/{suggestion_id}",
        {"decision": "accept", "base_version": str(_revision(app, SAM))},
        page=f"/staff/cases/{SAM}/plan/edit",
    )
    assert _version(app, SAM) == base  # in the draft: Sam does not see it yet
    assert "Drawing trains." not in _page(sam, f"/cases/{SAM}/plan/green")
    _share(app, kim, SAM)
    assert _version(app, SAM) == base + 1
    assert "Drawing trains." in _page(sam, f"/cases/{SAM}/plan/green")
    assert "Drawing trains." not in _page(as_user("alex"), f"/cases/{SAM}/plan/green")


def test_carer_is_told_who_will_see_their_words(as_user):
    page = _page(as_user("alex"), f"/cases/{SAM}/plan/suggest")
    assert "keep this private" not in page.lower()
    # The suggestion itself goes to the team only; the plan is what Sam reads.
    assert "Your key working team will read this. Sam will not see it." in " ".join(page.split())
    assert "If it goes in the plan, Sam will see it there." in page


def test_under_16_is_told_their_carer_will_see_it(as_user):
    page = _page(as_user("priya"), f"/cases/{PRIYA}/plan/suggest")
    assert "They will see what you write here." in page
    assert 'name="private"' not in page


def test_suggestion_bad_input_keeps_the_words(as_user):
    sam = as_user("sam")
    page = sam.post_form(f"/cases/{SAM}/plan/suggest", {"section": "", "text": ""}).get_data(
        as_text=True
    )
    assert "Choose which part of your plan this is for." in page
    assert "Write what you want to add to your plan." in page
    long = "a" * 501
    page = sam.post_form(
        f"/cases/{SAM}/plan/suggest", {"section": "goals/goal", "text": long}
    ).get_data(as_text=True)
    assert "use 500 characters or fewer. You have used 501." in page
    assert long in page


def test_closed_case_cannot_suggest(as_user):
    assert as_user("jordan").get(f"/cases/{JORDAN}/plan/suggest").status_code == 404


# Editing ----------------------------------------------------------------------------------


def test_key_worker_adds_an_item_with_a_picture(app, as_user):
    kim = as_user("kim")
    base = _revision(app, SAM)
    found = kim.post_form(
        f"/staff/cases/{SAM}/plan/green/new",
        {"base_version": str(base), "text": "Swimming on Sundays.", "words": "young_person",
         "picture_search": "swim", "find-pictures": "1"},
        page=f"/staff/cases/{SAM}/plan/green/new",
    ).get_data(as_text=True)  # fmt: skip
    assert 'value="swimming"' in found and "Swimming on Sundays." in found
    assert _revision(app, SAM) == base  # searching saves nothing
    version = _version(app, SAM)
    saved = kim.post_form(
        f"/staff/cases/{SAM}/plan/green/new",
        {
            "base_version": str(base),
            "part": "keeps-well",
            "text": "Swimming on Sundays.",
            "words": "young_person",
            "picture": "swimming",
            "picture_alt": "Swimming",
        },
        page=f"/staff/cases/{SAM}/plan/green/new",
    )
    assert saved.status_code == 302
    assert _version(app, SAM) == version
    _share(app, kim, SAM)
    assert _version(app, SAM) == version + 1
    page = _page(as_user("sam"), f"/cases/{SAM}/plan/green")
    assert "Swimming on Sundays." in page and 'alt="Swimming"' in page
    versions = _page(kim, f"/cases/{SAM}/plan/versions")
    assert "Something was added to Green: when I am OK." in versions


def test_two_people_editing_at_once_do_not_overwrite_each_other(app, as_user):
    kim, morgan = as_user("kim"), as_user("morgan")
    base = _revision(app, SAM)
    first = kim.post_form(
        f"/staff/cases/{SAM}/plan/goals/new",
        {
            "base_version": str(base),
            "part": "goal",
            "text": "Learn to cook.",
            "words": "young_person",
        },
        page=f"/staff/cases/{SAM}/plan/goals/new",
    )
    assert first.status_code == 302
    second = morgan.post_form(
        f"/staff/cases/{SAM}/plan/goals/new",
        {
            "base_version": str(base),
            "part": "goal",
            "text": "Get a bus pass.",
            "words": "key_worker",
        },
        page=f"/staff/cases/{SAM}/plan/goals/new",
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else changed the plan while you were writing" in page
    assert "Get a bus pass." in page  # their words are kept
    assert f'name="base_version" value="{base + 1}"' in page
    with app.app_context():
        texts = [i.text for i in plans.editing_items(plans.plan_for_case(SAM))]
    assert "Learn to cook." in texts and "Get a bus pass." not in texts
    again = morgan.post_form(
        f"/staff/cases/{SAM}/plan/goals/new",
        {
            "base_version": str(base + 1),
            "part": "goal",
            "text": "Get a bus pass.",
            "words": "key_worker",
        },
        page=f"/staff/cases/{SAM}/plan/goals/new",
    )
    assert again.status_code == 302


def test_move_and_remove_then_share_make_one_new_version_and_keep_the_old(app, as_user):
    kim = as_user("kim")
    editor = _page(kim, f"/staff/cases/{SAM}/plan/edit")
    keys = re.findall(r"/plan/items/([0-9a-f]{32})\"", editor)
    key = keys[0]
    base = _version(app, SAM)
    revision = _revision(app, SAM)
    kim.post_form(
        f"/staff/cases/{SAM}/plan/items/{key}/move",
        {"base_version": str(revision), "direction": "down"},
        page=f"/staff/cases/{SAM}/plan/edit",
    )
    kim.post_form(
        f"/staff/cases/{SAM}/plan/items/{key}/remove",
        {"base_version": str(revision + 1)},
        page=f"/staff/cases/{SAM}/plan/edit",
    )
    assert _version(app, SAM) == base  # two changes, both in the draft
    _share(app, kim, SAM)
    assert _version(app, SAM) == base + 1  # one new version for both
    with app.app_context():
        plan = plans.plan_for_case(SAM)
        assert key not in {i.key for i in plans.latest_version(plan).items}
        assert key in {i.key for i in plans.version_by_number(plan, base).items}


def test_item_bad_input_is_specific_and_keeps_what_was_typed(app, as_user):
    kim = as_user("kim")
    base = _revision(app, SAM)
    path = f"/staff/cases/{SAM}/plan/actions/new"
    page = kim.post_form(
        path,
        {"base_version": str(base), "text": "", "words": "", "owner": "",
         "due": (date.today() - timedelta(days=1)).isoformat(), "status": "not_started",
         "picture": "unicorn-sparkles"},
    ).get_data(as_text=True)  # fmt: skip
    assert "Write what this part of the plan says." in page
    assert "Choose whose words these are." in page
    assert "Write who will do this action." in page
    assert "A new action cannot be due in the past." in page
    assert "We do not have that picture." in page
    long = "b" * 600
    page = kim.post_form(
        path, {"base_version": str(base), "text": long, "words": "key_worker", "owner": "Kim",
               "due": "next week", "status": "not_started"},
    ).get_data(as_text=True)  # fmt: skip
    assert "You have used 600." in page and long in page
    assert "Write the date the action should be done by" in page
    assert 'value="next week"' in page
    assert _revision(app, SAM) == base


def test_text_is_shown_as_text_never_run(app, as_user):
    kim = as_user("kim")
    kim.post_form(
        f"/staff/cases/{SAM}/plan/green/new",
        {
            "base_version": str(_revision(app, SAM)),
            "part": "keeps-well",
            "text": "<script>alert(1)</script>",
            "words": "key_worker",
        },
        page=f"/staff/cases/{SAM}/plan/green/new",
    )
    _share(app, kim, SAM)
    page = _page(as_user("sam"), f"/cases/{SAM}/plan/green")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_manager_can_start_a_plan(app, as_user, outbox):
    with app.app_context():
        plan = plans.plan_for_case(PRIYA)
        db.session.query(PlanVersion).filter_by(plan_id=plan.id).delete()
        db.session.query(Plan).filter_by(id=plan.id).delete()
        db.session.commit()
    assert "The plan has not been started yet." in _page(as_user("priya"), f"/cases/{PRIYA}/plan/")
    morgan = as_user("morgan")
    assert "Start the plan" in _page(morgan, f"/staff/cases/{PRIYA}/plan/edit")
    morgan.post_form(f"/staff/cases/{PRIYA}/plan/start", {}, page=f"/staff/cases/{PRIYA}/plan/edit")
    assert "The family sees version 1" in _page(morgan, f"/staff/cases/{PRIYA}/plan/edit")


# Communication needs -------------------------------------------------------------------------


def test_communication_needs_are_flagged_and_set_defaults(app, as_user):
    kim = as_user("kim")
    path = f"/staff/cases/{SAM}/people/4/communication"  # Alex
    response = kim.post_form(
        path, {"large_print": "y", "read_aloud": "y", "bsl": "y", "language": "", "other": ""}
    )
    assert response.status_code == 302
    for page in (f"/staff/cases/{SAM}", f"/staff/cases/{SAM}/plan/edit", f"/cases/{SAM}/plan/"):
        text = _page(kim, page)
        if "plan/edit" in page or page.startswith("/staff"):
            assert "Communication needs for Alex Taylor:" in text, page
            assert "large print; read aloud; BSL interpreter" in text
    html = _page(as_user("alex"), "/")
    assert "mkw-text-large" in re.search(r"<html[^>]*>", html).group(0)


def test_communication_needs_only_for_people_on_the_case(as_user):
    kim = as_user("kim")
    assert kim.get(f"/staff/cases/{SAM}/people/5/communication").status_code == 404  # Nadia
    assert as_user("lee").get(f"/staff/cases/{SAM}/people/1/communication").status_code == 404


def test_caseload_shows_overdue_actions_and_needs(app, as_user):
    page = _page(as_user("lee"), "/")
    assert re.search(r"Overdue actions </span>\s*1\s*</td>", page)
    kim = as_user("kim")
    kim.post_form(f"/staff/cases/{SAM}/people/1/communication", {"easy_read": "y"})
    assert "Has communication needs" in _page(kim, "/")


def test_a_recorded_language_becomes_the_persons_language(as_user):
    kim = as_user("kim")
    kim.post_form(f"/staff/cases/{SAM}/people/4/communication", {"language": "Urdu"})
    assert 'dir="rtl"' in _page(as_user("alex"), "/")
    kim.post_form(f"/staff/cases/{SAM}/people/1/communication", {"language": "French"})
    assert 'lang="en"' in _page(as_user("sam"), "/")  # not a language the app has yet
    kim.post_form(f"/staff/cases/{SAM}/people/1/communication", {"language": "Polish"})
    assert 'lang="pl"' in _page(as_user("sam"), "/")  # offered since its catalogue exists
