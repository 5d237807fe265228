"""Who may see or do what. Every view declares its audience here; every object is checked here.

Wrong audience or someone else's object: 404, so nothing reveals that a page or record exists.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from .models import (
    Appointment,
    AppointmentNote,
    Case,
    CaseClosure,
    CaseStatus,
    Conversation,
    Feedback,
    HelpRequest,
    JournalEntry,
    Message,
    PlanItem,
    PlanSuggestion,
    Role,
    SurveyAnswer,
    Team,
    ThingsToSay,
    User,
)

ACCESS_ATTR = "mkw_access"
FAMILY = frozenset({Role.YOUNG_PERSON, Role.CARER})
STAFF = frozenset({Role.KEY_WORKER, Role.MANAGER})
EVERYONE = frozenset(Role)


def _declare(view: Callable, audience: str) -> Callable:
    setattr(view, ACCESS_ATTR, audience)
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not (sign-in page, help, accessibility statement)."""
    return _declare(view, "public")


def allow(*roles: Role | Iterable[Role]) -> Callable[[Callable], Callable]:
    """Only signed-in people with one of these roles. Others signed in get 404."""
    wanted: set[Role] = set()
    for r in roles:
        wanted.update([r] if isinstance(r, Role) else r)
    frozen = frozenset(wanted)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from .extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in frozen:
                abort(404)
            return view(*args, **kwargs)

        return _declare(wrapped, "roles:" + ",".join(sorted(r.value for r in frozen)))

    return decorator


CSRF_IN_FORM_ATTR = "mkw_csrf_in_form"


def csrf_in_form(view: Callable) -> Callable:
    """This view checks CSRF through its FlaskForm, so a bad token re-shows the form with
    what was typed and a kind message. Every other POST is checked before the view runs."""
    setattr(view, CSRF_IN_FORM_ATTR, True)
    return view


def can_see_case(user: User, case: Case) -> bool:
    if user.role is Role.YOUNG_PERSON:
        return case.young_person_id == user.id
    if user.role is Role.CARER:
        return any(c.user_id == user.id for c in case.carers)
    if user.role is Role.KEY_WORKER:
        return any(k.user_id == user.id for k in case.key_workers)
    if user.role is Role.MANAGER:
        return user.team_id == case.team_id
    return False


def can_manage_team(user: User, team: Team) -> bool:
    return user.role is Role.MANAGER and user.team_id == team.id


def can_switch_account(user: User, person: User, cases: Iterable[Case]) -> bool:
    """A manager switches off (and on) the account of someone in their own team, or of a young
    person or carer on one of the team's cases (`cases`: the cases this person is on). Never
    their own, so a team always keeps a manager who can switch it on again."""
    if user.role is not Role.MANAGER or user.team_id is None or person.id == user.id:
        return False
    if person.role in STAFF:
        return person.team_id == user.team_id
    if person.role in FAMILY:
        return any(c.team_id == user.team_id and can_see_case(person, c) for c in cases)
    return False


def can_assign_key_workers(user: User, case: Case) -> bool:
    return user.role is Role.MANAGER and user.team_id == case.team_id


def invitable_roles(user: User) -> list[Role]:
    """Key workers invite families to their cases; managers also invite colleagues."""
    if user.role is Role.KEY_WORKER:
        return [Role.YOUNG_PERSON, Role.CARER]
    if user.role is Role.MANAGER:
        return [Role.YOUNG_PERSON, Role.CARER, Role.KEY_WORKER, Role.MANAGER, Role.REVIEWER]
    return []


def can_invite_to_case(user: User, case: Case) -> bool:
    if user.role is Role.KEY_WORKER:
        return can_see_case(user, case)
    return can_assign_key_workers(user, case)


# The plan ---------------------------------------------------------------------------------

ADULT_DECIDES_AGE = 16


def young_person_decides(case: Case, today: date) -> bool:
    """At 16 or over the young person decides what their carers see and agrees for themselves;
    under 16 too once a key worker has recorded that they are competent to (Gillick)."""
    age = case.young_person.age_on(today)
    return age is None or age >= ADULT_DECIDES_AGE or case.competent_at is not None


