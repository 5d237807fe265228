"""Tell us what you think (Ask Listen Do): feedback from families and what happened to it.

Nobody can change or delete what a family wrote: staff add beside it when they looked at it,
what they did, a reply and themes. Who sees each piece is policy.WHO_SEES (Kind.FEEDBACK).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import THEMES, Case, Feedback, FeedbackKind, User, utcnow
from . import once


def give(
    case: Case, by: User, *, kind: FeedbackKind, words: str, shared: bool, client_key: str,
    language: str,
) -> Feedback:  # fmt: skip
    """One feedback per sending: the same client key from the same person gives back the same."""

    def make() -> Feedback:
        return Feedback(
            case_id=case.id, author_id=by.id, kind=kind, words=words, shared=shared,
            client_key=client_key, language=language, themes="",
        )  # fmt: skip

    return once.create_once(Feedback, by.id, client_key, make)


def _with_people():
    return (selectinload(Feedback.author),)


def by_author(user: User) -> list[Feedback]:
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.author_id == user.id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .options(*_with_people())
        )
    )


def for_team(team_id: int) -> list[Feedback]:
    """Every piece of feedback on the team's cases, newest first. Who may see each one is
    `policy.visible`'s to say."""
    return list(
        db.session.scalars(
            select(Feedback)
            .join(Case, Case.id == Feedback.case_id)
            .where(Case.team_id == team_id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .options(*_with_people())
        )
    )


def by_id(feedback_id: int) -> Feedback | None:
    return db.session.get(Feedback, feedback_id)


def case_of(feedback: Feedback) -> Case:
    case = db.session.get(Case, feedback.case_id)
    assert case is not None
    return case


def look_at(feedback: Feedback, by: User) -> None:
    if feedback.looked_at is None:
        feedback.looked_at = utcnow()
        feedback.looked_by_id = by.id
        db.session.commit()


def record_outcome(
    feedback: Feedback, by: User, *, what_we_did: str, reply: str, themes: list[str]
) -> None:
    """What the team did and the reply to the family, written once (the view refuses a second
    time); never a change to what the family wrote."""
    now = utcnow()
    if feedback.looked_at is None:
        feedback.looked_at = now
        feedback.looked_by_id = by.id
    feedback.what_we_did = what_we_did
    feedback.reply = reply
    feedback.themes = " ".join(t for t in THEMES if t in themes)
    feedback.done_at = now
    feedback.done_by_id = by.id
    db.session.commit()


def set_themes(feedback: Feedback, themes: list[str]) -> None:
    feedback.themes = " ".join(t for t in THEMES if t in themes)
    db.session.commit()
