"""Who sees what, generated from policy.WHO_SEES.

For every kind × every relation × under 16 and 16 or over × shared and not shared, this writes
a thing with a unique marker, signs in as a person in each relation, crawls every page that
person can reach (and the thing's own pages, by id), and checks that the marker appears exactly
when the table says so, and that counts (unread messages, shared check-ins, the team's requests)
agree. The expected answers are worked out here from the table's rules, not by calling
`policy.can_see`, so a page that decides visibility on its own is caught.
"""

from __future__ import annotations

import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import pytest

from tests.conftest import PASSWORD, signed_in, staff_of_another_team
from webapp import policy
from webapp.extensions import db
from webapp.models import (
    Appointment,
    AppointmentKind,
    Attendance,
    Base,
    Case,
    ClosingReason,
    ContactWay,
    FeedbackKind,
    Feeling,
    Part,
    Role,
    Section,
    SurveyAnswer,
    Urgency,
    User,
    Words,
    utcnow,
)
from webapp.policy import Kind, Relation, See
from webapp.services import (
    accounts,
    appointments,
    cases,
    feedback,
    help_again,
    journal,
    messages,
    plans,
    sharing,
)

SAM_CASE = 1
# Kinds shown while key working is open, and kinds that exist once it has closed.
OPEN_KINDS = (Kind.PLAN_ITEM, Kind.PRIVATE_PLAN_ITEM, Kind.SUGGESTION, Kind.MESSAGE,
              Kind.JOURNAL_ENTRY, Kind.CHECK_IN, Kind.APPOINTMENT, Kind.AFTER_NOTE,
              Kind.THINGS_TO_SAY, Kind.FEEDBACK, Kind.SURVEY_ANSWER)  # fmt: skip
CLOSED_KINDS = (Kind.HELP_REQUEST, Kind.CLOSING_SUMMARY)
# Kinds that only a young person can own (they are about them, not written by a carer).
YOUNG_PERSON_ONLY = {Kind.PLAN_ITEM, Kind.PRIVATE_PLAN_ITEM, Kind.CLOSING_SUMMARY,
                     Kind.APPOINTMENT, Kind.AFTER_NOTE, Kind.THINGS_TO_SAY}  # fmt: skip
VIEWERS = ("sam", "alex", "bea", "kim", "morgan", "lee", "pat", "robin", "nadia")
# Someone with a link Sam made for the one-page profile (no account).
PROFESSIONAL = "professional"
CRAWL_LIMIT = 160
SKIP = re.compile(
    r"^/(static|sign-out|help/|content/|accessibility|privacy|credits|offline|sw\.js|manifest)"
    r"|/plan/edit/items/|/versions/\d+$"
)


@dataclass
class Thing:
    kind: Kind
    owner: str  # a name in VIEWERS
    marker: str  # text that appears on a page only if the thing is shown
    shared: bool
    record: object = None
    hidden: bool = False  # in a plan section the young person keeps from carers
    urls: list[str] = field(default_factory=list)  # its own pages, tried by id


def _setup_people(app) -> dict[str, User]:
    """Demo people plus a second carer for Sam (Bea) and a key worker of another team (Pat)."""
    with app.app_context():
        case = db.session.get(Case, SAM_CASE)
        # Always in office hours: no automatic reply to count (office hours have their tests).
        case.team.office_days, case.team.office_opens = "0123456", time(0, 0)
        case.team.office_closes = time(23, 59, 59)
        bea = accounts.create_user(email="bea@example.org", name="Bea Taylor", role=Role.CARER,
                                   password=PASSWORD)  # fmt: skip
        cases.link_carer(case.id, bea)
        staff_of_another_team("pat@example.org", "Pat Devon", Role.KEY_WORKER)
        return {n: accounts.user_by_email(f"{n}@example.org").id for n in VIEWERS}


def _relation(viewer: str, owner: str) -> Relation:
    """The test's own reading of who each demo person is to Sam's case."""
    if viewer == owner:
        return Relation.OWNER
    return {
        "sam": Relation.YOUNG_PERSON, "alex": Relation.CARER, "bea": Relation.CARER,
        "kim": Relation.KEY_WORKER, "morgan": Relation.MANAGER, "lee": Relation.TEAM_STAFF,
        "pat": Relation.OTHER_STAFF, "robin": Relation.REVIEWER, "nadia": Relation.ANYONE_ELSE,
        PROFESSIONAL: Relation.PROFESSIONAL,
    }[viewer]  # fmt: skip


def _expected(rule: See, *, shared: bool, under_16: bool, hidden: bool = False) -> bool:
    return {
        See.YES: True,
        See.NO: False,
        See.IF_SHARED: shared,
        See.IF_UNDER_16_OR_SHARED: shared or under_16,
        # A young person's choice of sections and items counts only once they decide (16+).
        See.UNLESS_HIDDEN: not (hidden and not under_16),
    }[rule]