def _carer_choice(user: User | LinkViewer, case: Case, today: date | None):
    """This carer's row on the case, while the young person decides; else None."""
    if user.role is not Role.CARER or not young_person_decides(case, today or date.today()):
        return None
    return next((c for c in case.carers if c.user_id == user.id), None)


def hidden_sections(
    user: User | LinkViewer, case: Case, today: date | None = None
) -> frozenset[str]:
    """Plan sections the young person keeps from this carer (only while they decide)."""
    row = _carer_choice(user, case, today)
    return frozenset(row.hidden_sections.split()) if row else frozenset()


def hidden_items(user: User | LinkViewer, case: Case, today: date | None = None) -> frozenset[str]:
    """Keys of single plan items the young person keeps from this carer (only while they
    decide). Offered for items staff marked sensitive; a choice made stands if the mark goes."""
    row = _carer_choice(user, case, today)
    return frozenset(row.hidden_items.split()) if row else frozenset()


def keeps_something_from(user: User | LinkViewer, case: Case, items: Iterable) -> bool:
    """Whether this carer is kept from a section, or from one of these plan items: they are
    told that some parts are private, never which."""
    if hidden_sections(user, case):
        return True
    keys = hidden_items(user, case)
    return bool(keys) and any(i.key in keys for i in items)


def can_choose_for_carers(user: User, case: Case, today: date | None = None) -> bool:
    """The young person chooses what each carer sees once they decide."""
    return (
        user.role is Role.YOUNG_PERSON
        and case.young_person_id == user.id
        and young_person_decides(case, today or date.today())
    )


def can_choose_crisis_card(user: User, case: Case, today: date | None = None) -> bool:
    """The young person chooses which lines their crisis card shows once they decide; until
    then the card shows every line. Carers and staff see the same card, never choose."""
    return can_choose_for_carers(user, case, today)


def can_share_plan(user: User, case: Case, today: date | None = None) -> bool:
    """The young person makes links for professionals; a carer only for a child who does not
    decide yet (under 16 and not recorded as competent)."""
    if user.role is Role.YOUNG_PERSON:
        return case.young_person_id == user.id
    return (
        user.role is Role.CARER
        and any(c.user_id == user.id for c in case.carers)
        and not young_person_decides(case, today or date.today())
    )


def can_record_competence(user: User, case: Case) -> bool:
    return is_case_staff(user, case)


def can_edit_plan(user: User, case: Case) -> bool:
    """Staff on the case, while key working is open (a closed plan stays as it was)."""
    if case.status is CaseStatus.CLOSED:
        return False
    return is_case_staff(user, case)


def can_translate_plan(user: User, case: Case) -> bool:
    """Recording a translation of a plan item is a change to the plan: the same staff."""
    return can_edit_plan(user, case)


def is_case_staff(user: User, case: Case) -> bool:
    if user.role is Role.KEY_WORKER:
        return any(k.user_id == user.id for k in case.key_workers)
    return user.role is Role.MANAGER and user.team_id == case.team_id


def can_suggest_for_plan(user: User, case: Case) -> bool:
    return user.role in FAMILY and can_see_case(user, case) and case.status is not CaseStatus.CLOSED


def can_agree_for_family(user: User, case: Case, today: date) -> bool:
    """The young person agrees; a carer agrees for them only while they are under 16."""
    if not can_see_case(user, case) or case.status is CaseStatus.CLOSED:
        return False
    if user.role is Role.YOUNG_PERSON:
        return True
    return user.role is Role.CARER and not young_person_decides(case, today)


def can_keep_private(user: User, case: Case, today: date) -> bool:
    return user.role is Role.YOUNG_PERSON and young_person_decides(case, today)


def can_see_person(user: User, person: User, case: Case) -> bool:
    """Staff who may see a case may see (and record the needs of) its young person and carers."""
    people = {case.young_person_id, *(c.user_id for c in case.carers)}
    return user.role in STAFF and can_see_case(user, case) and person.id in people


# What matters to me ------------------------------------------------------------------------


