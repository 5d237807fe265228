"""What each carer sees, item by item: staff mark a plan item sensitive, and the young person
(once they decide) chooses for each parent or carer whether they see it. A carer never sees an
item kept from them, by any route."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.conftest import PASSWORD
from webapp.extensions import db
from webapp.models import AuditEvent, OutboxItem, Role
from webapp.services import accounts, cases, plans, push

SAM = 1
SECRET = "I want to hurt myself."  # in Sam's Red plan; the demo marks it sensitive
BEA = "bea@example.org"


def _setup(app) -> dict[str, int | str]:
    """A second carer (Bea) on Sam's case; the ids and the sensitive item's key."""
    with app.app_context():
        bea = accounts.create_user(email=BEA, name="Bea Taylor", role=Role.CARER,
                                   password=PASSWORD)  # fmt: skip
        cases.link_carer(SAM, bea)
        db.session.commit()
        latest = plans.latest_version(plans.plan_for_case(SAM))
        item = next(i for i in latest.items if i.text == SECRET)
        assert item.sensitive
        return {
            "alex": accounts.user_by_email("alex@example.org").id,
            "bea": bea.id,
            "key": item.key,
        }


ALL_SECTIONS = ["about-me", "goals", "green", "amber", "red", "who-helps", "actions", "moving-on"]


def _choose(client, carer_id: int, items: list[str]):
    return client.post_form(
        f"/cases/{SAM}/plan/carers",
        {"carer": str(carer_id), "sees": ALL_SECTIONS, "sees_item": items},
        page=f"/cases/{SAM}/plan/carers",
    )


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _export(client) -> str:
    response = client.post_form("/settings/my-data/download", {}, page="/settings/my-data")
    assert response.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(response.get_data()))
    return "\n".join(z.read(name).decode("latin-1") for name in z.namelist())


def test_the_young_person_is_offered_the_items_staff_marked_sensitive(app, as_user):
    ids = _setup(app)
    sam = as_user("sam")
    page = BeautifulSoup(_text(sam, f"/cases/{SAM}/plan/carers"), "html.parser")
    for carer in ("alex", "bea"):
        box = page.find("input", id=f"sees-item-{ids[carer]}-{ids['key']}")
        assert box is not None and box.has_attr("checked")  # carers see it until Sam chooses
        label = page.find("label", attrs={"for": box["id"]})
        assert label.get_text(strip=True) == SECRET
    # Only the sensitive item is offered, not every item.
    assert len(page.find_all("input", attrs={"name": "sees_item"})) == 2
    # Sam and Kim see that Sam chooses; a carer is never told an item is sensitive.
    assert "Sensitive: you choose which of your parents and carers see this" in _text(
        sam, f"/cases/{SAM}/plan/red"
    )
    note = "Sensitive: the young person chooses which parents and carers see this"
    assert note in _text(as_user("kim"), f"/cases/{SAM}/plan/red")
    for path in (f"/cases/{SAM}/plan/red", f"/cases/{SAM}/plan/versions/2"):
        assert "Sensitive" not in _text(as_user("alex"), path)


def test_a_carer_never_sees_an_item_kept_from_them_by_any_route(app, as_user, outbox):
    ids = _setup(app)
    sam, alex, bea, kim = as_user("sam"), as_user("alex"), as_user("bea"), as_user("kim")
    with app.app_context():
        accounts.update_preferences(accounts.user_by_email("alex@example.org"), keep_on_phone=True)
    kept_before = alex.get("/offline/keep").headers["ETag"]
    assert _choose(sam, ids["alex"], []).status_code == 302  # Alex: not this one
    # Kim changes the item's words and shares: the change is no route to it either.
    changed = "I want to hurt myself when it is loud."
    kim.post_form(
        f"/staff/cases/{SAM}/plan/items/{ids['key']}",
        {"base_version": str(_revision(app)), "part": "signs", "text": changed,
         "words": "young_person", "picture": "red", "sensitive": "y"},
    )  # fmt: skip
    kim.post_form(f"/staff/cases/{SAM}/plan/share", {"base_version": str(_revision(app))},
                  page=f"/staff/cases/{SAM}/plan/edit")  # fmt: skip
    with app.app_context():
        plan = plans.plan_for_case(SAM)
        versions = [v.number for v in plans.all_versions(plan)]
    routes = [
        "/", "/cases/1/plan/", "/cases/1/plan/red", "/cases/1/plan/print",
        "/cases/1/plan/crisis-card", "/cases/1/plan/versions",
        *(f"/cases/1/plan/versions/{n}" for n in versions),
    ]  # fmt: skip
    for path in routes:
        page = _text(alex, path)
        assert SECRET not in page and changed not in page, path
        assert ids["key"] not in page, path
    # Told kindly that some parts are private, never which.
    assert "has chosen to keep some parts of the plan private" in _text(alex, "/cases/1/plan/")
    # Bea, another carer, still sees it; so does Sam's preview of Bea, but not of Alex.
    assert changed in _text(bea, "/cases/1/plan/red")
    assert SECRET in _text(bea, "/cases/1/plan/crisis-card")  # the card shows the agreed plan
    assert changed in _text(sam, f"/cases/1/plan/carers/{ids['bea']}")
    preview = _text(sam, f"/cases/1/plan/carers/{ids['alex']}")
    assert changed not in preview and "sees that some parts of the plan are private" in preview
    # The data to take away.
    export = _export(alex)
    assert SECRET not in export and changed not in export
    assert changed in _export(bea)
    # The kept copy on Alex's phone: its version changed, so the phone fetches the pages again.
    assert alex.get("/offline/keep", headers={"If-None-Match": kept_before}).status_code == 200
    # Nothing queued for Alex (push or email) carries it, nor any email sent.
    with app.app_context():
        alex_user = accounts.user_by_email("alex@example.org")
        payload = push.payload(alex_user)
        rows = db.session.scalars(select(OutboxItem)).all()
    assert SECRET not in payload and changed not in payload
    assert not any(changed in str(vars(r)) or SECRET in str(vars(r)) for r in rows)
    assert not any(changed in str(m) or SECRET in str(m) for m in outbox)


def _revision(app) -> int:
    with app.app_context():
        return plans.revision(plans.plan_for_case(SAM))


def test_the_choice_is_recorded_and_can_be_undone(app, as_user):
    ids = _setup(app)
    sam, alex = as_user("sam"), as_user("alex")
    _choose(sam, ids["alex"], [])
    assert SECRET not in _text(alex, "/cases/1/plan/red")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).filter_by(record_type="case_carers", action="update")
        ).all()
        assert events and all(e.actor_role == "young_person" for e in events)
    page = BeautifulSoup(_text(sam, f"/cases/{SAM}/plan/carers"), "html.parser")
    assert not page.find("input", id=f"sees-item-{ids['alex']}-{ids['key']}").has_attr("checked")
    _choose(sam, ids["alex"], [ids["key"]])
    assert SECRET in _text(alex, "/cases/1/plan/red")
    assert "some parts of the plan private" not in _text(alex, "/cases/1/plan/")


def test_under_16_the_choice_waits_until_competence_is_recorded(app, as_user):
    ids = _setup(app)
    _choose(as_user("sam"), ids["alex"], [])
    with app.app_context():
        sam = accounts.user_by_email("sam@example.org")
        sam.date_of_birth = date(date.today().year - 14, 1, 1)
        db.session.commit()
    alex = as_user("alex")
    assert SECRET in _text(alex, "/cases/1/plan/red")  # under 16, not competent: Alex sees it
    assert as_user("sam").get(f"/cases/{SAM}/plan/carers").status_code == 404
    as_user("kim").post_form(f"/staff/cases/{SAM}/competence", {"reason": "Understood it."})
    assert SECRET not in _text(alex, "/cases/1/plan/red")  # Sam's choice now counts


def test_only_offered_items_can_be_chosen(app, as_user):
    ids = _setup(app)
    sam = as_user("sam")
    with app.app_context():
        latest = plans.latest_version(plans.plan_for_case(SAM))
        plain = next(i.key for i in latest.items if not i.sensitive)
    for forged in ("not-an-item", plain):
        response = _choose(sam, ids["alex"], [ids["key"], forged])
        assert response.status_code == 400
    assert as_user("alex").post_form(
        f"/cases/{SAM}/plan/carers", {"carer": str(ids["alex"]), "sees_item": []},
        page="/cases/1/plan/",
    ).status_code == 404  # a carer cannot choose  # fmt: skip
    with app.app_context():
        row = next(c for c in cases.case_by_id(SAM).carers if c.user_id == ids["alex"])
        assert row.hidden_items == ""


def test_an_item_kept_from_a_carer_stays_kept_in_older_versions_after_it_is_removed(app, as_user):
    ids = _setup(app)
    sam, kim, alex = as_user("sam"), as_user("kim"), as_user("alex")
    _choose(sam, ids["alex"], [])
    with app.app_context():
        before = plans.latest_version(plans.plan_for_case(SAM)).number
    kim.post_form(
        f"/staff/cases/{SAM}/plan/items/{ids['key']}/remove",
        {"base_version": str(_revision(app))},
        page=f"/staff/cases/{SAM}/plan/items/{ids['key']}",
    )
    kim.post_form(f"/staff/cases/{SAM}/plan/share", {"base_version": str(_revision(app))},
                  page=f"/staff/cases/{SAM}/plan/edit")  # fmt: skip
    # Sam saves Alex's choices again: the removed item is no longer offered, and stays kept.
    assert f"sees-item-{ids['alex']}-{ids['key']}" not in _text(sam, f"/cases/{SAM}/plan/carers")
    _choose(sam, ids["alex"], [])
    assert SECRET not in _text(alex, f"/cases/1/plan/versions/{before}")
    assert SECRET in _text(as_user("bea"), f"/cases/1/plan/versions/{before}")


def test_the_editor_marks_an_item_sensitive(app, as_user):
    ids = _setup(app)
    kim = as_user("kim")
    page = BeautifulSoup(_text(kim, f"/staff/cases/{SAM}/plan/items/{ids['key']}"), "html.parser")
    assert page.find("input", attrs={"name": "sensitive", "checked": True}) is not None
    kim.post_form(
        f"/staff/cases/{SAM}/plan/items/{ids['key']}",
        {"base_version": str(_revision(app)), "part": "signs", "text": SECRET,
         "words": "young_person", "picture": "red"},
    )  # fmt: skip
    with app.app_context():
        item = next(i for i in plans.editing_items(plans.plan_for_case(SAM)) if i.key == ids["key"])
        assert not item.sensitive