def _set_age(app, under_16: bool) -> None:
    with app.app_context():
        sam = accounts.user_by_email("sam@example.org")
        years = 14 if under_16 else 17
        sam.date_of_birth = date.today().replace(year=date.today().year - years) - timedelta(30)
        db.session.commit()


def _write_open_things(app, shared: bool) -> list[Thing]:
    """Everything a family writes while key working is open, by Sam and by Alex. When not
    sharing, Sam also keeps the plan item from both carers: About me (where the plan items go)
    from Bea, and the item alone (staff marked it sensitive) from Alex."""
    things: list[Thing] = []
    with app.app_context():
        case = db.session.get(Case, SAM_CASE)
        kim = accounts.user_by_email("kim@example.org")
        plan = plans.plan_for_case(case.id)
        keys = []
        for private, kind in ((False, Kind.PLAN_ITEM), (True, Kind.PRIVATE_PLAN_ITEM)):
            marker = f"marker-{kind.value}-{uuid.uuid4().hex[:8]}"
            draft = plans.ItemDraft(section=Section.ABOUT_ME, part=Part.LIKES, text=marker,
                                    words=Words.YOUNG_PERSON, private=private,
                                    sensitive=True)  # fmt: skip
            made = plans.add_item(plan, plans.revision(plan), kim, draft)
            keys.append(next(i.key for i in made.items if i.text == marker))
            plans.share_changes(plan, made.revision, kim)
            pages = [f"/cases/{case.id}/plan/about-me", f"/cases/{case.id}/plan/print"]
            things.append(Thing(kind, "sam", marker, False, urls=pages, hidden=not shared))
        alex = accounts.user_by_email("alex@example.org")
        for carer in case.carers:
            by_item = carer.user_id == alex.id
            sections = set() if shared or by_item else {"about-me"}
            items = set(keys) if not shared and by_item else set()
            cases.set_hidden_sections(case, carer.user_id, sections, items)
        for owner in ("sam", "alex"):
            person = accounts.user_by_email(f"{owner}@example.org")
            marker = f"marker-suggestion-{owner}-{uuid.uuid4().hex[:8]}"
            plans.suggest(plan, person, Section.GREEN, Part.KEEPS_WELL, marker, False,
                          client_key=uuid.uuid4().hex)  # fmt: skip
            things.append(Thing(Kind.SUGGESTION, owner, marker, False,
                                urls=[f"/cases/{case.id}/plan/suggest"]))  # fmt: skip

            marker = f"marker-message-{owner}-{uuid.uuid4().hex[:8]}"
            conversation = messages.conversation_for(case, person)
            messages.send(conversation, person, marker, uuid.uuid4().hex, case.team)
            things.append(Thing(Kind.MESSAGE, owner, marker, False,
                                urls=[f"/staff/conversations/{conversation.id}"]))  # fmt: skip

            entry = journal.check_in(person, case, Feeling.RED, uuid.uuid4().hex)
            marker = f"marker-journal-{owner}-{uuid.uuid4().hex[:8]}"
            journal.save_details(entry, marker, [], talk=False, share=shared)
            things.append(Thing(Kind.JOURNAL_ENTRY, owner, marker, shared, entry.id,
                                urls=[f"/journal/entries/{entry.id}"]))  # fmt: skip

            entry = journal.check_in(person, case, Feeling.RED, uuid.uuid4().hex)
            journal.save_details(entry, "", [], talk=False, share=shared)
            things.append(Thing(Kind.CHECK_IN, owner, f'id="entry-{entry.id}"', shared, entry.id,
                                urls=[f"/journal/entries/{entry.id}"]))  # fmt: skip

            # Feedback: "shared" is the writer leaving it open to the key worker.
            marker = f"marker-feedback-{owner}-{uuid.uuid4().hex[:8]}"
            given = feedback.give(
                case, person, kind=FeedbackKind.IDEA, words=marker, shared=shared,
                client_key=uuid.uuid4().hex, language="en",
            )  # fmt: skip
            things.append(Thing(Kind.FEEDBACK, owner, marker, shared, given.id,
                                urls=[f"/staff/feedback/{given.id}"]))  # fmt: skip

            # How are we doing? The comment is the marker; the counts show no names.
            marker = f"marker-survey-{owner}-{uuid.uuid4().hex[:8]}"
            db.session.add(SurveyAnswer(case_id=case.id, author_id=person.id, listened=4,
                                        know_contact=5, better=3, comment=marker))  # fmt: skip
            db.session.commit()
            things.append(Thing(Kind.SURVEY_ANSWER, owner, marker, False,
                                urls=["/how-are-we-doing"]))  # fmt: skip
        things += _write_appointments(case, kim, shared)
    return things