def can_see_entry(user: User, entry: JournalEntry, case: Case) -> bool:
    return can_see(user, entry, case)


# Messages -----------------------------------------------------------------------------------


def can_see_conversation(user: User, conversation: Conversation, case: Case) -> bool:
    return can_see(user, conversation, case)


# What happens next ----------------------------------------------------------------------------


def can_arrange_appointments(user: User, case: Case) -> bool:
    """The case's key workers and its team's manager, also once the case has closed (to help
    a family who asked for help again)."""
    return is_case_staff(user, case)


def can_choose_carers_see(user: User, case: Case, today: date) -> bool:
    """From 16 the young person decides whether parents and carers see an appointment."""
    return user.role is Role.YOUNG_PERSON and young_person_decides(case, today)


def can_write_messages(user: User, case: Case) -> bool:
    """Messaging closes with key working; the family can ask for help again instead."""
    return case.status is not CaseStatus.CLOSED


# Closing and the open door ---------------------------------------------------------------------


def can_close(user: User, case: Case) -> bool:
    return case.status is not CaseStatus.CLOSED and is_case_staff(user, case)


def can_record_death(user: User, case: Case) -> bool:
    """The team's manager, once key working has stopped: the records are then kept for 8 years
    from that day (services/retention.py)."""
    return (
        case.status is CaseStatus.CLOSED
        and user.role is Role.MANAGER
        and user.team_id == case.team_id
    )


def can_ask_help_again(user: User, case: Case) -> bool:
    """The young person or a carer, once key working has ended."""
    return user.role in FAMILY and can_see_case(user, case) and case.status is CaseStatus.CLOSED


def can_handle_request(user: User, case: Case) -> bool:
    """The team's manager and key workers: the case's key workers may have moved on."""
    return user.role in STAFF and user.team_id == case.team_id


def can_take_request(key_worker: User, case: Case) -> bool:
    """Who a help-again request can be given to: a key worker of the case's team."""
    return key_worker.role is Role.KEY_WORKER and key_worker.team_id == case.team_id


# Urgent signals -------------------------------------------------------------------------------


def can_handle_alert(user: User, case: Case) -> bool:
    """Anyone on the case's team staff may be told (duty, manager, every key worker when it
    escalates) and may say "I have seen this". The alert shows no content: what it came from
    opens only for those who may see that thing."""
    return user.role in STAFF and user.team_id == case.team_id


def can_see_alert_status(user: User, alert, case: Case, source: object = None) -> bool:
    """Whether anyone has seen it: the family member who raised it; for a help-again request,
    whoever may see that request (WHO_SEES: from 16 a young person's request is private from
    carers, and so is whether the team has seen it). A check-in's status stays private."""
    if alert.case_id != case.id or user.role not in FAMILY or not can_see_case(user, case):
        return False
    if alert.raised_by_id == user.id:
        return True
    return alert.source == "help_request" and source is not None and can_see(user, source, case)


def can_answer_did_it_help(user: User, entry: JournalEntry) -> bool:
    """Only the young person, about their own Amber plan, for their own amber check-in."""
    return user.role is Role.YOUNG_PERSON and entry.author_id == user.id


def can_see_helped_answers(user: User, case: Case) -> bool:
    """ "Did it help?" answers are about the plan: the case's staff see them beside the items
    (the young person is told so before answering). Not the check-in itself, not carers."""
    return is_case_staff(user, case)


def can_manage_team_settings(user: User, team: Team) -> bool:
    return can_manage_team(user, team)


# Called with the case when someone is refused a case that exists (the audit trail listens).
DENIED: list[Callable[[Case], None]] = []


# Listening and learning ---------------------------------------------------------------------


def can_give_feedback(user: User, case: Case) -> bool:
    """Young people and carers, at any time: while key working is open and after it stops."""
    return user.role in FAMILY and can_see_case(user, case)


def can_act_on_feedback(user: User, case: Case) -> bool:
    """The team's manager looks at feedback, says what was done and replies."""
    return user.role is Role.MANAGER and user.team_id == case.team_id


