"""Demo plans for Sam, Priya and Jordan: co-produced words, pictures, actions and versions."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from ..extensions import db
from ..models import (
    ActionStatus,
    Case,
    Feeling,
    JournalEntry,
    Part,
    Plan,
    PlanItem,
    PlanSuggestion,
    PlanTranslation,
    PlanVersion,
    Section,
    User,
    Words,
    utcnow,
)

YP, CARER, KW = Words.YOUNG_PERSON, Words.CARER, Words.KEY_WORKER

SAM = [
    (Section.ABOUT_ME, Part.LIKES, "I am funny and I know a lot about trains.", YP, "train"),
    (Section.ABOUT_ME, Part.LIKES, "Sam is kind to animals and loves our dog.", CARER, "dog"),
    (
        Section.ABOUT_ME,
        Part.IMPORTANT,
        "My headphones. They help when it is loud.",
        YP,
        "headphones",
    ),
    (Section.ABOUT_ME, Part.IMPORTANT, "Knowing what will happen each day.", YP, "calendar"),
    (Section.ABOUT_ME, Part.SUPPORT, "Tell me about changes the day before.", YP, "clock"),
    (Section.ABOUT_ME, Part.SUPPORT, "Give me time to answer. Do not rush me.", YP, "hand"),
    (
        Section.ABOUT_ME,
        Part.COMMUNICATION,
        "I like to text more than talk on the phone.",
        YP,
        "mobile",
    ),
    (Section.GOALS, Part.GOAL, "Go back to college 3 days a week.", YP, "college"),
    (Section.GOALS, Part.GOAL, "Get ready to move to adult services at 18.", KW, "moving"),
    (Section.GREEN, Part.KEEPS_WELL, "Walking the dog every morning.", YP, "walk"),
    (Section.GREEN, Part.KEEPS_WELL, "Sleeping 8 hours. Bed by 10pm.", YP, "sleep"),
    (Section.AMBER, Part.SIGNS, "I stop eating and stay in my room.", CARER, "home"),
    (Section.AMBER, Part.HELPS, "Quiet time with my headphones.", YP, "headphones"),
    (Section.AMBER, Part.HELPS, "Text Kim and ask for a chat.", YP, "messages"),
    (Section.RED, Part.SIGNS, "I want to hurt myself.", YP, "red"),
    (Section.RED, Part.TO_DO, "Stay with Sam. Keep the room quiet.", KW, "quiet"),
    (
        Section.RED,
        Part.NOT_TO_DO,
        "Do not shout or hold my arms. Do not ask lots of questions.",
        YP,
        "stop",
    ),
    (Section.RED, Part.CALL, "Call Mum (Alex) first.", YP, "phone"),
]

SAM_PEOPLE = [
    ("Kim Okafor, my key worker.", "Text or call 07700 900123, Monday to Friday, 9am to 5pm."),
    ("Dr Ahmed, my GP at Park Lane Surgery.", "Call 0121 496 0000."),
]

SAM_ACTIONS = [
    (
        "Meet the college about a part-time timetable.",
        "Kim Okafor",
        14,
        ActionStatus.IN_PROGRESS,
        False,
    ),
    # A C(E)TR recommendation that is also a step in moving to adult services.
    ("Ask adult services to meet Sam before 18.", "Kim Okafor", 45, ActionStatus.NOT_STARTED, True,
     True),
    ("Make a one-page profile for the new team with Sam.", "Sam and Kim", 30,
     ActionStatus.IN_PROGRESS, False, True),
    ("Visit the adult team's building with Sam and Alex.", "Kim Okafor", 75,
     ActionStatus.NOT_STARTED, False, True),
]  # fmt: skip

# Moving to adult services (the demo team plans from 16): text, words, picture, contact, and
# the date it happens as days from Sam's 18th birthday (None: no date).
SAM_MOVING_ON = [
    (Part.AT_18, "At 18, CAMHS stops. The adult learning disability team helps me instead.", KW,
     "moving", None, 0),
    (Part.AT_18, "College stays the same until my course ends.", KW, "college", None, None),
    (Part.NEW_TEAM, "The adult community learning disability team.", KW, "people",
     "0121 496 0002, Monday to Friday, 9am to 5pm.", None),
    (Part.KEEP, "I want to keep seeing Dr Ahmed.", YP, "doctor", None, None),
    (Part.KEEP, "I want to keep playing football on Saturdays.", YP, "football", None, None),
]  # fmt: skip

PRIYA = [
    (Section.ABOUT_ME, Part.LIKES, "I am good at drawing.", YP, "art"),
    (Section.ABOUT_ME, Part.IMPORTANT, "My family and my cat.", YP, "cat"),
    (Section.ABOUT_ME, Part.SUPPORT, "Use short words and show me pictures.", CARER, "book"),
    (Section.ABOUT_ME, Part.COMMUNICATION, "My mum speaks Urdu at home.", CARER, "talk"),
    (Section.GREEN, Part.KEEPS_WELL, "Drawing after school.", YP, "art"),
    (Section.AMBER, Part.SIGNS, "I cover my ears and shout.", CARER, "noise"),
    (Section.AMBER, Part.HELPS, "A quiet room and my drawing book.", YP, "quiet"),
    (Section.RED, Part.SIGNS, "I run out of the house.", CARER, "red"),
    (Section.RED, Part.TO_DO, "Call the crisis line. Stay calm and quiet.", KW, "phone"),
    (Section.RED, Part.CALL, "Call Mum (Nadia).", YP, "phone"),
]

PRIYA_ACTIONS = [
    (
        "Send the school a copy of Priya's one-page profile.",
        "Lee Murphy",
        -10,
        ActionStatus.NOT_STARTED,
        False,
    ),
    (
        "Review Priya's medication with CAMHS (C(E)TR recommendation).",
        "CAMHS",
        20,
        ActionStatus.NOT_STARTED,
        True,
    ),
]


# A few of Priya's items in Urdu for Nadia, made by an interpreter; the others stay in
# English so the demo shows both (English marked as English, with how to ask for help).
PRIYA_IN_URDU = {
    "I am good at drawing.": "میں ڈرائنگ میں اچھی ہوں۔",
    "My family and my cat.": "میرا خاندان اور میری بلی۔",
    "Use short words and show me pictures.": "چھوٹے الفاظ استعمال کریں اور مجھے تصویریں دکھائیں۔",
    "I cover my ears and shout.": "میں اپنے کان بند کر لیتی ہوں اور چیختی ہوں۔",
    "Call the crisis line. Stay calm and quiet.": "کرائسس لائن پر فون کریں۔ پرسکون اور خاموش رہیں۔",
    "Call Mum (Nadia).": "امی (نادیہ) کو فون کریں۔",
}


def add_translations(case: Case, items: list[PlanItem], by: User, made_by: str,
                     language: str, words: dict[str, str], days_ago: int) -> None:  # fmt: skip
    for item in items:
        if item.text in words:
            db.session.add(
                PlanTranslation(
                    case_id=case.id, item_key=item.key, language=language,
                    text=words[item.text], source_text=item.text,
                    source_picture_alt=item.picture_alt, source_owner=item.owner,
                    source_contact=item.contact, made_by=made_by, entered_by_id=by.id,
                    recorded_at=utcnow() - timedelta(days=days_ago),
                )
            )  # fmt: skip


def _item(section, part, text, words, picture, position, **extra) -> PlanItem:
    return PlanItem(
        key=uuid.uuid4().hex, section=section, part=part, text=text, words=words,
        picture=picture, position=position, **extra,
    )  # fmt: skip


def _items(rows, people=(), actions=()) -> list[PlanItem]:
    items: list[PlanItem] = []
    counts: dict[tuple[Section, Part], int] = {}
    for section, part, text, words, picture in rows:
        counts[(section, part)] = counts.get((section, part), 0) + 1
        items.append(_item(section, part, text, words, picture, counts[(section, part)]))
    for n, (text, contact) in enumerate(people, start=1):
        items.append(_item(Section.WHO_HELPS, Part.PERSON, text, KW, "person", n, contact=contact))
    for n, (text, owner, days, status, cetr, *step) in enumerate(actions, start=1):
        items.append(
            _item(Section.ACTIONS, Part.ACTION, text, KW, "tick", n, owner=owner,
                  due=date.today() + timedelta(days=days), status=status, cetr=cetr,
                  transition=bool(step and step[0]))
        )  # fmt: skip
    return items


def _moving_on(rows, born: date) -> list[PlanItem]:
    from .transition import ADULT_AGE, birthday

    items: list[PlanItem] = []
    counts: dict[Part, int] = {}
    for part, text, words, picture, contact, days in rows:
        counts[part] = counts.get(part, 0) + 1
        due = birthday(born, ADULT_AGE) + timedelta(days=days) if days is not None else None
        items.append(_item(Section.MOVING_ON, part, text, words, picture, counts[part],
                           contact=contact, due=due))  # fmt: skip
    return items


def _copy(items: list[PlanItem]) -> list[PlanItem]:
    fields = ("key", "section", "part", "position", "text", "words", "picture", "picture_alt",
              "private", "sensitive", "owner", "due", "status", "cetr", "transition",
              "contact")  # fmt: skip
    return [PlanItem(**{f: getattr(i, f) for f in fields}) for i in items]


def add_plan(case: Case, family: User, key_worker: User, items: list[PlanItem],
             later: list[PlanItem] | None = None) -> Plan:  # fmt: skip
    """Version 1 started, version 2 agreed by both, and version 3 if there are later items."""
    now = utcnow()
    plan = Plan(case_id=case.id)
    plan.versions.append(
        PlanVersion(number=1, created_by_id=key_worker.id, change="started",
                    created_at=now - timedelta(days=60))
    )  # fmt: skip
    agreed = PlanVersion(
        number=2, created_by_id=key_worker.id, change="edited:about-me", items=items,
        created_at=now - timedelta(days=30),
        family_agreed_by_id=family.id, family_agreed_at=now - timedelta(days=29),
        staff_agreed_by_id=key_worker.id, staff_agreed_at=now - timedelta(days=29),
    )  # fmt: skip
    plan.versions.append(agreed)
    if later:
        plan.versions.append(
            PlanVersion(number=3, created_by_id=key_worker.id, change="added:green",
                        items=_copy(items) + list(later), created_at=now - timedelta(days=2))
        )  # fmt: skip
    db.session.add(plan)
    return plan


def load_journal(cases: dict[str, Case], people: dict[str, User]) -> None:
    """Some check-ins over the last weeks: most private, a few shared."""
    now = utcnow()
    rows = [
        ("sam", Feeling.GREEN, 20, "Good walk with the dog.", "family", False, False),
        ("sam", Feeling.AMBER, 9, "College was loud today.", "school feelings", True, True),
        ("sam", Feeling.GREEN, 3, None, "sleep", False, False),
        ("sam", Feeling.GREEN, 1, "Football was fun.", "friends", False, False),
        ("alex", Feeling.AMBER, 2, "Sam did not eat tea again.", "food home", True, False),
        ("priya", Feeling.RED, 4, "Too much noise at school.", "school", True, True),
    ]
    for name, feeling, days, words, tags, shared, talk in rows:
        when = now - timedelta(days=days)
        case = cases["priya" if name == "priya" else "sam"]
        db.session.add(
            JournalEntry(
                author_id=people[name].id, case_id=case.id, feeling=feeling, words=words,
                tags=tags, shared=shared, shared_at=when if shared else None, talk=talk,
                client_key=uuid.uuid4().hex, created_at=when,
            )
        )  # fmt: skip


def load(cases: dict[str, Case], people: dict[str, User]) -> None:
    born = people["sam"].date_of_birth
    assert born is not None, "the demo gives Sam a date of birth"
    sam_items = _items(SAM, SAM_PEOPLE, SAM_ACTIONS) + _moving_on(SAM_MOVING_ON, born)
    # Kim marked this sensitive: Sam chooses which of his parents and carers see it.
    next(i for i in sam_items if i.text == "I want to hurt myself.").sensitive = True
    private = _item(
        Section.ABOUT_ME, Part.IMPORTANT, "My friend Jay. I want to talk about Jay with Kim.",
        YP, "friends", 3, private=True,
    )  # fmt: skip
    later = [
        _item(Section.GREEN, Part.KEEPS_WELL, "Playing football on Saturdays.", YP, "football", 3),
        private,
    ]
    sam_plan = add_plan(cases["sam"], people["sam"], people["kim"], sam_items, later)
    db.session.flush()
    db.session.add(
        PlanSuggestion(
            plan_id=sam_plan.id, section=Section.AMBER, part=Part.HELPS,
            text="A hot chocolate and a film with Mum.", words=CARER, author_id=people["alex"].id,
        )
    )  # fmt: skip
    priya_items = _items(PRIYA, (), PRIYA_ACTIONS)
    add_plan(cases["priya"], people["nadia"], people["lee"], priya_items)
    add_translations(
        cases["priya"], priya_items, people["lee"], "Interpreter: Farah Khan", "ur",
        PRIYA_IN_URDU, days_ago=28,
    )  # fmt: skip
    add_plan(
        cases["jordan"],
        people["jordan"],
        people["kim"],
        _items(
            [
                (Section.ABOUT_ME, Part.LIKES, "I am good with computers.", YP, "computer"),
                (Section.GREEN, Part.KEEPS_WELL, "Going to the gym with my brother.", YP, "walk"),
                (Section.RED, Part.CALL, "Call my dad (Chris).", YP, "phone"),
            ]
        ),
    )
    load_journal(cases, people)
