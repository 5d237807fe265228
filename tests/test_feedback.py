"""Tell us what you think (Ask Listen Do): give, follow, answer; who sees it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from tests.conftest import signed_in
from tests.factories import (
    CaseCarerFactory,
    CaseFactory,
    CaseKeyWorkerFactory,
    ManagerFactory,
)
from webapp.extensions import db
from webapp.models import CaseStatus, Feedback


@dataclass
class Family:
    case_id: int
    young: str
    carer: str
    key_worker: str
    manager: str
    other_manager: str


@pytest.fixture
def family(app) -> Family:
    with app.app_context():
        case = CaseFactory()
        carer = CaseCarerFactory(case=case).user
        kw = CaseKeyWorkerFactory(case=case).user
        manager = ManagerFactory(team=case.team)
        other = ManagerFactory()
        return Family(case.id, case.young_person.email, carer.email, kw.email, manager.email,
                      other.email)  # fmt: skip


def _give(client, kind="good", words="Kim always listens.", **extra):
    key = extra.pop("client_key", "k1")
    data = {"kind": kind, "words": words, "client_key": key, **extra}
    return client.post_form("/feedback/new", data)


def _feedback_id(app, words: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Feedback.id).where(Feedback.words == words))


def test_a_young_person_gives_feedback_and_sees_what_happens(app, family):
    young = signed_in(app, family.young)
    form = young.get("/feedback/new").get_data(as_text=True)
    # The sentence about who will read it comes before the text box and is read with it.
    assert form.index("Your key worker and the team's manager will read this.") < form.index(
        'name="words"'
    )
    assert re.search(r'aria-describedby="[^"]*words-who', form)
    assert 'type="radio"' in form and "Something good" in form and "A complaint" in form
    assert _give(young).status_code == 302
    assert _give(young).status_code == 302  # a double tap stores one
    with app.app_context():
        count = select(func.count(Feedback.id)).where(Feedback.words == "Kim always listens.")
        assert db.session.scalar(count) == 1
    mine = young.get("/feedback/").get_data(as_text=True)
    assert "Kim always listens." in mine and "The team has not looked at it yet." in mine

    fid = _feedback_id(app, "Kim always listens.")
    manager = signed_in(app, family.manager)
    page = f"/staff/feedback/{fid}"
    assert manager.post_form(page, {"action": "look"}).status_code == 302
    assert "The team looked at it on" in young.get("/feedback/").get_data(as_text=True)
    response = manager.post_form(page, {"what_we_did": "We told Kim.", "reply": "Thank you!",
                                        "themes": ["key_worker"]})  # fmt: skip
    assert response.status_code == 302
    mine = young.get("/feedback/").get_data(as_text=True)
    assert "We told Kim." in mine and "Thank you!" in mine
    assert "The key worker" in manager.get(page).get_data(as_text=True)
    # What was done and the reply are kept as sent.
    again = manager.post_form(page, {"what_we_did": "Changed", "reply": "Changed"},
                              page="/staff/feedback/")  # fmt: skip
    assert again.status_code == 404
    assert "We told Kim." in young.get("/feedback/").get_data(as_text=True)
    # Staff cannot change what the family wrote: the words stay as they were.
    with app.app_context():
        assert db.session.get(Feedback, fid).words == "Kim always listens."


def test_bad_feedback_is_refused_kindly(app, family):
    young = signed_in(app, family.young)
    empty = _give(young, words="   ")
    assert empty.status_code == 400
    text = empty.get_data(as_text=True)
    assert "Tell us what you think, in a few words." in text and "<title>Error:" in text
    unknown = _give(young, kind="bribe", words="Kept words")
    assert unknown.status_code == 400
    assert "Kept words" in unknown.get_data(as_text=True)
    assert "Choose a picture" in unknown.get_data(as_text=True)


def test_a_complaint_shows_the_route_and_works_after_closing(app, family):
    with app.app_context():
        from webapp.models import Case

        db.session.get(Case, family.case_id).status = CaseStatus.CLOSED
        db.session.commit()
    carer = signed_in(app, family.carer)
    page = carer.get("/feedback/new?kind=complaint").get_data(as_text=True)
    assert "PALS" in page and "How to make a complaint" in page
    assert _give(carer, kind="complaint", words="Nobody called back.").status_code == 302
    assert "Nobody called back." in carer.get("/feedback/").get_data(as_text=True)


def test_manager_only_feedback_is_kept_from_the_key_worker_and_the_family(app, family):
    young = signed_in(app, family.young)
    _give(young, words="Secret worry", kind="idea", manager_only="y", client_key="a")
    _give(young, words="Named praise", client_key="b")
    fid = _feedback_id(app, "Secret worry")
    kw = signed_in(app, family.key_worker)
    team = kw.get("/staff/feedback/").get_data(as_text=True)
    assert "Named praise" not in team  # the list shows no words
    assert kw.get(f"/staff/feedback/{fid}").status_code == 404
    assert kw.get(f"/staff/feedback/{_feedback_id(app, 'Named praise')}").status_code == 200
    manager = signed_in(app, family.manager)
    page = manager.get(f"/staff/feedback/{fid}").get_data(as_text=True)
    assert "Secret worry" in page and "Do not tell the key worker who wrote it." in page
    # The key worker cannot act on it either; another team's manager gets 404.
    assert kw.post_form(f"/staff/feedback/{_feedback_id(app, 'Named praise')}",
                        {"what_we_did": "x", "reply": "y"}).status_code == 404  # fmt: skip
    assert signed_in(app, family.other_manager).get(f"/staff/feedback/{fid}").status_code == 404
    # The carer never sees the young person's feedback.
    carer = signed_in(app, family.carer)
    assert "Secret worry" not in carer.get("/feedback/").get_data(as_text=True)
    assert carer.get(f"/staff/feedback/{fid}").status_code == 404


def test_feedback_cannot_be_forged_for_another_family(app, family):
    with app.app_context():
        other = CaseFactory()
        other_young = other.young_person.email
    outsider = signed_in(app, other_young)
    _give(outsider, words="Mine only")
    fid = _feedback_id(app, "Mine only")
    with app.app_context():
        assert db.session.get(Feedback, fid).case_id != family.case_id  # always their own case
    assert signed_in(app, family.manager).get(f"/staff/feedback/{fid}").status_code == 404


def test_outcome_needs_words(app, family):
    young = signed_in(app, family.young)
    _give(young, words="Hello")
    fid = _feedback_id(app, "Hello")
    manager = signed_in(app, family.manager)
    response = manager.post_form(f"/staff/feedback/{fid}", {"what_we_did": "", "reply": ""})
    assert response.status_code == 400
    assert "Write what the team did about it." in response.get_data(as_text=True)