def can_see_service(user: User, team_id: int) -> bool:
    """The manager's view of the service and the reports: the manager's own team only."""
    return user.role is Role.MANAGER and user.team_id == team_id


def can_note_service_gap(user: User, case: Case) -> bool:
    return is_case_staff(user, case)


# The register (Dynamic Support Register) -----------------------------------------------------
#
# The register is a staff record: rating changes with their reasons, hospital admissions and
# discharges are seen by staff who may see the case. The family sees two things from it, and
# only through these two rules: the rating in kind words when the team chose to show it (never
# the reason), and the hospital's and ward's contact details while the young person is there.


def can_update_register(user: User, case: Case) -> bool:
    """The case's key workers and the team's manager, while the case is open."""
    return case.status is not CaseStatus.CLOSED and is_case_staff(user, case)


def can_see_register(user: User, case: Case) -> bool:
    return user.role in STAFF and can_see_case(user, case)


def can_escalate_barrier(user: User, case: Case) -> bool:
    """A senior practitioner on the case, or the team's manager, challenges and escalates."""
    if not can_update_register(user, case):
        return False
    if user.role is Role.MANAGER:
        return True
    return any(k.user_id == user.id and k.role.value == "senior" for k in case.key_workers)


def can_change_register_settings(user: User) -> bool:
    return user.role is Role.MANAGER and user.team_id is not None


def family_sees_rating(user: User, case: Case, change: Any) -> bool:
    """The young person and their carers see the newest rating in kind words, when the team
    chose to show it to them."""
    return (
        user.role in FAMILY
        and can_see_case(user, case)
        and change is not None
        and change.case_id == case.id
        and bool(change.show_family)
        and case.status is not CaseStatus.CLOSED
    )


def sees_hospital_contact(user: User, case: Case, admission: Any) -> bool:
    """Everyone on the case sees the hospital's and ward's contact details while the young
    person is in hospital (an admission with no discharge)."""
    return (
        admission is not None
        and admission.case_id == case.id
        and admission.discharge is None
        and can_see_case(user, case)
    )


def case_or_404(user: User, case: Case | None) -> Case:
    if case is None:
        abort(404)
    if not can_see_case(user, case):
        for hook in DENIED:
            hook(case)
        abort(404)
    return case


# Who sees what ------------------------------------------------------------------------------
#
# One table for every kind of thing a person writes, or that is written about them. Every page,
# count, timeline, print page, email, push, export and offline copy asks `can_see` or
# `visible`; nothing decides visibility on its own. tests/test_who_sees.py builds every kind ×
# relation × age × choice from this table and checks every page against it.
#
# To add a kind: add it to `Kind`, give it a row in `WHO_SEES`, map its model in `describe`
# (which kind, whose it is, whether it was shared), and add a probe to tests/test_who_sees.py.


class Kind(enum.StrEnum):
    PLAN_ITEM = "plan_item"
    PRIVATE_PLAN_ITEM = "private_plan_item"  # kept from carers by a young person 16 or over
    SUGGESTION = "suggestion"  # a family member's suggestion for the plan
    MESSAGE = "message"  # a message in a family member's conversation with the team
    JOURNAL_ENTRY = "journal_entry"  # words written in What matters to me
    CHECK_IN = "check_in"  # a colour chosen in What matters to me, with no words
    HELP_REQUEST = "help_request"  # "I would like help again"
    CLOSING_SUMMARY = "closing_summary"  # the step-down summary written at closing
    APPOINTMENT = "appointment"  # What happens next: a meeting and what staff wrote about it
    AFTER_NOTE = "after_note"  # what was agreed, written by staff after the meeting
    THINGS_TO_SAY = "things_to_say"  # "Things I want to say", written before a meeting
    FEEDBACK = "feedback"  # "Tell us what you think" (Ask Listen Do)
    SURVEY_ANSWER = "survey_answer"  # an answer to "How are we doing?", with its comment


