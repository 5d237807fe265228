"""The plan in my language (issue 19, point 6): staff record a translation of a plan item made
by an interpreter or a colleague; the family member reads it with who translated it; until then,
and again once the English changes, they read the English marked as English, with how to ask
for an interpreter. Staff see what is not translated yet or out of date."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, PlanTranslation, Section
from webapp.services import accounts, cases, plan_translations, plans
from webapp.services.plans import ItemDraft

SAM, PRIYA = 1, 2
OVERVIEW = "/staff/cases/{case}/plan/translations"
ITEM = "/staff/cases/{case}/plan/translations/{key}"
DRAWING = "I am good at drawing."  # translated into Urdu in the demo data
QUIET = "A quiet room and my drawing book."  # not translated


def _key(app, text: str, case_id: int = PRIYA) -> str:
    with app.app_context():
        plan = plans.plan_for_case(case_id)
        return next(i.key for i in plans.latest_version(plan).items if i.text == text)


def _page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _item(page: BeautifulSoup, key: str):
    found = page.select_one(f"#item-{key}")
    assert found is not None, key
    return found


# Reading, as Nadia (Urdu) -----------------------------------------------------------------


def test_nadia_reads_translated_items_in_urdu_with_who_translated_them(app, as_user):
    page = _page(as_user("nadia"), f"/cases/{PRIYA}/plan/about-me")
    assert page.html["lang"] == "ur" and page.html["dir"] == "rtl"
    chunk = _item(page, _key(app, DRAWING))
    assert "میں ڈرائنگ میں اچھی ہوں۔" in chunk.get_text()
    assert DRAWING not in chunk.get_text()
    assert not chunk.select('[lang="en"]')  # nothing in it is English now
    note = chunk.select_one(".mkw-translation-note")
    assert "Interpreter: Farah Khan" in note.get_text() and note.select_one("bdi")


def test_untranslated_items_are_english_marked_as_english_with_how_to_ask(app, as_user):
    page = _page(as_user("nadia"), f"/cases/{PRIYA}/plan/amber")
    chunk = _item(page, _key(app, QUIET))
    text = chunk.select_one('p[lang="en"]')
    assert text is not None and text["dir"] == "ltr" and text.get_text() == QUIET
    note = chunk.select_one(".mkw-translation-note")
    assert note.get("lang") is None  # the sentence is in Urdu, like the page
    assert note.select_one("a")["href"] == "/messages/"
    with app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale("ur"):
            sentence = gettext("This part is not translated into your language yet.")
    assert sentence != "This part is not translated into your language yet."
    assert sentence in note.get_text()


def test_an_action_marks_its_english_owner_and_keeps_urdu_labels(app, as_user):
    page = _page(as_user("nadia"), f"/cases/{PRIYA}/plan/actions")
    owner = page.select_one('.mkw-action-details bdi[lang="en"]')
    assert owner is not None and owner["dir"] == "ltr" and owner.get_text() == "Lee Murphy"


def test_the_print_page_and_crisis_card_show_the_translation_too(app, as_user):
    nadia = as_user("nadia")
    assert "امی (نادیہ) کو فون کریں۔" in _page(nadia, f"/cases/{PRIYA}/plan/print").get_text()
    card = _page(nadia, f"/cases/{PRIYA}/plan/crisis-card").select_one(".mkw-card")
    assert "امی (نادیہ) کو فون کریں۔" in card.get_text()
    assert "Translated by" not in card.get_text()  # in Urdu, like the page
    english = [b.get_text() for b in card.select('bdi[lang="en"]')]
    assert "I run out of the house." in english  # not translated in the demo


def test_english_readers_and_staff_see_the_english_without_notes(app, as_user):
    for name in ("priya", "lee"):
        page = _page(as_user(name), f"/cases/{PRIYA}/plan/about-me")
        assert DRAWING in _item(page, _key(app, DRAWING)).get_text(), name
        assert not page.select(".mkw-translation-note"), name


# Out of date -------------------------------------------------------------------------------


def _change_english(app, text: str, new_text: str) -> None:
    with app.app_context():
        lee = accounts.user_by_email("lee@example.org")
        plan = plans.plan_for_case(PRIYA)
        item = next(i for i in plans.latest_version(plan).items if i.text == text)
        draft = ItemDraft(item.section, item.part, new_text, item.words, picture=item.picture)
        plans.update_item(plan, plans.revision(plan), lee, item.key, draft)
        plans.share_changes(plan, plans.revision(plan), lee)


def test_when_the_english_changes_the_family_sees_english_again_and_staff_see_it_out_of_date(
    app, as_user
):
    key = _key(app, DRAWING)
    _change_english(app, DRAWING, "I am good at drawing cats.")
    page = _page(as_user("nadia"), f"/cases/{PRIYA}/plan/about-me")
    chunk = _item(page, key)
    assert chunk.select_one('p[lang="en"]').get_text() == "I am good at drawing cats."
    assert "میں ڈرائنگ میں اچھی ہوں۔" not in chunk.get_text()
    assert chunk.select_one(".mkw-translation-note a")
    # An earlier version still says what the translation was made from: shown translated.
    old = _page(as_user("nadia"), f"/cases/{PRIYA}/plan/versions/2")
    assert "میں ڈرائنگ میں اچھی ہوں۔" in _item(old, key).get_text()
    staff = _page(as_user("lee"), OVERVIEW.format(case=PRIYA))
    to_do = staff.select("h2")[0].find_next("ul")
    row = next(li for li in to_do.select("li") if "drawing cats" in li.get_text())
    assert "Out of date: the English changed" in row.get_text()
    assert row.select_one("a")["href"] == ITEM.format(case=PRIYA, key=key)
    editor = _page(as_user("lee"), f"/staff/cases/{PRIYA}/plan/edit")
    assert "parts of the plan need translating or updating" in editor.get_text()


def test_statuses_say_missing_current_and_out_of_date(app):
    with app.app_context():
        case = cases.case_by_id(PRIYA)
        items = plans.latest_version(plans.plan_for_case(PRIYA)).items
        rows = plan_translations.statuses(case, items, ["ur"])
        states = {r.item.text: r.state.value for r in rows}
        assert states[DRAWING] == "current" and states[QUIET] == "missing"
        # Nadia reads Urdu; Rahima, Priya's aunt, Bengali (no item translated into it yet).
        assert plan_translations.family_languages(case).keys() == {"ur", "bn"}
        assert plan_translations.to_do_count(case, items) == (len(items) - 6) + len(items)


# Staff pages -------------------------------------------------------------------------------


def test_a_key_worker_adds_a_translation_the_family_then_reads(app, as_user):
    key = _key(app, QUIET)
    lee = as_user("lee")
    form = _page(lee, ITEM.format(case=PRIYA, key=key))
    assert form.select_one("input[name=language][value=ur]").has_attr("checked")
    assert QUIET in form.get_text()
    response = lee.post_form(
        ITEM.format(case=PRIYA, key=key),
        {"language": "ur", "made_by": "Colleague: Amina Begum, support worker",
         "text": "ایک پرسکون کمرہ اور میری ڈرائنگ کی کتاب۔", "picture_alt": ""},
    )  # fmt: skip
    assert response.status_code == 302
    chunk = _item(_page(as_user("nadia"), f"/cases/{PRIYA}/plan/amber"), key)
    assert "ایک پرسکون کمرہ اور میری ڈرائنگ کی کتاب۔" in chunk.get_text()
    assert "Colleague: Amina Begum, support worker" in chunk.get_text()
    # Audited like other plan changes: who, which case, what kind of record.
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == "plan_translations")
            .order_by(AuditEvent.id.desc())
        ).first()  # fmt: skip
        lee_user = accounts.user_by_email("lee@example.org")
        assert event.action == "create" and event.case_id == PRIYA
        assert event.actor_id == lee_user.id
        saved = plan_translations.translation(PRIYA, key, "ur")
        assert saved.entered_by_id == lee_user.id and saved.source_text == QUIET
    # Changing it again updates the one row (and the list shows it up to date).
    staff = _page(lee, OVERVIEW.format(case=PRIYA))
    assert "Colleague: Amina Begum" in staff.get_text()


def test_the_form_starts_from_the_translation_there_is(app, as_user):
    page = _page(as_user("lee"), ITEM.format(case=PRIYA, key=_key(app, DRAWING)))
    assert page.select_one("textarea[name=text]").get_text() == "میں ڈرائنگ میں اچھی ہوں۔"
    assert page.select_one("input[name=made_by]")["value"] == "Interpreter: Farah Khan"
    assert page.select_one("textarea[name=text]")["dir"] == "auto"


def test_with_no_family_language_every_offered_language_is_listed(app, as_user):
    page = _page(as_user("kim"), OVERVIEW.format(case=SAM))
    assert "Nobody in the family chose a language other than English" in page.get_text()
    assert "Urdu" in page.get_text()


def test_an_item_field_asked_only_when_the_item_has_it(app, as_user):
    with app.app_context():
        plan = plans.plan_for_case(PRIYA)
        action = next(i for i in plans.latest_version(plan).items if i.section is Section.ACTIONS)
        key = action.key
    page = _page(as_user("lee"), ITEM.format(case=PRIYA, key=key))
    assert page.select_one("input[name=owner]") and not page.select_one("input[name=contact]")


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nadia", "priya", "sam", "alex", "robin", "kim", "jordan"])
def test_only_staff_who_may_edit_the_plan_open_the_translation_pages(app, as_user, name):
    key = _key(app, DRAWING)
    client = as_user(name)
    for path in (OVERVIEW.format(case=PRIYA), ITEM.format(case=PRIYA, key=key)):
        assert client.get(path).status_code in (403, 404), (name, path)


def test_the_case_staff_and_their_manager_may(app, as_user):
    for name in ("lee", "morgan"):
        assert as_user(name).get(OVERVIEW.format(case=PRIYA)).status_code == 200, name


def test_a_closed_plan_cannot_be_translated(app, as_user):
    assert as_user("kim").get(OVERVIEW.format(case=3)).status_code == 404


def test_an_item_of_another_case_is_not_found(app, as_user):
    key = _key(app, DRAWING)
    assert as_user("kim").get(ITEM.format(case=SAM, key=key)).status_code == 404


def test_a_post_from_someone_else_changes_nothing(app, as_user):
    key = _key(app, QUIET)
    kim = as_user("kim")
    token = kim.csrf_token(OVERVIEW.format(case=SAM))
    response = kim.post(
        ITEM.format(case=PRIYA, key=key),
        data={"csrf_token": token, "language": "ur", "made_by": "Kim", "text": "x"},
    )
    assert response.status_code == 404
    with app.app_context():
        assert plan_translations.translation(PRIYA, key, "ur") is None


def test_a_family_member_reads_only_their_own_case(app, as_user):
    assert as_user("alex").get(f"/cases/{PRIYA}/plan/about-me").status_code == 404


# Bad input ---------------------------------------------------------------------------------


GOOD = {"language": "ur", "made_by": "Interpreter: Farah Khan", "text": "ایک پرسکون کمرہ"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text": "   "}, "text", "Write the translation of what this part of the plan says."),
        ({"made_by": ""}, "made_by", "Write who made the translation"),
        ({"text": "ب" * 1001}, "text", "use 1000 characters or fewer. You have used 1001"),
        ({"made_by": "x" * 121}, "made_by", "use 120 characters or fewer"),
        ({"language": "xx"}, "language", "The app cannot show a translation in that language"),
        ({"language": "en"}, "language", "The app cannot show a translation in that language"),
        ({"language": ""}, "language", "Choose the language the translation is in."),
    ],
)
def test_bad_input_is_told_kindly_and_nothing_is_lost(app, as_user, change, field, message):
    key = _key(app, QUIET)
    sent = {**GOOD, **change}
    response = as_user("lee").post_form(ITEM.format(case=PRIYA, key=key), sent)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title.get_text().startswith("Error:")
    summary = page.select_one(".nhsuk-error-summary")
    assert message in summary.get_text()
    assert summary.select_one("a")["href"].startswith(f"#{field}")
    # What they typed stays in the form.
    if field != "text":
        assert page.select_one("textarea[name=text]").get_text() == sent["text"]
    if field != "made_by":
        assert page.select_one("input[name=made_by]")["value"] == sent["made_by"]
    with app.app_context():
        assert plan_translations.translation(PRIYA, key, "ur") is None


def test_the_service_refuses_a_language_not_offered(app):
    with app.app_context():
        case = cases.case_by_id(PRIYA)
        item = plans.latest_version(plans.plan_for_case(PRIYA)).items[0]
        lee = accounts.user_by_email("lee@example.org")
        with pytest.raises(plan_translations.LanguageNotOffered):
            plan_translations.record(case, item, "xx", lee, "Someone", {"text": "x"})
        with pytest.raises(plan_translations.LanguageNotOffered):
            plan_translations.record(case, item, "en", lee, "Someone", {"text": "x"})
        with pytest.raises(ValueError):
            plan_translations.record(case, item, "ur", lee, "Someone", {"text": " "})
        assert (
            db.session.scalar(select(PlanTranslation).where(PlanTranslation.made_by == "Someone"))
            is None
        )


# The kept copy on the phone ----------------------------------------------------------------


def test_a_new_translation_changes_the_kept_copy(app, as_user):
    with app.app_context():
        accounts.update_preferences(accounts.user_by_email("nadia@example.org"), keep_on_phone=True)
    nadia = as_user("nadia")
    etag = nadia.get("/offline/keep").headers["ETag"]
    assert nadia.get("/offline/keep", headers={"If-None-Match": etag}).status_code == 304
    as_user("lee").post_form(ITEM.format(case=PRIYA, key=_key(app, QUIET)), GOOD)
    assert nadia.get("/offline/keep", headers={"If-None-Match": etag}).status_code == 200
