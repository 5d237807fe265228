"""Fast without being wrong: the cached NHS.UK header and footer and the per-request message
counts never show anything stale or another person's, and the main pages keep their number
of queries (a new query per item would show here first)."""

from __future__ import annotations

import gzip
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.test_layout import SETTINGS
from webapp import page_cache
from webapp.extensions import db

SAM_CASE = 1


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def _header(page: str) -> str:
    """The page's header, without the sign-out form's CSRF token (signed with the time)."""
    header = re.search(r"<header.*?</header>", page, re.S).group(0)
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token"', header)


@contextmanager
def counting_queries():
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if (
            not statement.lstrip()
            .upper()
            .startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT"))
        ):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_plan_change_a_setting_and_the_language_show_at_once(app, as_user):
    sam, kim = as_user("sam"), as_user("kim")
    path = f"/cases/{SAM_CASE}/plan/green"
    before = _page(sam, path)
    assert "Drawing comics on Fridays." not in before

    # The plan: a key worker adds an item and shares it; Sam's next page has it.
    with app.app_context():
        from webapp.services import plans

        base = plans.revision(plans.plan_for_case(SAM_CASE))
    saved = kim.post_form(
        f"/staff/cases/{SAM_CASE}/plan/green/new",
        {"base_version": str(base), "part": "keeps-well", "text": "Drawing comics on Fridays.",
         "words": "young_person"},
        page=f"/staff/cases/{SAM_CASE}/plan/green/new",
    )  # fmt: skip
    assert saved.status_code == 302
    assert "Drawing comics on Fridays." not in _page(sam, path)  # still a draft
    shared = kim.post_form(
        f"/staff/cases/{SAM_CASE}/plan/share", {"base_version": str(base + 1)},
        page=f"/staff/cases/{SAM_CASE}/plan/edit",
    )  # fmt: skip
    assert shared.status_code == 302
    assert "Drawing comics on Fridays." in _page(sam, path)

    # A setting: the page's classes change at once.
    assert "mkw-text-largest" not in _page(sam, path)
    assert sam.post_form("/settings/", {**SETTINGS, "language": "en"}).status_code == 302
    after = _page(sam, path)
    assert "mkw-text-largest" in after and "mkw-high-contrast" in after

    # The language: the cached header is in Urdu at once, and back in English at once.
    english_header = _header(after)
    assert "My Key Worker" in english_header
    assert sam.post_form("/settings/", {**SETTINGS, "language": "ur"}).status_code == 302
    urdu = _header(_page(sam, path))
    assert "میرا کی ورکر" in urdu and "My Key Worker" not in urdu
    assert sam.post_form("/settings/", {**SETTINGS, "language": "en"}).status_code == 302
    assert _header(_page(sam, path)) == english_header


def test_the_header_is_never_another_persons(as_user):
    sam, alex = as_user("sam"), as_user("alex")
    sams = _header(_page(sam, "/"))
    alexs = _header(_page(alex, "/"))
    assert "Sam Taylor" in sams and "Alex Taylor" not in sams
    assert "Alex Taylor" in alexs and "Sam Taylor" not in alexs


def test_the_unread_count_in_the_menu_changes_at_once(app, as_user):
    sam, kim = as_user("sam"), as_user("kim")
    assert "new)" not in _header(_page(sam, "/"))
    with app.app_context():
        from webapp.services import accounts, cases, messages

        person = accounts.user_by_email("sam@example.org")
        conversation = messages.conversation_for(cases.case_for_family_member(person), person)
    reply = kim.post_form(
        f"/staff/conversations/{conversation.id}", {"body": "Hello Sam.", "client_key": "perf-1"}
    )
    assert reply.status_code == 302
    assert "(1 new)" in _header(_page(sam, "/"))
    _page(sam, "/messages/")  # reading it marks it read
    assert "new)" not in _header(_page(sam, "/"))


def test_the_sign_out_button_in_a_cached_header_carries_this_sessions_token(as_user):
    sam = as_user("sam")
    _page(sam, "/")
    page = _page(sam, "/")
    header = re.search(r"<header.*?</header>", page, re.S).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', header).group(1)
    assert "__mkw_csrf" not in page
    assert sam.post("/sign-out", data={"csrf_token": token}).status_code == 302