class Relation(enum.StrEnum):
    """How the person looking is related to the thing and its case."""

    OWNER = "owner"  # the family member it belongs to (who wrote it; whose conversation or plan)
    YOUNG_PERSON = "young_person"  # the case's young person, when someone else owns it
    CARER = "carer"  # a parent or carer on the case who does not own it
    KEY_WORKER = "key_worker"  # a key worker on the case
    MANAGER = "manager"  # the manager of the case's team
    TEAM_STAFF = "team_staff"  # a key worker in the case's team, not on the case
    OTHER_STAFF = "other_staff"  # staff of another team
    REVIEWER = "reviewer"  # an expert by experience: never sees personal data
    PROFESSIONAL = "professional"  # someone with a link the family made, while it lasts
    ANYONE_ELSE = "anyone_else"  # another family, or anyone else


class See(enum.Enum):
    YES = "yes"
    NO = "no"
    IF_SHARED = "if shared"  # only when the owner chose to share it
    IF_UNDER_16_OR_SHARED = "if under 16 or shared"  # from 16 the young person decides
    UNLESS_HIDDEN = "unless hidden"  # unless the young person (who decides) hid its section or it


_Y, _N, _S, _U, _H = See.YES, See.NO, See.IF_SHARED, See.IF_UNDER_16_OR_SHARED, See.UNLESS_HIDDEN
_COLUMNS = tuple(Relation)


def _row(*rules: See) -> dict[Relation, See]:
    assert len(rules) == len(_COLUMNS)
    return dict(zip(_COLUMNS, rules, strict=True))


# fmt: off
WHO_SEES: dict[Kind, dict[Relation, See]] = {
    #                            owner young carer kw  mgr team other review prof else
    Kind.PLAN_ITEM:         _row(_Y,   _Y,   _H,   _Y, _Y, _N,  _N,   _N,    _Y,  _N),
    Kind.PRIVATE_PLAN_ITEM: _row(_Y,   _Y,   _N,   _Y, _Y, _N,  _N,   _N,    _N,  _N),
    Kind.SUGGESTION:        _row(_Y,   _N,   _N,   _Y, _Y, _N,  _N,   _N,    _N,  _N),
    Kind.MESSAGE:           _row(_Y,   _N,   _N,   _Y, _Y, _N,  _N,   _N,    _N,  _N),
    Kind.JOURNAL_ENTRY:     _row(_Y,   _N,   _N,   _S, _S, _N,  _N,   _N,    _N,  _N),
    Kind.CHECK_IN:          _row(_Y,   _N,   _N,   _S, _S, _N,  _N,   _N,    _N,  _N),
    # A carer's request is always shared with the family (stored shared): the young person is
    # told. A young person's is seen by carers while under 16, or when they choose to share it.
    Kind.HELP_REQUEST:      _row(_Y,   _Y,   _U,   _Y, _Y, _Y,  _N,   _N,    _N,  _N),
    Kind.CLOSING_SUMMARY:   _row(_Y,   _Y,   _Y,   _Y, _Y, _Y,  _N,   _N,    _N,  _N),
    # Appointments are about the young person. Under 16 parents and carers see every one (they
    # usually take them). From 16 the young person decides: each appointment says whether
    # carers see it ("shared"), staff set it when they add it after asking, and the young
    # person can change it. A note after the meeting follows its appointment. Team staff not
    # on the case do not see them: they are not part of handling a request for help again.
    # A professional's link opens the plan only.
    Kind.APPOINTMENT:       _row(_Y,   _Y,   _U,   _Y, _Y, _N,  _N,   _N,    _N,  _N),
    Kind.AFTER_NOTE:        _row(_Y,   _Y,   _U,   _Y, _Y, _N,  _N,   _N,    _N,  _N),
    # Private to the young person until they share it with the team; never with carers.
    Kind.THINGS_TO_SAY:     _row(_Y,   _N,   _N,   _S, _S, _N,  _N,   _N,    _N,  _N),
    # Feedback is stored shared with the case's key worker; the writer can choose that only the
    # team's manager knows (shared = False). Anonymity is all or nothing: a caseload is about
    # 10 families, so the words alone would often tell the key worker who wrote them. The
    # manager always knows who wrote it, to reply. Young people and carers never see each
    # other's feedback. A professional's link opens the plan only.
    Kind.FEEDBACK:          _row(_Y,   _N,   _N,   _S, _Y, _N,  _N,   _N,    _N,  _N),
    # "How are we doing?": staff see counts only (services.service_view); the team's manager
    # reads the comments without names; the key worker named in them never sees an answer.
    Kind.SURVEY_ANSWER:     _row(_Y,   _N,   _N,   _N, _Y, _N,  _N,   _N,    _N,  _N),
}
# fmt: on


