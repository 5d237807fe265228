"""How are we doing? Three short questions every 4 weeks while key working is open, and once
at closing. Never more than one ask in 4 weeks; a skip counts as the ask; nothing waits on it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Case, CaseStatus, SurveyAnswer, User, utcnow

EVERY = timedelta(weeks=4)
# How long after closing the family is still asked the closing questions.
CLOSING_WINDOW = timedelta(weeks=8)


def _last_ask(case: Case, user: User) -> SurveyAnswer | None:
    return db.session.scalar(
        select(SurveyAnswer)
        .where(SurveyAnswer.case_id == case.id, SurveyAnswer.author_id == user.id)
        .order_by(SurveyAnswer.created_at.desc(), SurveyAnswer.id.desc())
        .limit(1)
    )


def _answered_at_closing(case: Case, user: User) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(SurveyAnswer.id)).where(
                SurveyAnswer.case_id == case.id,
                SurveyAnswer.author_id == user.id,
                SurveyAnswer.at_closing.is_(True),
            )
        )
    )


def due(case: Case, user: User, now: datetime | None = None) -> bool:
    """Whether to ask this person now (and whether an answer is taken)."""
    now = now or utcnow()
    last = _last_ask(case, user)
    if last is not None and now - last.created_at < EVERY:
        return False
    if case.status is CaseStatus.ACTIVE:
        # The first ask comes once key working has run for 4 weeks.
        return last is not None or now - case.opened_at >= EVERY
    if case.status is CaseStatus.CLOSED and case.closed_at is not None:
        return now - case.closed_at <= CLOSING_WINDOW and not _answered_at_closing(case, user)
    return False


def answer(
    case: Case, user: User, *, listened: int, know_contact: int, better: int, comment: str | None
) -> SurveyAnswer | None:
    """Store an answer if one is due (a second sending in the same 4 weeks stores nothing)."""
    if not due(case, user):
        return None
    row = SurveyAnswer(
        case_id=case.id, author_id=user.id, at_closing=case.status is CaseStatus.CLOSED,
        skipped=False, listened=listened, know_contact=know_contact, better=better,
        comment=comment or None,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def skip(case: Case, user: User) -> None:
    """ "Not now": counts as the ask, so the next one is in 4 weeks."""
    if not due(case, user):
        return
    closing = case.status is CaseStatus.CLOSED
    db.session.add(
        SurveyAnswer(case_id=case.id, author_id=user.id, at_closing=closing, skipped=True)
    )
    db.session.commit()


def answers_for_team(team_id: int, since: datetime, until: datetime) -> list[SurveyAnswer]:
    """Answers (not skips) on the team's cases in a period, oldest first. Staff see counts;
    who may read each comment is `policy.visible`'s to say."""
    return list(
        db.session.scalars(
            select(SurveyAnswer)
            .join(Case, Case.id == SurveyAnswer.case_id)
            .where(
                Case.team_id == team_id,
                SurveyAnswer.skipped.is_(False),
                SurveyAnswer.created_at >= since,
                SurveyAnswer.created_at < until,
            )
            .order_by(SurveyAnswer.created_at, SurveyAnswer.id)
        )
    )


def by_author(user: User) -> list[SurveyAnswer]:
    return list(
        db.session.scalars(
            select(SurveyAnswer)
            .where(SurveyAnswer.author_id == user.id, SurveyAnswer.skipped.is_(False))
            .order_by(SurveyAnswer.created_at.desc())
        )
    )
