"""Amber meets my own plan: the agreed "what helps" items at once, "Did it help?" later, and
the answers beside those items in the staff plan editor."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HelpedAnswer, JournalEntry


def _amber(sam):
    page = sam.get("/journal/").get_data(as_text=True)
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    response = sam.post_form("/journal/check-in", {"feeling": "amber", "client_key": key},
                             page="/journal/")  # fmt: skip
    return response.headers["Location"]


def _age(app, path, by=timedelta(hours=2)):
    entry_id = int(path.rstrip("/").split("/")[-1])
    with app.app_context():
        entry = db.session.get(JournalEntry, entry_id)
        entry.created_at = entry.created_at - by
        db.session.commit()
    return entry_id


def test_amber_shows_my_agreed_what_helps_straight_away_and_asks_later(app, as_user):
    sam = as_user("sam")
    path = _amber(sam)
    page = sam.get(path).get_data(as_text=True)
    assert "what helps when you are getting worried" in page
    assert "Quiet time with my headphones." in page and "Text Kim and ask for a chat." in page
    assert "I stop eating" not in page  # the signs are not what helps
    assert "Did it help?" not in page and "Later, we will ask you if it helped." in page
    assert "Did your plan help?" not in sam.get("/journal/").get_data(as_text=True)

    _age(app, path)
    index = sam.get("/journal/").get_data(as_text=True)
    assert "Did your plan help?" in index and path in index
    page = sam.get(path).get_data(as_text=True)
    assert "Did it help?" in page
    keys = re.findall(r'name="helped-([^"]+)"', page)
    assert len(set(keys)) == 2

    bad = sam.post_form(path + "/helped", {}, page=path)
    assert bad.status_code == 400
    assert "Choose yes, a bit or no for at least 1 thing." in bad.get_data(as_text=True)

    first, second = sorted(set(keys), key=keys.index)
    ok = sam.post_form(path + "/helped", {f"helped-{first}": "yes", f"helped-{second}": "a_bit",
                                          "helped-not-an-item": "yes"}, page=path)  # fmt: skip
    assert ok.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(HelpedAnswer)).all()
        assert {(r.item_key, r.answer) for r in rows} == {(first, "yes"), (second, "a_bit")}
    assert "Did your plan help?" not in sam.get("/journal/").get_data(as_text=True)
    # answering again changes the answer, never doubles it
    sam.post_form(path + "/helped", {f"helped-{first}": "no"}, page=path)
    with app.app_context():
        assert db.session.query(HelpedAnswer).count() == 2

    editor = as_user("kim").get("/staff/cases/1/plan/edit").get_data(as_text=True)
    assert "Yes 0, a bit 0, no 1" in editor and "Yes 0, a bit 1, no 0" in editor


def test_amber_items_come_from_the_agreed_version_not_a_newer_draft(app, as_user):
    with app.app_context():
        from webapp.services import accounts, amber, cases

        sam = accounts.user_by_email("sam@example.org")
        case = cases.case_for_family_member(sam)
        items = amber.helps_items(case, sam)
        from webapp.services import plans

        plan = plans.plan_for_case(case.id)
        agreed, latest = plans.agreed_version(plan), plans.latest_version(plan)
        assert {i.version_id for i in items} == {agreed.id}
        assert agreed.number <= latest.number


def test_only_the_young_person_answers_and_only_case_staff_see_the_answers(app, as_user):
    sam = as_user("sam")
    path = _amber(sam)
    _age(app, path)
    page = sam.get(path).get_data(as_text=True)
    key = re.findall(r'name="helped-([^"]+)"', page)[0]
    sam.post_form(path + "/helped", {f"helped-{key}": "yes"}, page=path)
    assert as_user("alex").post_form(path + "/helped", {f"helped-{key}": "no"},
                                     page="/journal/").status_code == 404  # fmt: skip
    lee = as_user("lee").get("/staff/cases/1/plan/edit")
    assert lee.status_code == 404  # not Sam's key worker