@dataclass(frozen=True)
class Facts:
    """What the table needs to know about one record."""

    kind: Kind
    case_id: int
    owner_id: int
    shared: bool = False
    section: str | None = None  # the plan section it sits in, for choices made per section
    item_key: str | None = None  # the plan item it is, for choices made per item


_DESCRIBE: dict[type, Callable[[Any, Case], Facts]] = {
    PlanItem: lambda i, case: Facts(
        Kind.PRIVATE_PLAN_ITEM if i.private else Kind.PLAN_ITEM,
        i.version.plan.case_id, case.young_person_id, section=i.section.value, item_key=i.key,
    ),
    PlanSuggestion: lambda s, case: Facts(Kind.SUGGESTION, s.plan.case_id, s.author_id),
    Conversation: lambda c, case: Facts(Kind.MESSAGE, c.case_id, c.member_id),
    Message: lambda m, case: Facts(Kind.MESSAGE, m.conversation.case_id, m.conversation.member_id),
    JournalEntry: lambda e, case: Facts(
        Kind.JOURNAL_ENTRY if e.words else Kind.CHECK_IN, e.case_id, e.author_id, e.shared
    ),
    HelpRequest: lambda r, case: Facts(Kind.HELP_REQUEST, r.case_id, r.author_id, r.shared),
    CaseClosure: lambda c, case: Facts(Kind.CLOSING_SUMMARY, c.case_id, case.young_person_id),
    Appointment: lambda a, case: Facts(
        Kind.APPOINTMENT, a.case_id, case.young_person_id, a.carers_see
    ),
    AppointmentNote: lambda n, case: Facts(
        Kind.AFTER_NOTE, n.appointment.case_id, case.young_person_id, n.appointment.carers_see
    ),
    ThingsToSay: lambda t, case: Facts(
        Kind.THINGS_TO_SAY, t.appointment.case_id, t.author_id, t.shared
    ),
    Feedback: lambda f, case: Facts(Kind.FEEDBACK, f.case_id, f.author_id, f.shared),
    SurveyAnswer: lambda a, case: Facts(Kind.SURVEY_ANSWER, a.case_id, a.author_id),
}  # fmt: skip

