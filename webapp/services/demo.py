"""Demo data: one team, three families and their staff. Other work relies on these accounts."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta

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
    Feedback,
    FeedbackKind,
    KeyWorkerRole,
    Need,
    Role,
    ServiceGap,
    SurveyAnswer,
    Team,
    User,
    utcnow,
)
from . import demo_plans, second_factor
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
    # Priya's aunt, who reads Bengali, and Jordan's stepfather, who reads Arabic: they see the
    # app in their language once its catalogue is merged (English until then).
    ("rahima@example.org", "Rahima Begum", Role.CARER, None, "bn"),
    ("omar@example.org", "Omar Haddad", Role.CARER, None, "ar"),
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
        phone="0121 496 0123",  # an Ofcom number kept for drama: nobody answers it
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
        if second_factor.needed(people[email.split("@")[0]]):
            second_factor.set_demo(people[email.split("@")[0]])

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
    made["priya"].carers.append(
        CaseCarer(user_id=people["rahima"].id, relationship_to_young_person="aunt")
    )
    made["jordan"].carers.append(
        CaseCarer(user_id=people["omar"].id, relationship_to_young_person="stepfather")
    )
    db.session.flush()
    load_languages(people)
    load_register(made, people)
    demo_plans.load(made, people)
    jordan = made["jordan"]
    closed_at = jordan.closed_at
    assert closed_at is not None, "Jordan's case is made closed"
    db.session.add(
        CaseClosure(
            case_id=jordan.id, reason=ClosingReason.GOALS_MET, closes_on=closed_at.date(),
            summary="Jordan is going to the gym and working at the computer shop. "
                    "Jordan and Kim agreed key working can stop.",
            supported_by="Dr Patel at Hall Green Surgery, 0121 496 0001. "
                         "The adult community team, 0121 496 0002.",
            if_harder="Call the crisis line or NHS 111 (option 2). "
                      "Press I would like help again in this app.",
            planned_by_id=people["kim"].id, planned_at=closed_at - timedelta(days=14),
            closed_by_id=people["kim"].id, closed_at=closed_at, plan_version=2,
        )
    )  # fmt: skip
    db.session.commit()
    load_appointments(made["sam"], people["kim"])
    load_listening(made, people)
    load_content(people)


def load_languages(people: dict[str, User]) -> None:
    """Communication needs as Lee and Kim recorded them: Nadia reads Urdu, Rahima Bengali and
    Omar Arabic; Nadia and Rahima want an interpreter at meetings. Robin, the reviewer, reads
    Urdu too (nothing is checked yet, so Urdu pages still say they were translated by
    computer)."""
    from ..models import CommunicationNeeds, ReviewerLanguage

    for name, language, interpreter, by in (
        ("nadia", "Urdu", True, "lee"),
        ("rahima", "Bengali", True, "lee"),
        ("omar", "Arabic", False, "kim"),
    ):
        db.session.add(
            CommunicationNeeds(user_id=people[name].id, language=language,
                               interpreter=interpreter, recorded_by_id=people[by].id)
        )  # fmt: skip
    db.session.add(ReviewerLanguage(user_id=people["robin"].id, language="ur"))


def demo_visit_times(now: datetime) -> tuple[datetime, datetime]:
    """Sam's key worker visit: in the future and inside this Monday to Sunday week. Tomorrow
    at 2pm, except on a Sunday (tomorrow is next week): later today, at 2pm or in the next
    hour. Only in the last minute of a Sunday is there no time left: then tomorrow."""
    from .appointments import LONDON, from_local

    today = now.astimezone(LONDON).date()
    if today.weekday() < 6:
        day = today + timedelta(days=1)
        return from_local(day, time(14, 0)), from_local(day, time(15, 0))
    day_ends = from_local(today, time(23, 59))
    next_hour = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    starts = max(from_local(today, time(14, 0)), next_hour)
    if starts > day_ends - timedelta(minutes=15):
        starts = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if starts >= day_ends:
        day = today + timedelta(days=1)
        return from_local(day, time(14, 0)), from_local(day, time(15, 0))
    return starts, min(starts + timedelta(hours=1), day_ends)


def load_appointments(sam: Case, kim: User) -> None:
    """Sam: a key worker visit this week and a C(E)TR next month. Jordan: none."""
    from ..models import Appointment, AppointmentKind, Attendance
    from .appointments import LONDON, from_local

    visit_starts, visit_ends = demo_visit_times(utcnow())
    today = utcnow().astimezone(LONDON).date()
    first_of_next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    cetr_day = first_of_next_month + timedelta(days=(1 - first_of_next_month.weekday()) % 7 + 7)
    db.session.add_all([
        Appointment(
            case_id=sam.id, author_id=kim.id, client_key="demo-visit",
            kind=AppointmentKind.KEY_WORKER_VISIT, starts_at=visit_starts,
            ends_at=visit_ends, how=Attendance.IN_PERSON,
            place="Sam's home", who="Kim Okafor, your key worker.",
            what_happens="Kim will talk with you about your plan and about college.",
            what_to_bring="Nothing. If you want, show Kim your music.", carers_see=True,
        ),
        Appointment(
            case_id=sam.id, author_id=kim.id, client_key="demo-cetr",
            kind=AppointmentKind.CETR, starts_at=from_local(cetr_day, time(10, 0)),
            ends_at=from_local(cetr_day, time(12, 0)), how=Attendance.IN_PERSON,
            place="Solihull Civic Centre, Homer Road, Solihull B91 3QB",
            who="Kim Okafor, your key worker.\nDr Patel is a doctor who knows about autism.\n"
                "Mrs Jones is your teacher at college.",
            what_happens="People who help you talk about what is going well and what could be "
                         "better. You can say what you think. You can take a break.",
            what_to_bring="Your headphones. A drink. Anything you want to show people.",
            carers_see=True,
        ),
    ])  # fmt: skip
    db.session.commit()


def load_listening(made: dict[str, Case], people: dict[str, User]) -> None:
    """Feedback of each kind, a few months of "How are we doing?" and some service gaps, so a
    manager sees a filled view of the service."""
    now = utcnow()
    manager = people["morgan"]

    def feedback(who, case, kind, words, days_ago, *, shared=True, language="en",
                 looked=False, did=None, reply=None, themes=""):  # fmt: skip
        at = now - timedelta(days=days_ago)
        db.session.add(Feedback(
            case_id=made[case].id, author_id=people[who].id, kind=kind, words=words,
            shared=shared, language=language, client_key=f"demo-{who}-{days_ago}",
            created_at=at, looked_at=at + timedelta(days=1) if looked or did else None,
            looked_by_id=manager.id if looked or did else None, what_we_did=did, reply=reply,
            done_at=at + timedelta(days=3) if did else None,
            done_by_id=manager.id if did else None, themes=themes,
        ))  # fmt: skip

    feedback("sam", "sam", FeedbackKind.GOOD, "Kim helped me talk to college. I feel better.",
             40, did="We told Kim and the college what worked.",
             reply="Thank you, Sam. We are glad college is going better.",
             themes="key_worker communication")  # fmt: skip
    feedback("alex", "sam", FeedbackKind.IDEA,
             "Could the app remind me the day before a meeting?", 12, looked=True,
             themes="app")  # fmt: skip
    feedback("nadia", "priya", FeedbackKind.COMPLAINT,
             "We waited 3 weeks for the CAMHS appointment. Nobody told us why.", 20,
             shared=False, language="ur",
             did="The manager phoned CAMHS and got a date for Priya.",
             reply="We are sorry about the wait. Priya's appointment is on Monday.",
             themes="waiting other_services")  # fmt: skip
    feedback("priya", "priya", FeedbackKind.GOOD, "Lee listens to me.", 5)
    feedback("chris", "jordan", FeedbackKind.GOOD, "Key working really helped Jordan.", 10,
             did="We shared this with the team.", reply="Thank you, Chris.",
             themes="key_worker")  # fmt: skip

    # How are we doing? every 4 weeks for about 4 months. Sam and Nadia answered lately;
    # Alex and Priya are asked again now.
    pattern = {"sam": (10, [3, 4, 4, 5]), "alex": (33, [3, 3, 4, 4]),
               "priya": (30, [2, 3, 3, 4]), "nadia": (8, [2, 2, 3, 4])}  # fmt: skip
    for who, (latest, scores) in pattern.items():
        case = made["sam"] if who in ("sam", "alex") else made["priya"]
        for i, score in enumerate(scores):
            days_ago = latest + 28 * (len(scores) - 1 - i)
            db.session.add(SurveyAnswer(
                case_id=case.id, author_id=people[who].id, listened=score,
                know_contact=min(score + 1, 5), better=max(score - 1, 1),
                comment="It helps to know who to call." if i == len(scores) - 1 and who == "sam"
                else None,
                created_at=now - timedelta(days=days_ago),
            ))  # fmt: skip

    gaps = [("priya", Need.AUTISM_CAMHS, 70), ("priya", Need.RESPITE, 45),
            ("sam", Need.SCHOOL_PLACE, 60), ("priya", Need.AUTISM_CAMHS, 15),
            ("sam", Need.RESPITE, 9), ("priya", Need.SPEECH_THERAPY, 3)]  # fmt: skip
    for who, need, days_ago in gaps:
        added_by = people["lee"] if who == "priya" else people["kim"]
        db.session.add(ServiceGap(case_id=made[who].id, need=need, added_by_id=added_by.id,
                                  noted_on=(now - timedelta(days=days_ago)).date()))  # fmt: skip
    db.session.commit()


def load_register(made: dict[str, Case], people: dict[str, User]) -> None:
    """The register's history: Sam went from Green to Amber three weeks ago; Priya went into
    hospital last month and came home this week (the team's rule made her Red, and the
    72-hour follow-up is still to do)."""
    from ..models import (
        AdmissionKind,
        HospitalAdmission,
        HospitalDischarge,
        RatingChange,
        RegisterSettings,
    )
    from .register import ADMITTED, DISCHARGED, FOLLOW_UP_WITHIN, OPENED

    def rating(case, value, reason, days_ago, by=None, review_in=None, show=False, rule=False):
        db.session.add(
            RatingChange(
                case_id=case.id, rating=value, reason=reason, by_rule=rule, show_family=show,
                changed_by_id=people[by].id if by else None,
                created_at=utcnow() - timedelta(days=days_ago),
                review_on=date.today() + timedelta(days=review_in) if review_in is not None
                else None,
            )
        )  # fmt: skip

    sam, priya, jordan = made["sam"], made["priya"], made["jordan"]
    # The team plans for adult services from 16 (NICE suggests starting early), so Sam's plan
    # has its Moving to adult services section.
    db.session.add(RegisterSettings(
        team_id=sam.team_id, after_discharge_rating=DsrRating.RED, after_discharge_days=14,
        caseload_limit=10, transition_age=16, updated_by_id=people["morgan"].id,
    ))  # fmt: skip
    rating(sam, DsrRating.GREEN, OPENED, 120, rule=True)
    rating(sam, DsrRating.AMBER, "Sam has stopped going to college and is sleeping badly. "
           "Alex is worried about Sam being alone at home in the day.", 21, by="kim",
           review_in=7, show=True)  # fmt: skip
    rating(jordan, DsrRating.GREEN, OPENED, 120, rule=True)
    rating(priya, DsrRating.RED, OPENED, 120, rule=True)
    admitted = HospitalAdmission(
        case_id=priya.id, admitted_on=date.today() - timedelta(days=28),
        hospital="The Oaks Unit, Birmingham", ward="Cedar ward", phone="0121 496 0100",
        kind=AdmissionKind.INFORMAL, recorded_by_id=people["lee"].id,
        created_at=utcnow() - timedelta(days=28),
    )  # fmt: skip
    db.session.add(admitted)
    db.session.flush()
    rating(priya, DsrRating.BLUE, ADMITTED, 28, by="lee", rule=True)
    left_at = utcnow() - timedelta(days=2)
    db.session.add(
        HospitalDischarge(
            admission_id=admitted.id, discharged_at=left_at, discharged_to="Home, with Nadia",
            follow_up_due=left_at + FOLLOW_UP_WITHIN, recorded_by_id=people["lee"].id,
            created_at=left_at,
        )
    )  # fmt: skip
    rating(priya, DsrRating.RED, f"{DISCHARGED}:14", 2, by="lee", review_in=12, rule=True)
    load_referrals(made, people)


def load_referrals(made: dict[str, Case], people: dict[str, User]) -> None:
    """How each case came, permission to be on the register, and Kim's open barrier for Sam."""
    from ..models import (
        Barrier,
        Condition,
        ConsentGiver,
        ConsentWay,
        Referral,
        ReferralSource,
        RegisterConsent,
    )

    ago = lambda days: date.today() - timedelta(days=days)  # noqa: E731
    for young, source, condition, giver, giver_name, way, by in (
        ("sam", ReferralSource.DSR_MEETING, Condition.AUTISM, ConsentGiver.YOUNG_PERSON,
         "Sam Taylor", ConsentWay.IN_PERSON, "kim"),
        ("priya", ReferralSource.DSR_MEETING, Condition.LEARNING_DISABILITY,
         ConsentGiver.PARENT_OR_CARER, "Nadia Shah", ConsentWay.PHONE, "lee"),
        ("jordan", ReferralSource.CETR, Condition.BOTH, ConsentGiver.YOUNG_PERSON,
         "Jordan Ellis", ConsentWay.IN_PERSON, "kim"),
    ):  # fmt: skip
        case = made[young]
        db.session.add(Referral(case_id=case.id, source=source, referred_on=ago(125),
                                condition=condition, recorded_by_id=people[by].id))  # fmt: skip
        db.session.add(RegisterConsent(case_id=case.id, given=True, giver=giver,
                                       giver_name=giver_name, decided_on=ago(120), way=way,
                                       recorded_by_id=people[by].id))  # fmt: skip
    db.session.add(
        Barrier(
            case_id=made["sam"].id,
            description="No college place for 6 weeks: Sam's course place ended in October.",
            raised_with="the local authority's SEND team", raised_on=ago(10),
            recorded_by_id=people["kim"].id, created_at=utcnow() - timedelta(days=10),
        )
    )  # fmt: skip


def load_content(people: dict[str, User]) -> None:
    """The easy-read library, approved by the demo reviewer, and one change waiting for review."""
    from ..models import ContentVersion, ReviewDecision
    from . import content

    content.sync()
    for version in db.session.scalars(select(ContentVersion)).all():
        content.review(version, people["robin"], ReviewDecision.APPROVE, None)
    newest = content.latest("messages", "en")
    assert newest is not None, "sync() loaded the library"
    chunks = content.chunks_of(newest) + [
        {"text": "You can also send a message from your phone.", "picture": "mobile",
         "alt": "A mobile phone."}
    ]  # fmt: skip
    content.edit("messages", "en", newest.title, chunks, people["morgan"])


def account_lines() -> list[str]:
    lines = [f"{email:<22} {role.value:<13} {name}" for email, name, role, _a, _l in ACCOUNTS]
    lines.append(f"Password for all of them: {password()}")
    lines.append(
        "Staff and reviewer accounts also need a code from an authenticator app set up with "
        f"this secret: {second_factor.demo_secret()}"
    )
    return lines
