"""My crisis card: one page from the Red part and "Who helps me", the same card for the young
person, their carers and the case's staff; from 16 the young person chooses its lines."""

from __future__ import annotations

from bs4 import BeautifulSoup

from webapp.extensions import db
from webapp.models import Case

SAM, PRIYA = 1, 2
CARD = f"/cases/{SAM}/plan/crisis-card"
CHOOSE = f"/cases/{SAM}/plan/crisis-card/choose"


def _card(client, path=CARD) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _card_text(client, path=CARD) -> str:
    return _card(client, path).select_one(".mkw-card").get_text(" ", strip=True)


def test_the_young_person_carer_and_staff_see_the_same_card(as_user):
    cards = {name: _card_text(as_user(name)) for name in ("sam", "alex", "kim", "morgan")}
    assert len(set(cards.values())) == 1, cards
    card = cards["sam"]
    assert "My name is Sam" in card
    assert "Stay with Sam. Keep the room quiet." in card  # what helps (Red: what to do)
    assert "Call Mum (Alex) first." in card  # who to call
    assert "I want to hurt myself." in card  # the signs
    assert "Do not shout or hold my arms." in card  # what not to do (Red: what not to do)
    assert "Birmingham and Solihull Key Working Service" in card
    assert "0121 496 0123" in card  # the team's number
    assert "They are open Monday to Friday" in card  # and when someone answers it
    assert "999" in card


def test_nobody_else_sees_the_card(as_user):
    for name in ("nadia", "priya", "lee", "robin", "jordan"):
        assert as_user(name).get(CARD).status_code == 404, name
    assert as_user("sam").get(f"/cases/{PRIYA}/plan/crisis-card").status_code == 404


def test_the_shortcut_opens_the_own_card(as_user):
    response = as_user("alex").get("/my-crisis-card")
    assert response.status_code == 302 and response.headers["Location"].endswith(CARD)
    assert as_user("kim").get("/my-crisis-card").status_code == 404  # staff: no own card


def test_from_16_the_young_person_chooses_the_lines_and_everyone_sees_the_choice(app, as_user):
    sam = as_user("sam")
    page = _card(sam, CHOOSE)
    assert {i["value"] for i in page.select("input[name=show]")} == {
        "communication", "signs", "helps", "not-to-do", "call", "people", "team"
    }  # fmt: skip
    shown = ["communication", "helps", "not-to-do", "call", "people", "team"]  # no signs
    response = sam.post_form(CHOOSE, {"show": shown})
    assert response.status_code == 302
    for name in ("sam", "alex", "kim"):
        card = _card_text(as_user(name))
        assert "I want to hurt myself." not in card, name
        assert "Call Mum (Alex) first." in card, name
    with app.app_context():
        assert db.session.get(Case, SAM).crisis_card_hidden == "signs"
    # The form shows the choice; choosing nothing leaves only the name and 999.
    assert not _card(sam, CHOOSE).select_one("#show-signs").has_attr("checked")
    sam.post_form(CHOOSE, {})
    card = _card_text(sam)
    assert "Call Mum (Alex) first." not in card and "My name is Sam" in card and "999" in card
    assert "Do not shout" not in card


def test_what_not_to_do_is_a_line_only_where_the_plan_has_it(as_user):
    """Sam's plan says what not to do (in his words, on the card under its own heading);
    Priya's says nothing, so her card has no empty heading for it."""
    sam = _card(as_user("sam"))
    headings = [h.get_text(strip=True) for h in sam.select(".mkw-card h3")]
    assert headings.index("What not to do when I am in crisis") == (
        headings.index("What helps me in a crisis") + 1
    )
    priya = _card_text(as_user("priya"), f"/cases/{PRIYA}/plan/crisis-card")
    assert "What not to do" not in priya and "What helps me in a crisis" in priya


def test_under_16_the_card_shows_every_line_and_nobody_chooses(app, as_user):
    # Priya is 15: no choice offered, and a stored choice (say from a competence record
    # since withdrawn) is not applied.
    with app.app_context():
        db.session.get(Case, PRIYA).crisis_card_hidden = "call"
        db.session.commit()
    priya = as_user("priya")
    assert priya.get(f"/cases/{PRIYA}/plan/crisis-card/choose").status_code == 404
    card = _card_text(priya, f"/cases/{PRIYA}/plan/crisis-card")
    assert "Call Mum (Nadia)." in card
    assert as_user("alex").get(CHOOSE).status_code == 404  # a carer never chooses
    assert as_user("kim").get(CHOOSE).status_code == 404


def test_a_carer_never_sees_a_section_kept_from_them(app, as_user):
    from webapp.services import accounts, cases

    with app.app_context():
        alex = accounts.user_by_email("alex@example.org")
        cases.set_hidden_sections(cases.case_by_id(SAM), alex.id, {"red"})
    assert "Call Mum (Alex) first." not in _card_text(as_user("alex"))
    assert "Call Mum (Alex) first." in _card_text(as_user("sam"))


def test_unknown_lines_are_refused(as_user):
    assert as_user("sam").post_form(CHOOSE, {"show": ["name", "x" * 500]}).status_code == 400