# Tables that hold nothing a person wrote or that is written about a family, or whose rows are
# reached only through a described kind or a staff-only rule. A new table must be listed here or
# described above: tests/test_who_sees.py fails otherwise.
NOT_A_KIND: dict[str, str] = {
    "users": "accounts: names are shown by the case rules (can_see_case, can_see_person)",
    "teams": "the team's own details, public to its families",
    "cases": "the case itself: can_see_case",
    "case_carers": "who is a carer on a case: can_see_case",
    "plan_translations": "staff-made translations of plan items: shown only with their item, "
    "to a reader the item's own row (plan items) allows",
    "case_key_workers": "who is a key worker on a case: can_see_case",
    "plans": "holds no text: its versions' items are described",
    "plan_versions": "holds the change summary staff wrote; items are described",
    "plan_drafts": "staff's unshared changes: only the plan editor reads it (can_edit_plan)",
    "plan_draft_items": "items of a draft: staff on the case only (can_edit_plan); the family "
    "reads them only once shared, as plan_items",
    "communication_needs": "recorded by staff, shown on staff screens: can_see_person",
    "preferences": "a person's own settings, only ever their own",
    "conversation_reads": "read marks: only the reader's own",
    "content_versions": "the easy-read library: no personal data",
    "content_reviews": "reviewers' comments on the library: no personal data",
    "reviewer_languages": "the languages a reviewer reads: their own, seen by no one else",
    "string_checks": "which translations of the interface a reviewer checked: no personal data",
    "language_approvals": "which catalogues are checked whole: no personal data",
    "invitations": "staff only; the token is hashed",
    "password_resets": "hashed tokens, never shown",
    "sign_in_throttles": "hashed addresses, never shown",
    "push_subscriptions": "a person's own devices, only ever their own",
    "outbox": "what to send: never carries what anyone wrote",
    "alerts": "that something urgent is waiting, never what: can_handle_alert for staff, "
    "can_see_alert_status for the family (a help request's follows that request's row)",
    "alert_notices": "who was told of an alert: staff of the team (can_handle_alert)",
    "helped_answers": "yes / a bit / no beside an Amber item: the young person and the case's "
    "staff (can_see_helped_answers)",
    "sessions": "a person's own sign-ins, only ever their own (settings: where you are signed in)",
    "recovery_codes": "hashed codes, never shown again",
    "page_generations": "a change count per table name (the page cache): nobody's data",
    "passkeys": "a person's own passkeys (public keys), only ever their own (settings)",
    "passkey_challenges": "hashed single-use challenges, never shown",
    "security_events": "second-factor resets: the person's manager, never families",
    "audit_events": "ids and actions only; the team's manager sees its own team's cases",
    "share_links": "who a link is for, seen by the family who made it (can_share_plan); what "
    "the link opens follows the professional column of WHO_SEES",
    "reminder_choices": "a person's own reminder settings, only ever their own",
    "calendar_feeds": "a person's own calendar address (hashed), only ever their own",
    "service_gaps": "a need from a fixed list, no words: counted by month without names, "
    "for the team's manager (can_see_service)",
    "rating_changes": "the register, a staff record (can_see_register); the family sees only "
    "kind words for the newest rating, when the team chose to show it (family_sees_rating)",
    "hospital_admissions": "the register, a staff record (can_see_register); the family sees the "
    "hospital's contact details while admitted (sees_hospital_contact)",
    "hospital_discharges": "the register, a staff record (can_see_register)",
    "register_settings": "the team's register rules: no personal data",
    "referrals": "the register, a staff record (can_see_register)",
    "register_consents": "the register, a staff record (can_see_register)",
    "barriers": "the register, a staff record (can_see_register)",
    "barrier_steps": "the register, a staff record (can_see_register)",
}


def describe(thing: object, case: Case) -> Facts:
    """Which kind a record is, which case it is on, whose it is and whether it was shared."""
    for model, facts in _DESCRIBE.items():
        if isinstance(thing, model):
            return facts(thing, case)
    raise TypeError(f"{type(thing).__name__} has no row in policy.WHO_SEES")


def described_models() -> frozenset[type]:
    return frozenset(_DESCRIBE)


@dataclass(frozen=True)
class LinkViewer:
    """Someone opening a link a family made for them: no account, one case, one page."""

    case_id: int
    role: None = None
    id: None = None
    is_authenticated: bool = False


def relation(user: User | LinkViewer, case: Case, owner_id: int) -> Relation:
    if isinstance(user, LinkViewer):
        return Relation.PROFESSIONAL if user.case_id == case.id else Relation.ANYONE_ELSE
    if not getattr(user, "is_authenticated", False):
        return Relation.ANYONE_ELSE
    if user.id == owner_id:
        return Relation.OWNER
    if user.role is Role.YOUNG_PERSON:
        return Relation.YOUNG_PERSON if case.young_person_id == user.id else Relation.ANYONE_ELSE
    if user.role is Role.CARER:
        on_case = any(c.user_id == user.id for c in case.carers)
        return Relation.CARER if on_case else Relation.ANYONE_ELSE
    if user.role is Role.KEY_WORKER:
        if any(k.user_id == user.id for k in case.key_workers):
            return Relation.KEY_WORKER
        return Relation.TEAM_STAFF if user.team_id == case.team_id else Relation.OTHER_STAFF
    if user.role is Role.MANAGER:
        return Relation.MANAGER if user.team_id == case.team_id else Relation.OTHER_STAFF
    if user.role is Role.REVIEWER:
        return Relation.REVIEWER
    return Relation.ANYONE_ELSE


