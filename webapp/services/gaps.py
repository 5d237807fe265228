"""Service gaps: needs a key worker could not meet, tagged on a case, counted without names."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Need, ServiceGap, User


def note(case: Case, by: User, need: Need, noted_on: date) -> ServiceGap:
    gap = ServiceGap(case_id=case.id, need=need, noted_on=noted_on, added_by_id=by.id)
    db.session.add(gap)
    db.session.commit()
    return gap


def for_case(case: Case) -> list[ServiceGap]:
    return list(
        db.session.scalars(
            select(ServiceGap)
            .where(ServiceGap.case_id == case.id)
            .order_by(ServiceGap.noted_on.desc(), ServiceGap.id.desc())
        )
    )


def for_team(team_id: int, since: date, until: date) -> list[ServiceGap]:
    return list(
        db.session.scalars(
            select(ServiceGap)
            .join(Case, Case.id == ServiceGap.case_id)
            .where(Case.team_id == team_id, ServiceGap.noted_on >= since,
                   ServiceGap.noted_on < until)
            .order_by(ServiceGap.noted_on)
        )
    )  # fmt: skip
