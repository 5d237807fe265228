"""Demo data: one team, three families and their staff. Other work relies on these accounts."""

from __future__ import annotations

import os
from datetime import date, time, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Case,
    CaseCarer,
    CaseClosure,
    CaseKeyWorker,
    CaseStatus,
    ClosingReason,
    DsrRating,
    KeyWorkerRole,
    Role,
    Team,
    User,
    utcnow,
)
from . import demo_plans
from .accounts import create_user

DEFAULT_PASSWORD = "keyworker-demo-2026"  # noqa: S105 - documented demo password


def password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def born_years_ago(years: int) -> date:
    """A birthday that makes the person exactly `years` old today, and for months to come."""
    today = date.today()
    day = today - timedelta(days=60)
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


ACCOUNTS = [
    # email, name, role, age, language
    ("sam@example.org", "Sam Taylor", Role.YOUNG_PERSON, 16, None),
    ("priya@example.org", "Priya Shah", Role.YOUNG_PERSON, 15, None),
    ("jordan@example.org", "Jordan Ellis", Role.YOUNG_PERSON, 19, None),
    ("alex@example.org", "Alex Taylor", Role.CARER, None, None),
    ("nadia@example.org", "Nadia Shah", Role.CARER, None, "ur"),
    ("chris@example.org", "Chris Ellis", Role.CARER, None, None),
    ("kim@example.org", "Kim Okafor", Role.KEY_WORKER, None, None),
    ("lee@example.org", "Lee Murphy", Role.KEY_WORKER, None, None),
    ("morgan@example.org", "Morgan Hughes", Role.MANAGER, None, None),
    ("robin@example.org", "Robin Clarke", Role.REVIEWER, None, None),
]


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def load() -> None:
    team = Team(
        name="Birmingham and Solihull Key Working Service",
        area="Birmingham and Solihull",
        office_days="01234",
        office_opens=time(9, 0),
        office_closes=time(17, 0),
        crisis_line_name="the Birmingham and Solihull Mental Health crisis line",
        crisis_line_phone="0800 915 9292",
        response_working_days=2,
    )
    db.session.add(team)
    db.session.flush()
    secret = password()
    people: dict[str, User] = {}
    for email, name, role, age, language in ACCOUNTS:
        people[email.split("@")[0]] = create_user(
            email=email,
            name=name,
            role=role,
            password=secret,
            team_id=team.id if role.is_staff else None,
            date_of_birth=born_years_ago(age) if age else None,
            language=language,
        )

    made: dict[str, Case] = {}

    def case(young, rating, status, carer, key_worker, kw_role, closed=False):
        c = Case(
            young_person_id=people[young].id,
            team_id=team.id,
            status=status,
            dsr_rating=rating,
            opened_at=utcnow() - timedelta(days=120),
            closed_at=utcnow() - timedelta(days=14) if closed else None,
        )
        c.carers.append(CaseCarer(user_id=people[carer].id, relationship_to_young_person="parent"))
        c.key_workers.append(CaseKeyWorker(user_id=people[key_worker].id, role=kw_role))
        db.session.add(c)
        made[young] = c

    case("sam", DsrRating.AMBER, CaseStatus.ACTIVE, "alex", "kim", KeyWorkerRole.SENIOR)
    case("priya", DsrRating.RED, CaseStatus.ACTIVE, "nadia", "lee", KeyWorkerRole.ASSISTANT)
    case(
        "jordan",
        DsrRating.GREEN,
        CaseStatus.CLOSED,
        "chris",
        "kim",
        KeyWorkerRole.SENIOR,
        closed=True,
    )
    db.session.flush()
    demo_plans.load(made, people)
    jordan = made["jordan"]
    db.session.add(
        CaseClosure(
            case_id=jordan.id, reason=ClosingReason.GOALS_MET, closes_on=jordan.closed_at.date(),
            summary="Jordan is going to the gym and working at the computer shop. "
                    "Jordan and Kim agreed key working can stop.",
            supported_by="Dr Patel at Hall Green Surgery, 0121 496 0001. "
                         "The adult community team, 0121 496 0002.",
            if_harder="Call the crisis line or NHS 111 (option 2). "
                      "Press I would like help again in this app.",
            planned_by_id=people["kim"].id, planned_at=jordan.closed_at - timedelta(days=14),
            closed_by_id=people["kim"].id, closed_at=jordan.closed_at, plan_version=2,
        )
    )  # fmt: skip
    db.session.commit()
    load_content(people)


def load_content(people: dict[str, User]) -> None:
    """The easy-read library, approved by the demo reviewer, and one change waiting for review."""
    from ..models import ContentVersion, ReviewDecision
    from . import content

    content.sync()
    for version in db.session.scalars(select(ContentVersion)).all():
        content.review(version, people["robin"], ReviewDecision.APPROVE, None)
    newest = content.latest("messages", "en")
    chunks = content.chunks_of(newest) + [
        {"text": "You can also send a message from your phone.", "picture": "mobile",
         "alt": "A mobile phone."}
    ]  # fmt: skip
    content.edit("messages", "en", newest.title, chunks, people["morgan"])


def account_lines() -> list[str]:
    lines = [f"{email:<22} {role.value:<13} {name}" for email, name, role, _a, _l in ACCOUNTS]
    lines.append(f"Password for all of them: {password()}")
    return lines