def allows(rule: See, *, shared: bool, case: Case, today: date, hidden: bool = False) -> bool:
    if rule is See.UNLESS_HIDDEN:
        return not hidden  # `hidden` is only ever true while the young person decides
    if rule is See.YES:
        return True
    if rule is See.IF_SHARED:
        return shared
    if rule is See.IF_UNDER_16_OR_SHARED:
        return shared or not young_person_decides(case, today)
    return False


def can_see(user: User | LinkViewer, thing: object, case: Case, today: date | None = None) -> bool:
    """The one question every page, count, print, email, push and export asks."""
    user = _person(user)
    facts = describe(thing, case)
    if facts.case_id != case.id:
        return False
    today = today or date.today()
    rule = WHO_SEES[facts.kind][relation(user, case, facts.owner_id)]
    hidden = (
        facts.section is not None and facts.section in hidden_sections(user, case, today)
    ) or (facts.item_key is not None and facts.item_key in hidden_items(user, case, today))
    return allows(rule, shared=facts.shared, case=case, today=today, hidden=hidden)


def visible(
    user: User | LinkViewer, things: Iterable, case: Case, today: date | None = None
) -> list:
    user = _person(user)
    return [t for t in things if can_see(user, t, case, today)]


def _person(user: Any) -> Any:
    """The person behind flask_login's current_user: every attribute read through the proxy
    looks them up again (about 190 times for one plan page before this)."""
    unwrap = getattr(user, "_get_current_object", None)
    return unwrap() if unwrap is not None else user


@dataclass(frozen=True)
class Audience:
    """Who will see what this person writes, for the sentence above each text box."""

    by_young_person: bool  # the young person is the one writing
    team: bool
    young_person: bool  # the young person, when someone else (a carer) writes
    carers: bool  # parents and carers, as things stand
    carers_if_shared: bool  # parents and carers, once the writer chooses to share
    manager: bool = True  # the team's manager
    manager_only_if_chosen: bool = False  # the writer can choose that only the manager knows


def audience(writer: User, kind: Kind, case: Case, today: date | None = None) -> Audience:
    """Who would see a new thing of this kind written by `writer` (told before they write)."""
    row = WHO_SEES[kind]
    today = today or date.today()

    def sees(rel: Relation, shared: bool) -> bool:
        return allows(row[rel], shared=shared, case=case, today=today)

    shared = starts_shared(writer, kind)
    team = sees(Relation.KEY_WORKER, shared)
    manager = sees(Relation.MANAGER, shared)
    manager_only = team and manager and not sees(Relation.KEY_WORKER, False)
    if writer.role is Role.YOUNG_PERSON:
        return Audience(True, team, False, sees(Relation.CARER, False), sees(Relation.CARER, True),
                        manager, manager_only)  # fmt: skip
    return Audience(False, team, sees(Relation.YOUNG_PERSON, shared), sees(Relation.CARER, shared),
                    sees(Relation.CARER, True), manager, manager_only)  # fmt: skip


def starts_shared(writer: User, kind: Kind) -> bool:
    """A carer's help request is for the whole family, so it is stored shared. Feedback goes to
    the key worker too unless the writer chooses that only the manager knows."""
    if kind is Kind.FEEDBACK:
        return True
    return kind is Kind.HELP_REQUEST and writer.role is Role.CARER


def can_share_with_carers(writer: User, kind: Kind, case: Case, today: date | None = None) -> bool:
    """The choice to share is offered only when it changes something: a young person of 16 or
    over whose carers would not otherwise see it."""
    who = audience(writer, kind, case, today)
    return writer.role is Role.YOUNG_PERSON and not who.carers and who.carers_if_shared


def carers_see(thing: object, case: Case, today: date | None = None) -> bool:
    """Whether a parent or carer on the case (not its owner) sees this, for staff screens."""
    facts = describe(thing, case)
    rule = WHO_SEES[facts.kind][Relation.CARER]
    return allows(rule, shared=facts.shared, case=case, today=today or date.today())
