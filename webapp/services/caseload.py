"""The caseload at a glance: per case, last contact, unread messages, an open help-again
request and red check-ins shared with staff, with the most urgent case first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Case,
    CaseStatus,
    Conversation,
    DsrRating,
    Feeling,
    HelpRequest,
    JournalEntry,
    Message,
    Urgency,
    User,
)
from . import messages

# The register's order: in hospital (Blue) and Red first, then Amber, then Green.
_RATING_ORDER = {DsrRating.BLUE: 0, DsrRating.RED: 1, DsrRating.AMBER: 2, DsrRating.GREEN: 3}
_STATUS_ORDER = {CaseStatus.ACTIVE: 0, CaseStatus.REFERRED: 1, CaseStatus.CLOSED: 2}


@dataclass
class Signals:
    last_contact: datetime | None = None  # the newest message from a person, either way
    unread: int = 0  # messages from the family this staff member has not read
    request: HelpRequest | None = None  # the oldest open help-again request
    red: int = 0  # red check-ins shared with staff and not yet seen
    red_since: datetime | None = None


def red_not_seen(case_ids: list[int], since: datetime) -> dict[int, tuple[int, datetime]]:
    """Red check-ins shared with staff since `since`, per case: (how many, the newest).

    Until check-ins can be marked seen by staff, "not seen" means shared within the attention
    period; this is the one place to change when they can."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(JournalEntry.case_id, func.count(JournalEntry.id), func.max(JournalEntry.created_at))
        .where(
            JournalEntry.case_id.in_(case_ids),
            JournalEntry.shared.is_(True),
            JournalEntry.feeling == Feeling.RED,
            JournalEntry.created_at >= since,
        )
        .group_by(JournalEntry.case_id)
    )
    return {case_id: (count, newest) for case_id, count, newest in rows}


def signals(viewer: User, cases: list[Case], since: datetime) -> dict[int, Signals]:
    ids = [c.id for c in cases]
    found = {i: Signals() for i in ids}
    if not ids:
        return found
    last = db.session.execute(
        select(Conversation.case_id, func.max(Message.created_at))
        .join(Message, Message.conversation_id == Conversation.id)
        .where(Conversation.case_id.in_(ids), Message.author_id.is_not(None))
        .group_by(Conversation.case_id)
    )
    for case_id, moment in last:
        found[case_id].last_contact = moment
    conversations = list(
        db.session.execute(
            select(Conversation.id, Conversation.case_id).where(Conversation.case_id.in_(ids))
        )
    )
    unread = messages.unread_by_conversation(viewer, [c for c, _ in conversations])
    for conversation_id, case_id in conversations:
        found[case_id].unread += unread.get(conversation_id, 0)
    waiting = db.session.scalars(
        select(HelpRequest)
        .where(
            HelpRequest.case_id.in_(ids),
            HelpRequest.reopened_at.is_(None),
            HelpRequest.closed_at.is_(None),
        )
        .order_by(HelpRequest.created_at)
    )
    for request in waiting:
        found[request.case_id].request = found[request.case_id].request or request
    for case_id, (count, newest) in red_not_seen(ids, since).items():
        found[case_id].red, found[case_id].red_since = count, newest
    return found


def most_urgent_first(cases: list[Case], found: dict[int, Signals]) -> list[Case]:
    """Red check-ins not seen, then help needed today, then other open requests; then open
    cases before closed, by register rating (Blue and Red first); then unread messages, and
    name."""

    def key(case: Case):
        s = found.get(case.id, Signals())
        request_order = (
            0 if s.request and s.request.urgency is Urgency.TODAY else 1 if s.request else 2
        )
        return (
            s.red == 0,
            request_order,
            _STATUS_ORDER[case.status],
            _RATING_ORDER[case.dsr_rating],
            s.unread == 0,
            case.young_person.name.lower(),
        )

    return sorted(cases, key=key)