@pytest.mark.parametrize(
    ("who", "path", "most"),
    [
        # A case's young person and team come with the case (2 queries fewer since 2026-12-06).
        ("sam", f"/cases/{SAM_CASE}/plan/about-me", 9),
        ("sam", f"/cases/{SAM_CASE}/plan/green", 9),
        ("sam", "/", 12),  # +1: the newest urgent signal's status, +1: How are we doing? due,
        # +2: the register's newest rating (shown if the team chose) and a stay in hospital
        ("sam", "/messages/", 13),  # +1: the newest urgent message's status
        ("kim", "/staff/inbox", 7),
    ],
)
def test_queries_per_main_page(as_user, who, path, most):
    """Rendered, not served from the page cache (+1 query: the tables' change counters)."""
    client = as_user(who)
    _page(client, path)  # the first visit may make the conversation
    page_cache.clear()
    with counting_queries() as seen:
        _page(client, path)
    assert len(seen) <= most + 1, "\n".join(s.split("FROM")[0][:80] for s in seen)
    # Served from the page cache: the sign-in session, the counters and the person's language.
    # (A visit that falls on a new minute is rendered again; the next one is served.)
    for _ in range(3):
        hits = page_cache.stats["hits"]
        with counting_queries() as seen:
            _page(client, path)
        if page_cache.stats["hits"] == hits + 1:
            break
    else:
        pytest.fail(f"{path} was never served from the page cache")
    assert len(seen) <= 3, "\n".join(s.split("FROM")[0][:80] for s in seen)


def _families_in_kims_team(app, how_many: int) -> None:
    """More cases in Kim's team, each with a young person who has written to Kim and asked
    for help again: rows the inbox and the help-again queue must not pay a query each for."""
    from tests.factories import CaseFactory, CaseKeyWorkerFactory
    from webapp.models import ContactWay, Urgency
    from webapp.services import accounts, help_again, messages

    with app.app_context():
        kim = accounts.user_by_email("kim@example.org")
        for n in range(how_many):
            case = CaseFactory(team=kim.team)
            CaseKeyWorkerFactory(case=case, user=kim)
            person = case.young_person
            conversation = messages.conversation_for(case, person)
            messages.send(conversation, person, f"Hello {n}.", f"grow-{n}", case.team)
            help_again.ask(
                case, person, client_key=f"ask-{n}", happening="Things are hard again.",
                tags=[], urgency=Urgency.THIS_WEEK, contact_way=ContactWay.APP, phone=None,
                email=None, best_times=None, shared=False,
            )  # fmt: skip


@pytest.mark.parametrize("path", ["/staff/inbox", "/staff/requests/", "/"])  # / is the caseload
def test_staff_lists_take_the_same_queries_for_many_families_as_for_few(app, as_user, path):
    kim = as_user("kim")
    _families_in_kims_team(app, 2)
    _page(kim, path)
    with counting_queries() as few:
        _page(kim, path)
    _families_in_kims_team(app, 8)
    _page(kim, path)
    with counting_queries() as many:
        page = _page(kim, path)
    assert "Person" in page  # the new families are listed
    assert len(many) == len(few), "\n".join(s.split("FROM")[0][:80] for s in many)


def _commits_in(do) -> int:
    """Commits made while `do` runs. Inside a test each commit releases a savepoint."""
    made: list[str] = []

    def count(*_args) -> None:
        made.append("commit")

    for name in ("commit", "release_savepoint"):
        event.listen(db.engine, name, count)
    try:
        do()
    finally:
        for name in ("commit", "release_savepoint"):
            event.remove(db.engine, name, count)
    return len(made)


@pytest.mark.parametrize("action", ["assign", "contact", "signpost", "reopen"])
def test_a_help_again_action_commits_once(app, as_user, action):
    """Marking the request seen is part of the action, not a commit of its own: a failure
    half-way leaves neither."""
    from webapp.models import ContactWay, Urgency
    from webapp.services import accounts, cases, help_again

    kim = as_user("kim")
    with app.app_context():
        jordan = accounts.user_by_email("jordan@example.org")
        case = cases.case_for_family_member(jordan)
        asked = help_again.ask(
            case, jordan, client_key="commit-once", happening="Things are hard again.",
            tags=[], urgency=Urgency.THIS_WEEK, contact_way=ContactWay.APP, phone=None,
            email=None, best_times=None, shared=True,
        )  # fmt: skip
        request_id = (asked.added_to or asked.request).id
        kim_id = accounts.user_by_email("kim@example.org").id
    page = f"/staff/requests/{request_id}"
    data = {
        "assign": {"key_worker_id": str(kim_id)},
        "contact": {"words": "We talked on the phone."},
        "signpost": {"to": "The school nurse."},
        "reopen": {},
    }[action]
    token = kim.csrf_token(page)
    acted = _commits_in(lambda: kim.post(f"{page}/{action}", data={"csrf_token": token, **data}))
    assert acted == 1, f"{action} committed {acted} times"
    with app.app_context():
        assert help_again.request_by_id(request_id).seen_at is not None
