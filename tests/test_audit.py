"""The audit trail: every change by anyone and every staff read, append-only; who has looked
at my plan; the manager's trail and its CSV."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import staff_of_another_team
from webapp.extensions import db
from webapp.models import AuditEvent, Case, Role, SignInSession
from webapp.services import accounts

SAM = 1


def _events(app, **where) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
        return list(db.session.scalars(stmt))


def test_staff_reads_of_a_plan_are_recorded_and_shown_to_the_family(app, as_user):
    before = len(_events(app, record_type="plan", action="read"))
    kim = as_user("kim")
    assert kim.get(f"/cases/{SAM}/plan/").status_code == 200
    assert kim.get(f"/cases/{SAM}/plan/red").status_code == 200
    reads = _events(app, record_type="plan", action="read")
    assert len(reads) == before + 2
    kim_id = reads[-1].actor_id
    assert reads[-1].actor_role == "key_worker" and reads[-1].case_id == SAM
    # The session is named by a hash that matches nothing kept elsewhere; one sign-in, one hash.
    assert len(reads[-1].session_hash) == 32 and reads[-1].session_hash == reads[-2].session_hash
    with app.app_context():
        kept = {row.token_hash for row in db.session.scalars(select(SignInSession))}
    assert reads[-1].session_hash not in kept and not any(reads[-1].session_hash in k for k in kept)
    assert as_user("kim").get(f"/cases/{SAM}/plan/").status_code == 200  # a second sign-in
    assert (
        _events(app, record_type="plan", action="read")[-1].session_hash != reads[-1].session_hash
    )
    # Family reads are not recorded as staff reads.
    as_user("sam").get(f"/cases/{SAM}/plan/")
    assert len(_events(app, record_type="plan", action="read")) == before + 3
    page = as_user("sam").get(f"/cases/{SAM}/plan/who-looked").get_data(as_text=True)
    words = " ".join(BeautifulSoup(page, "html.parser").get_text().split())
    assert "Kim Okafor, the key worker, looked at the plan on" in words
    assert words.count("Kim Okafor, the key worker") == 1  # once per person per day
    carer_page = as_user("alex").get(f"/cases/{SAM}/plan/who-looked")
    assert carer_page.status_code == 200 and "Kim Okafor" in carer_page.get_data(as_text=True)
    assert as_user("nadia").get(f"/cases/{SAM}/plan/who-looked").status_code == 404
    assert kim.get(f"/cases/{SAM}/plan/who-looked").status_code == 404
    assert kim_id is not None


def test_every_staff_read_of_a_record_is_recorded(app, as_user):
    kim = as_user("kim")
    # A list records one read per case it shows.
    for path, record, cases_shown in (
        (f"/staff/cases/{SAM}", "cases", 1),
        (f"/staff/cases/{SAM}/journal", "journal_entries", 1),
        (f"/staff/cases/{SAM}/timeline", "timeline", 1),
        (f"/staff/cases/{SAM}/plan/edit", "plan", 1),
        (f"/staff/cases/{SAM}/appointments", "appointments", 1),
        ("/staff/appointments/1/change", "appointments", 1),
        ("/staff/appointments/1/after", "appointments", 1),
        ("/staff/week", "appointments", 1),  # Sam's visit tomorrow
        ("/staff/feedback/1", "feedback", 1),
        ("/staff/feedback/", "feedback", 2),  # Sam's case and Jordan's (Nadia's is manager-only)
        (f"/staff/cases/{SAM}/register", "register", 1),
        (f"/staff/cases/{SAM}/register/barriers/1", "barriers", 1),  # Kim's open barrier
    ):
        before = len(_events(app, record_type=record, action="read"))
        assert kim.get(path).status_code == 200, path
        after = len(_events(app, record_type=record, action="read"))
        assert after == before + cases_shown, path


def test_every_change_is_recorded_in_the_same_transaction_without_content(app, as_user):
    sam = as_user("sam")
    before = len(_events(app, action="create"))
    sam.post_form("/messages/", {"client_key": "audit-1", "body": "A private thought."})
    created = _events(app, action="create")[before:]
    assert any(e.record_type == "messages" for e in created)
    message = next(e for e in created if e.record_type == "messages")
    assert message.actor_role == "young_person" and message.record_id is not None
    with app.app_context():
        row = db.session.execute(text("SELECT * FROM audit_events WHERE id = :id"),
                                 {"id": message.id}).mappings().one()  # fmt: skip
    assert "A private thought." not in " ".join(str(v) for v in row.values())


def test_an_outsider_gets_404_and_the_attempt_is_recorded(app, as_user):
    with app.app_context():
        staff_of_another_team("pat@example.org", "Pat Devon", Role.KEY_WORKER)
    pat = as_user("pat")
    assert pat.get(f"/cases/{SAM}/plan/").status_code == 404
    assert pat.get(f"/staff/cases/{SAM}").status_code == 404
    denied = _events(app, action="denied", case_id=SAM)
    assert len(denied) >= 2 and all(e.actor_role == "key_worker" for e in denied)


def test_the_trail_is_append_only(app):
    with app.app_context():
        db.session.add(AuditEvent(actor_role="system", record_type="test", action="create"))
        db.session.commit()
        for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(DBAPIError), db.session.begin_nested():
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(select(AuditEvent).filter_by(record_type="test")) is not None


def test_the_manager_sees_and_downloads_the_team_trail(app, as_user):
    as_user("kim").get(f"/cases/{SAM}/plan/")
    morgan = as_user("morgan")
    with app.app_context():
        kim_id = accounts.user_by_email("kim@example.org").id
    page = morgan.get(f"/staff/audit?case={SAM}&person={kim_id}")
    assert page.status_code == 200
    rows = BeautifulSoup(page.get_data(as_text=True), "html.parser").select("tbody tr")
    assert rows and all("Kim Okafor" in r.get_text() for r in rows)
    body = morgan.get(f"/staff/audit.csv?case={SAM}&person={kim_id}")
    assert body.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(body.get_data(as_text=True))))
    assert table and {r["who"] for r in table} == {"Kim Okafor"}
    assert any(r["record"] == "plan" and r["action"] == "read" for r in table)
    assert _events(app, action="export", record_type="audit_events")
    # Bad filters are ignored, never a 500; key workers and families cannot see the trail.
    assert morgan.get("/staff/audit?case=x&from=yesterday").status_code == 200
    for name in ("kim", "sam", "robin"):
        assert as_user(name).get("/staff/audit").status_code == 404


def test_another_teams_manager_sees_none_of_it(app, as_user):
    as_user("kim").get(f"/cases/{SAM}/plan/")
    with app.app_context():
        other = staff_of_another_team("dee@example.org", "Dee Dorset", Role.MANAGER, "Dorset")
        assert db.session.get(Case, SAM).team_id != other
    page = as_user("dee").get(f"/staff/audit?case={SAM}").get_data(as_text=True)
    assert "Kim Okafor" not in page


# The young person's say over what each carer sees ------------------------------------------------

PRIYA = 2


def _ids(app, *names) -> list[int]:
    with app.app_context():
        return [accounts.user_by_email(f"{n}@example.org").id for n in names]


def test_a_young_person_keeps_a_section_from_a_carer_on_every_route(app, as_user):
    (alex_id,) = _ids(app, "alex")
    sam = as_user("sam")
    page = sam.get(f"/cases/{SAM}/plan/carers").get_data(as_text=True)
    assert "What Alex" in page and "This is what Alex" in page
    sees = ["about-me", "goals", "green", "amber", "who-helps", "actions"]  # not red
    response = sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(alex_id), "sees": sees})
    assert response.status_code == 302
    red_words = "Call Mum (Alex) first."
    alex = as_user("alex")
    contents = alex.get(f"/cases/{SAM}/plan/").get_data(as_text=True)
    assert "has chosen to keep some parts of the plan private" in contents
    assert f"/cases/{SAM}/plan/red" not in contents
    assert alex.get(f"/cases/{SAM}/plan/red").status_code == 404
    for path in ("/plan/print", "/plan/amber", "/plan/versions/1", "/plan/"):
        assert red_words not in alex.get(f"/cases/{SAM}{path}").get_data(as_text=True), path
    # The preview is a real page, showing exactly that.
    preview = sam.get(f"/cases/{SAM}/plan/carers/{alex_id}").get_data(as_text=True)
    assert "This is what Alex" in preview and red_words not in preview
    assert "Sam" in sam.get(f"/cases/{SAM}/plan/red").get_data(as_text=True)
    # Every change is in the trail.
    assert _events(app, record_type="case_carers", action="update")


def test_choices_are_the_young_persons_alone(app, as_user):
    (alex_id,) = _ids(app, "alex")
    alex = as_user("alex")
    assert alex.get(f"/cases/{SAM}/plan/carers").status_code == 404
    assert alex.get(f"/cases/{SAM}/plan/carers/{alex_id}").status_code == 404
    sam = as_user("sam")
    (nadia_id,) = _ids(app, "nadia")  # a carer on another case
    response = sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(nadia_id), "sees": []})
    assert response.status_code == 404
    bad = sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(alex_id), "sees": ["x"]})
    assert bad.status_code == 400


def test_under_16_carers_see_the_plan_until_competence_is_recorded(app, as_user):
    (nadia_id,) = _ids(app, "nadia")
    priya, lee = as_user("priya"), as_user("lee")
    assert priya.get(f"/cases/{PRIYA}/plan/carers").status_code == 404
    path = f"/staff/cases/{PRIYA}/competence"
    page = lee.post_form(path, {"reason": ""}).get_data(as_text=True)
    assert "Write why the young person is competent to decide." in page
    assert lee.post_form(path, {"reason": "Understood the choice in a 1:1."}).status_code == 302
    assert priya.get(f"/cases/{PRIYA}/plan/carers").status_code == 200
    priya.post_form(f"/cases/{PRIYA}/plan/carers", {"carer": str(nadia_id), "sees": ["goals"]})
    nadia = as_user("nadia")
    assert nadia.get(f"/cases/{PRIYA}/plan/red").status_code == 404
    lee.post_form(f"{path}/withdraw", {}, page=path)
    assert nadia.get(f"/cases/{PRIYA}/plan/red").status_code == 200
    assert as_user("kim").get(path).status_code == 404  # not Priya's key worker
