"""Share the one-page profile with a named professional: a random token, only what was
chosen, recorded when opened, ended at once."""

from __future__ import annotations

import re
from datetime import timedelta

from webapp.extensions import db
from webapp.models import ShareLink, utcnow
from webapp.services import accounts

SAM, PRIYA = 1, 2


def _make(client, case_id=SAM, who="Ms Jones, my teacher", days="7"):
    path = f"/cases/{case_id}/share"
    return client.post_form(path, {"professional": who, "days": days})


def _link(response) -> str:
    page = response.get_data(as_text=True)
    return re.search(r'href="http://localhost(/shared/[^"]+)"', page).group(1)


def test_a_link_opens_the_profile_without_an_account_and_is_recorded(app, as_user, client):
    sam = as_user("sam")
    response = _make(sam)
    assert response.status_code == 200
    path = _link(response)
    token = path.rsplit("/", 1)[-1]
    assert len(token) >= 40 and "sam" not in path.lower()
    opened = client.get(path)
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    assert "Call Mum (Alex) first." in page  # Red is on the profile
    assert "Ms Jones, my teacher" in page
    with app.app_context():
        assert db.session.query(ShareLink).filter_by(token_hash=token).count() == 0  # hashed
    looked = sam.get(f"/cases/{SAM}/plan/who-looked").get_data(as_text=True)
    assert "Ms Jones, my teacher opened the link on" in looked


def test_private_items_and_other_sections_never_reach_the_link(app, as_user, client):
    from webapp.models import Part, Section, Words
    from webapp.services import plans

    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        plan = plans.plan_for_case(SAM)
        base = plans.revision(plan)
        for section, part, text, private in (
            (Section.RED, Part.TO_DO, "A private red step.", True),
            (Section.GOALS, Part.GOAL, "A goal not on the profile.", False),
        ):
            draft = plans.ItemDraft(section=section, part=part, text=text,
                                    words=Words.YOUNG_PERSON, private=private)  # fmt: skip
            base = plans.add_item(plan, base, kim, draft).revision
        plans.share_changes(plan, base, kim)
    page = client.get(_link(_make(as_user("sam")))).get_data(as_text=True)
    assert "A private red step." not in page and "A goal not on the profile." not in page


def test_ending_a_link_works_at_once_and_expired_links_are_dead(app, as_user, client):
    sam = as_user("sam")
    path = _link(_make(sam))
    with app.app_context():
        link_id = db.session.query(ShareLink).order_by(ShareLink.id.desc()).first().id
    share_page = f"/cases/{SAM}/share"
    sam.post_form(f"{share_page}/{link_id}/end", {}, page=share_page)
    assert client.get(path).status_code == 404
    other = _link(_make(sam, who="A nurse", days="1"))
    with app.app_context():
        link = db.session.query(ShareLink).order_by(ShareLink.id.desc()).first()
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(other).status_code == 404
    assert client.get("/shared/not-a-real-token").status_code == 404


def test_who_may_make_links(app, as_user):
    assert as_user("alex").get(f"/cases/{SAM}/share").status_code == 404  # Sam is 16+
    assert as_user("nadia").get(f"/cases/{PRIYA}/share").status_code == 200  # Priya is 15
    assert as_user("priya").get(f"/cases/{PRIYA}/share").status_code == 200
    assert as_user("kim").get(f"/cases/{SAM}/share").status_code == 404
    assert as_user("nadia").get(f"/cases/{SAM}/share").status_code == 404
    page = _make(as_user("sam"), who="").get_data(as_text=True)
    assert "Write who the link is for" in page
    sam = as_user("sam")
    _make(sam)
    with app.app_context():
        link_id = db.session.query(ShareLink).order_by(ShareLink.id.desc()).first().id
    nadia = as_user("nadia")
    token = nadia.csrf_token(f"/cases/{PRIYA}/share")
    forged = nadia.post(f"/cases/{SAM}/share/{link_id}/end", data={"csrf_token": token})
    assert forged.status_code == 404
