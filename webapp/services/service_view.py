"""The manager's view of the service, and the reports for commissioners: counts only.

Every figure is for one team and is the length of the list behind it (`list_behind`). Things
people wrote are counted only where `policy` lets the team's manager see them (shared
check-ins; every answer to "How are we doing?"; all feedback), so a count never tells more
than the pages do. Reports suppress small numbers.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import help_words, policy
from ..extensions import db
from ..models import (
    QUESTIONS,
    THEMES,
    Barrier,
    BarrierStepKind,
    Case,
    CaseKeyWorker,
    CaseStatus,
    Conversation,
    DsrRating,
    Feedback,
    FeedbackKind,
    Feeling,
    HelpRequest,
    JournalEntry,
    Message,
    Need,
    ServiceGap,
    SurveyAnswer,
    Team,
    User,
    utcnow,
)
from . import gaps, register, survey

SMALL = 5  # any count under this is shown as "fewer than 5" in reports
AGREE = (4, 5)  # "Mostly" and "Yes, a lot"


def caseload_limit(team: Team) -> int | None:
    """The team's caseload limit per key worker (the register's rules, default 10)."""
    return register.settings_for(team.id).caseload_limit


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time(), tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, datetime.min.time(), tzinfo=UTC)

    def holds(self, moment: datetime) -> bool:
        return self.start_at <= moment < self.end_at


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def last_months(today: date, count: int = 6) -> list[date]:
    first = month_start(today)
    return [add_months(first, -i) for i in range(count - 1, -1, -1)]


def quarter(label: str | None, today: date) -> Period | None:
    """ "2026-Q4" → 1 October to 1 January. No label: the quarter holding today."""
    if not label:
        q = (today.month - 1) // 3 + 1
        label = f"{today.year}-Q{q}"
    try:
        year_text, q_text = label.split("-Q")
        year, q = int(year_text), int(q_text)
    except ValueError:
        return None
    if not (1 <= q <= 4 and 2000 <= year <= 2100):
        return None
    start = date(year, 3 * q - 2, 1)
    return Period(start, add_months(start, 3))


def quarter_label(period: Period) -> str:
    return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Waiting:
    """A conversation whose oldest unanswered family message is older than the promise."""

    conversation: Conversation
    case: Case
    since: datetime


@dataclass
class Figures:
    """Every figure on the manager's view is the length of one of these lists (see
    `list_behind`), so a count and the list it links to cannot disagree. Check-ins are the one
    exception: the issue asks for a count of people, never a list of whose check-ins."""

    team: Team
    period: Period
    months: list[date]
    cases: dict[str, dict[str, list[Case]]]  # status -> rating -> cases (as things stand)
    opened: list[Case]  # cases opened in the period
    closed: list[Case]  # cases closed in the period
    caseloads: list[tuple[User, list[Case]]]  # each key worker's open cases (as things stand)
    limit: int | None
    waiting: list[Waiting]  # conversations waiting longer than the team's promise
    promise_days: int
    requests: list[HelpRequest]  # help-again requests in the period
    contacted: list[HelpRequest]  # of those, the ones where the first contact was made
    first_contact_days: float | None  # median days from request to first contact
    check_ins: dict[date, tuple[int, int, int]]  # month -> people, people with red, % red days
    survey_months: dict[date, dict[str, list[SurveyAnswer]]]  # month -> question -> answers
    survey_answers: list[SurveyAnswer]  # answers in the period
    comments: list[str]
    feedback: list[Feedback]  # feedback in the period the viewer may see
    gaps: list[ServiceGap]  # needs noted in the six months shown
    barriers: list[Barrier]  # open barriers (as things stand)

    @property
    def feedback_kinds(self) -> dict[str, list[Feedback]]:
        return {k.value: [f for f in self.feedback if f.kind is k] for k in FeedbackKind}

    @property
    def feedback_themes(self) -> dict[str, list[Feedback]]:
        themes = dict.fromkeys(t for f in self.feedback for t in f.theme_list)
        return {t: [f for f in self.feedback if t in f.theme_list] for t in themes}

    @property
    def feedback_done(self) -> list[Feedback]:
        return [f for f in self.feedback if f.done_at is not None]

    @property
    def gap_months(self) -> dict[date, list[ServiceGap]]:
        return {m: [g for g in self.gaps if month_start(g.noted_on) == m] for m in self.months}

    @property
    def gap_totals(self) -> dict[str, list[ServiceGap]]:
        """Per need, the gaps noted in the period."""
        inside = [g for g in self.gaps if self.period.start <= g.noted_on < self.period.end]
        return {n.value: [g for g in inside if g.need is n] for n in Need}

    @property
    def escalated(self) -> list[Barrier]:
        return [b for b in self.barriers if any(s.kind is BarrierStepKind.ESCALATED
                                                for s in b.steps)]  # fmt: skip


def agree_share(answers: list[SurveyAnswer], question: str) -> int:
    """The share (%) answering "Mostly" or "Yes, a lot" to one question."""
    if not answers:
        return 0
    return round(100 * sum(getattr(a, question) in AGREE for a in answers) / len(answers))


def _team_cases(team_id: int) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.team_id == team_id)
            .options(selectinload(Case.key_workers).selectinload(CaseKeyWorker.user),
                     selectinload(Case.carers), selectinload(Case.young_person))
            .order_by(Case.id)
        )
    )  # fmt: skip


def _waiting(team: Team, by_id: dict[int, Case], now: datetime) -> list[Waiting]:
    """Conversations whose oldest unanswered family message is older than the promise."""
    if not by_id:
        return []
    rows = db.session.execute(
        select(Message.conversation_id, Message.author_id, Message.created_at,
               Conversation.member_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.case_id.in_(list(by_id)), Message.author_id.is_not(None))
        .order_by(Message.conversation_id, Message.created_at)
    ).all()  # fmt: skip
    waiting_since: dict[int, datetime | None] = {}
    for conversation_id, author_id, created_at, member_id in rows:
        if author_id == member_id:
            waiting_since.setdefault(conversation_id, None)
            if waiting_since[conversation_id] is None:
                waiting_since[conversation_id] = created_at
        else:
            waiting_since[conversation_id] = None  # the team replied
    today = now.date()
    late: list[Waiting] = []
    for conversation_id, since in waiting_since.items():
        if since is None:
            continue
        due = help_words.working_days_after(team, since.date(), team.response_working_days)
        if due < today:
            conversation = db.session.get_one(Conversation, conversation_id)
            late.append(Waiting(conversation, by_id[conversation.case_id], since))
    return sorted(late, key=lambda w: w.since)


def _caseloads(team: Team, all_cases: list[Case]) -> list[tuple[User, list[Case]]]:
    """Each active key worker of the team (as on the manager's home page), with their open
    cases."""
    open_cases = [c for c in all_cases if c.status is not CaseStatus.CLOSED]
    return [
        (load.key_worker, [c for c in open_cases
                           if any(k.user_id == load.key_worker.id for k in c.key_workers)])
        for load in register.caseloads(team.id)
    ]  # fmt: skip


def figures(viewer: User, team: Team, period: Period, today: date) -> Figures:
    now = utcnow()
    # Every list is of the team's cases, and of those only what the viewer may see.
    all_cases = [c for c in _team_cases(team.id) if policy.can_see_case(viewer, c)]
    by_id = {c.id: c for c in all_cases}
    ids = list(by_id)
    table: dict[str, dict[str, list[Case]]] = {
        s.value: {r.value: [] for r in DsrRating} for s in CaseStatus
    }
    for case in all_cases:
        table[case.status.value][case.dsr_rating.value].append(case)

    # Help again: heads only (an addition is part of the same request).
    requests = [
        r for r in db.session.scalars(
            select(HelpRequest).where(HelpRequest.case_id.in_(ids),
                                      HelpRequest.part_of_id.is_(None))
            .order_by(HelpRequest.created_at, HelpRequest.id)
        ) if period.holds(r.created_at) and policy.can_see(viewer, r, by_id[r.case_id], today)
    ] if ids else []  # fmt: skip
    contacted = [r for r in requests if r.contact_made_at is not None]
    days = [(r.contact_made_at - r.created_at).total_seconds() / 86400
            for r in contacted if r.contact_made_at is not None]  # fmt: skip

    # Check-ins the team may see (shared), per month: people, people with a red day, % red.
    months = last_months(period.end - timedelta(days=1), 6) if period.end <= today else \
        last_months(today, 6)  # fmt: skip
    window = Period(months[0], add_months(months[-1], 1))
    entries = list(
        db.session.scalars(
            select(JournalEntry).where(JournalEntry.case_id.in_(ids),
                                       JournalEntry.created_at >= window.start_at,
                                       JournalEntry.created_at < window.end_at)
        )
    ) if ids else []  # fmt: skip
    people: dict[date, set[int]] = defaultdict(set)
    red_people: dict[date, set[int]] = defaultdict(set)
    day_feel: dict[date, dict[tuple[int, date], bool]] = defaultdict(dict)
    for e in entries:
        if not policy.can_see(viewer, e, by_id[e.case_id], today):
            continue
        m = month_start(e.created_at.date())
        people[m].add(e.author_id)
        key = (e.author_id, e.created_at.date())
        red = e.feeling is Feeling.RED
        day_feel[m][key] = day_feel[m].get(key, False) or red
        if red:
            red_people[m].add(e.author_id)
    check_ins = {}
    for m in months:
        d = day_feel.get(m, {})
        share = round(100 * sum(d.values()) / len(d)) if d else 0
        check_ins[m] = (len(people.get(m, ())), len(red_people.get(m, ())), share)

    # How are we doing? The answers to each question per month; comments the manager may
    # read, without names.
    answers = [a for a in survey.answers_for_team(team.id, window.start_at, window.end_at)
               if a.case_id in by_id]  # fmt: skip
    survey_months: dict[date, dict[str, list[SurveyAnswer]]] = {
        m: {q: [] for q in QUESTIONS} for m in months
    }
    for a in answers:
        for q in QUESTIONS:
            if getattr(a, q) is not None:
                survey_months[month_start(a.created_at.date())][q].append(a)
    in_period = [a for a in answers if period.holds(a.created_at)]
    comments = [a.comment for a in in_period
                if a.comment and policy.can_see(viewer, a, by_id[a.case_id], today)]  # fmt: skip

    # Feedback in the period the viewer may see: kinds, themes staff added, what was done.
    given = [
        f for f in db.session.scalars(
            select(Feedback).where(Feedback.case_id.in_(ids))
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        )
        if period.holds(f.created_at) and policy.can_see(viewer, f, by_id[f.case_id], today)
    ] if ids else []  # fmt: skip

    return Figures(
        team=team, period=period, months=months, cases=table,
        opened=[c for c in all_cases if period.holds(c.opened_at)],
        closed=[c for c in all_cases if c.closed_at and period.holds(c.closed_at)],
        caseloads=_caseloads(team, all_cases), limit=caseload_limit(team),
        waiting=_waiting(team, by_id, now), promise_days=team.response_working_days,
        requests=requests, contacted=contacted,
        first_contact_days=round(statistics.median(days), 1) if days else None,
        check_ins=check_ins, survey_months=survey_months, survey_answers=in_period,
        comments=comments, feedback=given,
        gaps=[g for g in gaps.for_team(team.id, min(window.start, period.start),
                                       max(window.end, period.end)) if g.case_id in by_id],
        barriers=[b for b in register.open_barriers(team.id) if b.case_id in by_id],
    )  # fmt: skip


# The list behind each figure ------------------------------------------------------------------

LISTS = ("cases", "opened", "closed", "caseload", "waiting", "requests", "contacted",
         "answers", "feedback", "gaps", "barriers")  # fmt: skip


class NoSuchList(LookupError):
    """The address names a list the view does not have (the view answers 404)."""


def _month(text: str | None, f: Figures) -> date:
    try:
        found = date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        raise NoSuchList(text) from None
    if found not in f.months:
        raise NoSuchList(text)
    return found


def list_behind(f: Figures, name: str, args: dict[str, str]) -> list:
    """The records one figure counts, chosen by the figure's name and its filters (the query
    string). Unknown names and filters raise NoSuchList."""
    if name == "cases":
        try:
            return f.cases[args.get("status", "")][args.get("rating", "")]
        except KeyError:
            raise NoSuchList(name) from None
    if name in ("opened", "closed", "waiting", "requests", "contacted"):
        return getattr(f, name)
    if name == "caseload":
        wanted = args.get("key_worker", "")
        for person, cases in f.caseloads:
            if str(person.id) == wanted:
                return cases
        raise NoSuchList(name)
    if name == "answers":
        question = args.get("question", "")
        if question not in QUESTIONS:
            raise NoSuchList(name)
        return f.survey_months[_month(args.get("month"), f)][question]
    if name == "feedback":
        return _feedback_list(f, args)
    if name == "gaps":
        if "need" in args:
            try:
                return f.gap_totals[args["need"]]
            except KeyError:
                raise NoSuchList(name) from None
        return f.gap_months[_month(args.get("month"), f)]
    if name == "barriers":
        return f.escalated if args.get("escalated") == "1" else f.barriers
    raise NoSuchList(name)


def _feedback_list(f: Figures, args: dict[str, str]) -> list[Feedback]:
    if "kind" in args:
        if args["kind"] not in f.feedback_kinds:
            raise NoSuchList("feedback")
        return f.feedback_kinds[args["kind"]]
    if "theme" in args:
        if args["theme"] not in THEMES:
            raise NoSuchList("feedback")
        return f.feedback_themes.get(args["theme"], [])
    if args.get("done") == "1":
        return f.feedback_done
    return f.feedback


# Reports for commissioners --------------------------------------------------------------------


def suppress(count: int, words: str = "fewer than 5") -> str:
    """Small-number suppression: a count under 5 could point to a family."""
    return words if count < SMALL else str(count)


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe (CSV formula injection)."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def report_rows(f: Figures, words: dict[str, str]) -> list[tuple[str, str, str]]:
    """(section, measure, value) rows; every count suppressed below 5. `words` gives the
    translated labels (from the view), so the service holds no wording."""
    fewer = words["fewer"]

    def count(found: Sized) -> str:
        return suppress(len(found), fewer)

    rows: list[tuple[str, str, str]] = []
    for status, ratings in f.cases.items():
        for rating, in_cell in ratings.items():
            rows.append((words["cases"], f"{words[status]}: {words[rating]}", count(in_cell)))
    rows.append((words["cases"], words["opened"], count(f.opened)))
    rows.append((words["cases"], words["closed_in"], count(f.closed)))
    rows.append((words["messages"], words["waiting"], count(f.waiting)))
    rows.append((words["requests"], words["requests_n"], count(f.requests)))
    median = (
        ""
        if f.first_contact_days is None or len(f.contacted) < SMALL
        else str(f.first_contact_days)
    )
    rows.append((words["requests"], words["first_contact"], median or fewer))
    rows.append((words["survey"], words["answers"], count(f.survey_answers)))
    for kind, of_kind in f.feedback_kinds.items():
        rows.append((words["feedback"], words[kind], count(of_kind)))
    rows.append((words["feedback"], words["done"], count(f.feedback_done)))
    for need, noted in f.gap_totals.items():
        rows.append((words["gaps"], words[need], count(noted)))
    return rows


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def gap_rows(team_id: int, period: Period, labels: dict[str, str], fewer: str) -> list[list[str]]:
    """Service gaps per month and need, no names, small numbers suppressed."""
    found = gaps.for_team(team_id, period.start, period.end)
    counts: Counter[tuple[date, str]] = Counter((month_start(g.noted_on), g.need.value)
                                                for g in found)  # fmt: skip
    rows = []
    month = period.start
    while month < period.end:
        for need in Need:
            rows.append([month.strftime("%Y-%m"), labels[need.value],
                         suppress(counts[(month, need.value)], fewer)])  # fmt: skip
        month = add_months(month, 1)
    return rows