def _write_appointments(case, kim, shared: bool) -> list[Thing]:
    """What happens next: an appointment (carers see it if Sam is under 16 or it is shared with
    them), a note after a meeting that happened, and Sam's "Things I want to say"."""
    sam = accounts.user_by_email("sam@example.org")
    things = []
    soon, past = utcnow() + timedelta(days=2), utcnow() - timedelta(days=2)
    made = []
    for label, start in (("appointment", soon), ("after", past), ("say", soon)):
        marker = f"marker-{label}-{uuid.uuid4().hex[:8]}"
        draft = appointments.Draft(
            AppointmentKind.DOCTOR, None, start, None, Attendance.PHONE, None, None,
            marker if label == "appointment" else "A check-up.", None, carers_see=shared,
        )  # fmt: skip
        found = Appointment(case_id=case.id, author_id=kim.id, client_key=marker)
        appointments._apply(found, draft)
        db.session.add(found)
        db.session.commit()
        made.append((label, marker, found))
    for label, marker, found in made:
        pages = [f"/next/{found.id}", f"/staff/cases/{case.id}/appointments"]
        if label == "appointment":
            things.append(Thing(Kind.APPOINTMENT, "sam", marker, shared, urls=pages))
        elif label == "after":
            appointments.save_note(found, kim, marker)
            things.append(Thing(Kind.AFTER_NOTE, "sam", marker, shared, urls=pages))
        else:
            appointments.save_things_to_say(found, sam, marker, shared)
            things.append(Thing(Kind.THINGS_TO_SAY, "sam", marker, shared, urls=pages))
    return things


def _write_closed_things(app, shared: bool) -> list[Thing]:
    """Key working has stopped: the summary, and a request for help from Sam and from Alex."""
    things: list[Thing] = []
    with app.app_context():
        case = db.session.get(Case, SAM_CASE)
        kim = accounts.user_by_email("kim@example.org")
        marker = f"marker-closing-{uuid.uuid4().hex[:8]}"
        closure = help_again.plan_closing(
            case, kim, summary=marker, supported_by="The college nurse.",
            if_harder="Ask for help again.", reason=ClosingReason.GOALS_MET,
            closes_on=date.today(),
        )  # fmt: skip
        help_again.close(case, closure, kim)
        things.append(Thing(Kind.CLOSING_SUMMARY, "sam", marker, False))
        for owner in ("sam", "alex"):
            person = accounts.user_by_email(f"{owner}@example.org")
            marker = f"marker-request-{owner}-{uuid.uuid4().hex[:8]}"
            asked = help_again.ask(
                case, person, client_key=uuid.uuid4().hex, happening=marker, tags=[],
                urgency=Urgency.THIS_WEEK, contact_way=ContactWay.APP, phone=None, email=None,
                best_times=None, shared=shared,
            )  # fmt: skip
            things.append(Thing(Kind.HELP_REQUEST, owner, marker, shared, asked.request.id,
                                urls=[f"/staff/requests/{asked.request.id}"]))  # fmt: skip
    return things


def _crawl(client, extra: list[str]) -> str:
    """Every page this person reaches by links from home (and the things' own pages)."""
    seen: set[str] = set()
    queue = deque(["/", *extra])
    pages: list[str] = []
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        assert len(seen) <= CRAWL_LIMIT, f"crawl reached {CRAWL_LIMIT} pages: raise the limit"
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages.append(html)
        for link in re.findall(r'<a [^>]*href="(/[^"#?]*)"', html):
            if SKIP.search(link):
                continue
            # Only Sam's case: other families' pages are not what this test looks at.
            other_case = re.match(r"^/(?:staff/)?cases/(\d+)", link)
            if other_case and int(other_case.group(1)) != SAM_CASE:
                continue
            queue.append(link)
    return "\n".join(pages)


def _counts(app, ids: dict[str, int], name: str) -> tuple[int, int, int]:
    """Unread messages, Sam's shared red check-ins, and the team's open requests, as shown."""
    with app.app_context():
        person = db.session.get(User, ids[name])
        unread = messages.unread_total(person)
        attention = team = 0
        if person.role in policy.STAFF and person.team_id is not None:
            attention = journal.attention_counts([SAM_CASE], utcnow() - timedelta(days=1)).get(
                SAM_CASE, 0
            )
            case = db.session.get(Case, SAM_CASE)
            attention = attention if policy.can_see_case(person, case) else 0
            team = len(help_again.team_queue(person.team_id))
        return unread, attention, team


