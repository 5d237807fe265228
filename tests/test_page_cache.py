"""Whole pages kept and served again (webapp/page_cache.py): fast, and never stale or someone
else's. The plan, a setting and the language are in test_performance.py; here the rest of what
a kept page depends on, and what must never be kept."""

from __future__ import annotations

import gzip
import re

import pytest
from sqlalchemy import delete, func, select

from webapp import page_cache
from webapp.extensions import db
from webapp.models import AuditEvent, CaseCarer, Preferences
from webapp.services import accounts

SAM = 1
SECTION = f"/cases/{SAM}/plan/about-me"


def _page(client, path: str, status: int = 200) -> str:
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == status, (path, response.status_code)
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def _kept(client, path: str) -> str:
    """The page served from the page cache (a visit on a new minute renders it again)."""
    for _ in range(3):
        hits = page_cache.stats["hits"]
        page = _page(client, path)
        if page_cache.stats["hits"] == hits + 1:
            return page
    pytest.fail(f"{path} was never served from the page cache")


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)


def test_a_kept_page_is_served_again_the_same_but_for_its_token(as_user):
    sam = as_user("sam")
    first = _page(sam, SECTION)
    again = _kept(sam, SECTION)
    assert _without_tokens(again) == _without_tokens(first)
    assert "__mkw_csrf" not in again


def test_each_session_gets_its_own_token_and_it_works(as_user):
    one, two = as_user("sam"), as_user("sam")
    _page(one, SECTION)
    kept_for_two = _kept(two, SECTION)  # the page one's visit kept, with two's token
    assert _token(kept_for_two) != _token(_page(one, SECTION))
    # The layout toggle on the kept page posts with that token.
    toggled = two.post(
        "/settings/layout",
        data={"csrf_token": _token(kept_for_two), "layout": "standard", "next": SECTION},
    )
    assert toggled.status_code == 302
    assert 'class="mkw-standard' in _page(two, SECTION)
    assert 'class="mkw-standard' in _page(one, SECTION)  # the setting is the person's


def test_a_page_is_never_another_persons(as_user):
    sam, alex = as_user("sam"), as_user("alex")
    for _ in range(2):
        sams, alexs = _page(sam, SECTION), _page(alex, SECTION)
        assert "Sam Taylor" in sams and "Alex Taylor" not in sams
        assert "Alex Taylor" in alexs and "Sam Taylor" not in alexs


def test_a_section_kept_from_a_carer_goes_from_their_pages_at_once(app, as_user):
    sam, alex = as_user("sam"), as_user("alex")
    red = f"/cases/{SAM}/plan/red"
    assert "Call Mum (Alex) first." in _page(alex, red)
    assert f'href="{red}"' in _page(alex, f"/cases/{SAM}/plan/")
    with app.app_context():
        alex_id = accounts.user_by_email("alex@example.org").id
    sees = ["about-me", "goals", "green", "amber", "who-helps", "actions"]
    chosen = sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(alex_id), "sees": sees})
    assert chosen.status_code == 302
    _page(alex, red, status=404)
    assert f'href="{red}"' not in _page(alex, f"/cases/{SAM}/plan/")


def test_a_carer_taken_off_the_case_sees_nothing_at_once(app, as_user):
    alex = as_user("alex")
    _page(alex, SECTION)
    _kept(alex, SECTION)
    with app.app_context():
        alex_id = accounts.user_by_email("alex@example.org").id
        db.session.execute(delete(CaseCarer).where(CaseCarer.user_id == alex_id))
        db.session.commit()
    _page(alex, SECTION, status=404)


def test_a_page_that_writes_is_never_kept(app, as_user):
    """A key worker's read of a plan is audited: every visit must write its own record."""
    kim = as_user("kim")

    def audited() -> int:
        with app.app_context():
            return db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "read")
            )

    before = audited()
    for _ in range(3):
        _page(kim, SECTION)
    assert audited() == before + 3


def test_a_message_waiting_to_be_shown_is_shown(as_user):
    sam = as_user("sam")
    _page(sam, SECTION)
    page = sam.post_form("/settings/layout", {"layout": "standard", "next": SECTION}, page=SECTION)
    assert page.status_code == 302
    # A flashed message is never served from a kept page, nor kept with the page.
    with sam.session_transaction() as session:
        session["_flashes"] = [("success", "Your settings are saved.")]
    assert "Your settings are saved." in _page(sam, SECTION)
    assert "Your settings are saved." not in _page(sam, SECTION)


def test_a_counter_goes_up_when_its_table_is_written_and_not_for_a_rollback(app):
    with app.app_context():
        before = page_cache.generations().get("preferences", 0)
        prefs = db.session.scalars(select(Preferences)).first()
        prefs.pictures = not prefs.pictures
        db.session.flush()
        db.session.rollback()
        assert page_cache.generations().get("preferences", 0) == before
        prefs = db.session.scalars(select(Preferences)).first()
        prefs.pictures = not prefs.pictures
        db.session.commit()
        assert page_cache.generations()["preferences"] == before + 1
