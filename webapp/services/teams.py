"""A team's own settings: office hours, the duty contact, escalation times, who is on leave."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from ..extensions import db
from ..models import Role, Team, User


def team_staff(team_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.team_id == team_id,
                User.role.in_([Role.KEY_WORKER, Role.MANAGER]),
                User.active.is_(True),
            )
            .order_by(User.name)
        )
    )


def save_settings(
    team: Team, *, office_days: str, opens: time, closes: time, phone: str | None,
    duty_user_id: int | None,
    duty_email: str | None, manager_minutes: int, team_minutes: int, on_leave: set[int],
) -> None:  # fmt: skip
    team.office_days, team.office_opens, team.office_closes = office_days, opens, closes
    team.phone = phone or None
    team.duty_email = duty_email or None
    team.escalate_manager_minutes, team.escalate_team_minutes = manager_minutes, team_minutes
    for person in team_staff(team.id):
        person.on_duty = person.id == duty_user_id
        person.on_leave = person.id in on_leave
    db.session.commit()