SCENARIOS = [
    pytest.param(
        world,
        under_16,
        shared,
        id=f"{world}-{'under16' if under_16 else '16plus'}-{'shared' if shared else 'private'}",
    )  # fmt: skip
    for world in ("open", "closed")
    for under_16 in (True, False)
    for shared in (False, True)
]


@pytest.mark.parametrize(("world", "under_16", "shared"), SCENARIOS)
def test_every_page_shows_exactly_what_the_table_allows(app, outbox, world, under_16, shared):
    ids = _setup_people(app)
    _set_age(app, under_16)
    before = {name: _counts(app, ids, name) for name in VIEWERS}
    write = _write_open_things if world == "open" else _write_closed_things
    things = write(app, shared)
    assert {t.kind for t in things} == set(OPEN_KINDS if world == "open" else CLOSED_KINDS)

    # Counts first: reading a conversation marks it read.
    after = {name: _counts(app, ids, name) for name in VIEWERS}
    wrong = []
    for name in VIEWERS:
        client = signed_in(app, f"{name}@example.org")
        text = _crawl(client, [u for t in things for u in t.urls])
        for thing in things:
            rule = policy.WHO_SEES[thing.kind][_relation(name, thing.owner)]
            expected = _expected(rule, shared=thing.shared, under_16=under_16, hidden=thing.hidden)
            if (thing.marker in text) != expected:
                wrong.append(f"{name} {'should' if expected else 'should not'} see "
                             f"{thing.kind.value} by {thing.owner}")  # fmt: skip
        # Counts agree with the table.
        unread, attention, team = after[name]
        messages_seen = sum(
            1 for t in things if t.kind is Kind.MESSAGE and t.owner != name
            and _expected(policy.WHO_SEES[Kind.MESSAGE][_relation(name, t.owner)],
                          shared=t.shared, under_16=under_16)
        )  # fmt: skip
        if unread - before[name][0] != messages_seen:
            wrong.append(f"{name}'s unread count went up by {unread - before[name][0]}")
        if world == "open" and name in ("kim", "morgan"):
            shared_red = sum(1 for t in things if t.kind in (Kind.CHECK_IN, Kind.JOURNAL_ENTRY)
                             and t.shared)  # fmt: skip
            if attention - before[name][1] != shared_red:
                wrong.append(f"{name}'s check-in count went up by {attention - before[name][1]}")
        # One open request per case: Alex's ask was added to Sam's.
        if world == "closed" and name in ("kim", "morgan", "lee") and team - before[name][2] != 1:
            wrong.append(f"{name}'s team queue went up by {team - before[name][2]}")
    # Someone Sam gave a link to the one-page profile, with no account.
    # The profile shows the agreed plan: agree the newest version first.
    with app.app_context():
        case = db.session.get(Case, SAM_CASE)
        sam = accounts.user_by_email("sam@example.org")
        plan = plans.plan_for_case(case.id)
        if world == "open":
            number = plans.latest_version(plan).number
            plans.agree(plan, number, sam, for_family=True)
            plans.agree(plan, number, accounts.user_by_email("kim@example.org"), for_family=False)
        _link, token = sharing.create(case, sam, "Ms Jones, teacher", 1)
    anonymous = app.test_client()
    text = _crawl(anonymous, [f"/shared/{token}", *(u for t in things for u in t.urls)])
    for thing in things:
        rule = policy.WHO_SEES[thing.kind][Relation.PROFESSIONAL]
        expected = _expected(rule, shared=thing.shared, under_16=under_16, hidden=thing.hidden)
        if (thing.marker in text) != expected:
            wrong.append(f"a professional {'should' if expected else 'should not'} see "
                         f"{thing.kind.value} by {thing.owner}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    # Nothing anyone wrote ever goes out in an email.
    for mail in outbox:
        assert not any(t.marker in str(mail) for t in things)


def test_every_kind_has_a_full_row_and_a_probe():
    for kind in Kind:
        assert set(policy.WHO_SEES[kind]) == set(Relation), kind
    assert set(OPEN_KINDS) | set(CLOSED_KINDS) == set(Kind), "add a probe for the new kind"
    # Nobody outside the case, and no reviewer, ever sees anything a family wrote.
    for kind in Kind:
        for outsider in (Relation.OTHER_STAFF, Relation.REVIEWER, Relation.ANYONE_ELSE):
            assert policy.WHO_SEES[kind][outsider] is See.NO


def test_every_table_is_a_kind_or_says_why_not():
    described = {model.__table__.name for model in policy.described_models()}
    for table in Base.metadata.sorted_tables:
        assert table.name in described or table.name in policy.NOT_A_KIND, (
            f"{table.name}: describe it in policy._DESCRIBE with a row in WHO_SEES, "
            "or say in policy.NOT_A_KIND why it holds nothing anyone wrote"
        )
    assert not described & set(policy.NOT_A_KIND)
