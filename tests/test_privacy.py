"""What a young person writes stays theirs: the help-again leak, the "who will see this"
sentence, and the integrity fixes found in the same probe."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

from bs4 import BeautifulSoup
from sqlalchemy import text

from tests.test_migrations import _scratch_database
from webapp import migrate
from webapp.extensions import db, make_engine
from webapp.models import HelpRequest, JournalEntry, Message, PlanSuggestion
from webapp.services import accounts

SAM, JORDAN = 1, 3
SECRET = "I have been self-harming and do not want Mum to know"


def _ask(client, **answers):
    data = {"client_key": uuid.uuid4().hex, "happening": SECRET, "urgency": "this_week",
            "contact_way": "phone", "phone": "07700 900123", "step": "3"}  # fmt: skip
    data.update(answers)
    return client.post_form("/help-again/ask", data, page="/help-again/ask")


def _text(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_a_young_persons_request_is_not_shown_to_their_parent(app, as_user):
    """The leak: Jordan (19) asks for help again; Chris, his parent, must not read it."""
    response = _ask(as_user("jordan"))
    assert response.status_code == 302
    chris = as_user("chris")
    for path in ("/help-again/", "/"):
        page = _text(chris, path)
        assert SECRET not in page and "Jordan Ellis asked for this." not in page
    # The team reads it, and is told it is private from the parents.
    kim = as_user("kim")
    with app.app_context():
        request_id = db.session.query(HelpRequest).one().id
    page = _text(kim, f"/staff/requests/{request_id}")
    assert SECRET in page and "It is private from their parents and carers" in page
    assert SECRET in _text(as_user("jordan"), "/help-again/")


def test_sharing_it_is_the_young_persons_choice(app, as_user):
    _ask(as_user("jordan"), share="y")
    page = _text(as_user("chris"), "/help-again/")
    assert SECRET in page and "Jordan Ellis asked for this." in page


def test_the_form_says_who_will_see_it_before_writing(as_user):
    soup = BeautifulSoup(_text(as_user("jordan"), "/help-again/ask"), "html.parser")
    box = soup.find("textarea", attrs={"name": "happening"})
    who = soup.find(id="happening-who")
    assert who is not None and "happening-who" in box["aria-describedby"].split()
    words = " ".join(who.get_text().split())
    assert words == (
        "Your key working team will read this. Your parents and carers will not see it, "
        "unless you choose to share it with them."
    )
    assert who.find("img") is not None  # a picture beside it
    assert soup.find("input", attrs={"name": "share"}) is not None
    # The sentence comes before the text box.
    assert str(soup).index('id="happening-who"') < str(soup).index('name="happening"')


def test_a_carer_is_told_the_young_person_will_be_told(app, as_user):
    chris = as_user("chris")
    soup = BeautifulSoup(_text(chris, "/help-again/ask"), "html.parser")
    words = " ".join(soup.find(id="happening-who").get_text().split())
    said = "Your key working team will read this. Jordan will be told, and can read it too."
    assert words == said
    assert soup.find("input", attrs={"name": "share"}) is None  # not a carer's choice
    page = _text(chris, _ask(chris, happening="Jordan is not sleeping.").headers["Location"])
    assert "Jordan will be told that you asked for help." in page
    assert "Jordan is not sleeping." in _text(as_user("jordan"), "/help-again/")


def test_under_16_the_carers_are_said_to_see_it(app, as_user):
    with app.app_context():
        jordan = accounts.user_by_email("jordan@example.org")
        jordan.date_of_birth = date(date.today().year - 15, 1, 1)
        db.session.commit()
    soup = BeautifulSoup(_text(as_user("jordan"), "/help-again/ask"), "html.parser")
    words = " ".join(soup.find(id="happening-who").get_text().split())
    assert words == "Your key working team will read this. Your parents or carers can read it too."
    assert soup.find("input", attrs={"name": "share"}) is None
    _ask(as_user("jordan"), happening="Under sixteen words.")
    assert "Under sixteen words." in _text(as_user("chris"), "/help-again/")


def test_every_family_text_box_says_who_will_see_it(as_user):
    pages = {
        "sam": ["/messages/", f"/cases/{SAM}/plan/suggest"],
        "alex": ["/messages/", f"/cases/{SAM}/plan/suggest"],
    }
    for name, paths in pages.items():
        for path in paths:
            soup = BeautifulSoup(_text(as_user(name), path), "html.parser")
            for box in soup.find_all("textarea"):
                ids = box.get("aria-describedby", "").split()
                who = [i for i in ids if i.endswith("-who")]
                assert who and soup.find(id=who[0]), (name, path, box["name"])


def test_a_second_ask_is_added_to_the_open_request(app, as_user):
    jordan, chris = as_user("jordan"), as_user("chris")
    _ask(jordan, urgency="not_urgent")
    # Chris cannot see Jordan's private request, so he is not told it exists.
    sent = _ask(chris, happening="Please call me.", urgency="today")
    page = _text(chris, sent.headers["Location"])
    assert "already has a request" not in page and SECRET not in page
    with app.app_context():
        rows = db.session.query(HelpRequest).order_by(HelpRequest.id).all()
        assert len(rows) == 2 and rows[1].part_of_id == rows[0].id
        assert rows[0].urgency.value == "today"  # as urgent as the most urgent ask
        head_id = rows[0].id
    # Jordan asks again: he sees his own request, so he is told.
    page = _text(jordan, _ask(jordan, happening="More words.").headers["Location"])
    assert "The team already has a request for help from" in page
    kim = as_user("kim")
    queue = _text(kim, "/staff/requests/")
    assert queue.count(f"/staff/requests/{head_id}") >= 1
    with app.app_context():
        addition_id = db.session.query(HelpRequest).filter_by(happening="Please call me.").one().id
    assert f"/staff/requests/{addition_id}" not in queue
    detail = _text(kim, f"/staff/requests/{head_id}")
    assert "Please call me." in detail and "More words." in detail and "Added later" in detail


def test_double_tap_on_suggest_stores_one(app, as_user):
    sam = as_user("sam")
    data = {"client_key": "tap-1", "section": "green/keeps-well", "text": "Swimming on Fridays."}
    first = sam.post_form(f"/cases/{SAM}/plan/suggest", data)
    second = sam.post_form(f"/cases/{SAM}/plan/suggest", data)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.query(PlanSuggestion).filter_by(text="Swimming on Fridays.").count() == 1


def test_staff_cannot_post_where_the_family_cannot_answer(app, as_user):
    kim = as_user("kim")
    with app.app_context():
        from webapp.models import Case
        from webapp.services import messages

        case = db.session.get(Case, JORDAN)
        conversation_id = messages.conversation_for(
            case, accounts.user_by_email("jordan@example.org")
        ).id
        before = db.session.query(Message).count()
    path = f"/staff/conversations/{conversation_id}"
    page = _text(kim, path)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("textarea") is None
    assert "the family cannot answer messages here" in page
    assert soup.find("a", href="/staff/requests/") is not None
    assert soup.find("a", href="/help-again/") is None  # no family-only button for staff
    response = kim.post_form(path, {"client_key": "k1", "body": "Hello Jordan"}, page=path)
    assert response.status_code == 409
    with app.app_context():
        assert db.session.query(Message).count() == before


def _red_entry(app, name: str) -> int:
    with app.app_context():
        from webapp.models import Feeling
        from webapp.services import cases, journal

        person = accounts.user_by_email(f"{name}@example.org")
        entry = journal.check_in(
            person, cases.case_for_family_member(person), Feeling.RED, uuid.uuid4().hex
        )
        return entry.id


def test_tell_my_key_worker_after_closing_makes_an_urgent_request(app, as_user):
    jordan = as_user("jordan")
    entry_id = _red_entry(app, "jordan")
    path = f"/journal/entries/{entry_id}"
    assert "This sends an urgent request for help to the team." in _text(jordan, path)
    for _ in range(2):  # a double press makes one request
        response = jordan.post_form(f"{path}/tell", {}, page=path)
        assert response.status_code == 302
    page = _text(jordan, path)
    assert "we have sent an urgent request for help to the team" in page
    assert "Your key worker has been told" not in page
    with app.app_context():
        found = db.session.query(HelpRequest).one()
        assert found.urgency.value == "today" and not found.shared
        assert db.session.get(JournalEntry, entry_id).urgent
    assert "Needs help today" in _text(as_user("lee"), "/staff/requests/")
    assert "Tell my key worker now" not in _text(as_user("chris"), "/help-again/")


def test_forged_ids_give_404_and_change_nothing(app, as_user):
    entry_id = _red_entry(app, "sam")
    alex = as_user("alex")
    path = f"/journal/entries/{entry_id}"
    assert alex.get(path).status_code == 404
    # A carer trying the young person's share form.
    token = alex.csrf_token("/journal/")
    response = alex.post(path, data={"csrf_token": token, "words": "forged", "share": "y"})
    assert response.status_code == 404
    assert alex.post(f"{path}/tell", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        entry = db.session.get(JournalEntry, entry_id)
        assert entry.words is None and not entry.shared and not entry.urgent
    # Another case's request, seen from another family and another team's page.
    _ask(as_user("jordan"))
    with app.app_context():
        request_id = db.session.query(HelpRequest).one().id
    for name in ("sam", "alex", "nadia"):
        assert as_user(name).get(f"/staff/requests/{request_id}").status_code == 404


def test_migration_makes_earlier_young_peoples_requests_private(tmp_path):
    url, drop = _scratch_database(tmp_path)
    try:
        migrate.upgrade(url, "0007")
        engine = make_engine(url)
        when = datetime(2026, 1, 1, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO teams (id, name, area, office_days, office_opens, office_closes, "
                "crisis_line_name, crisis_line_phone, response_working_days) VALUES "
                "(1, 'T', 'A', '01234', '09:00:00', '17:00:00', 'line', '0800', 2)"
            ))  # fmt: skip
            for uid, role in ((1, "young_person"), (2, "carer")):
                conn.execute(text(
                    "INSERT INTO users (id, email, name, role, active, created_at) "
                    "VALUES (:id, :email, 'U', :role, :active, :at)"
                ), {"id": uid, "email": f"u{uid}@example.org", "role": role, "active": True,
                    "at": when})  # fmt: skip
            conn.execute(text(
                "INSERT INTO cases (id, young_person_id, team_id, status, dsr_rating, opened_at) "
                "VALUES (1, 1, 1, 'closed', 'amber', :at)"
            ), {"at": when})  # fmt: skip
            for rid in (1, 2):
                conn.execute(text(
                    "INSERT INTO help_requests (id, case_id, author_id, client_key, happening, "
                    "tags, urgency, contact_way, created_at) "
                    "VALUES (:id, 1, :id, :key, 'words', '', 'today', 'app', :at)"
                ), {"id": rid, "key": f"k{rid}", "at": when})  # fmt: skip
        migrate.upgrade(url)
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT id, shared FROM help_requests")).all())
        engine.dispose()
        assert rows == {1: False, 2: True}
    finally:
        drop()


def test_privacy_page_says_who_sees_what_a_young_person_writes(client):
    page = re.sub(r"\s+", " ", client.get("/privacy").get_data(as_text=True))
    assert "Who sees what you write" in page
    assert "asks for help again" in page
