"""Your data to take away (UK GDPR subject access): everything one person may see, and
nothing they may not, gathered through policy.visible like every page."""

from __future__ import annotations

from typing import Any

from .. import policy
from ..models import Case, User
from . import appointments, audit, feedback, help_again, journal, messages, plans, survey


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def pack(person: User, case: Case | None) -> dict[str, Any]:
    """A plain dict (it becomes the JSON file, and the easy-read HTML is made from it)."""
    prefs = person.preferences
    data: dict[str, Any] = {
        "about_this_file": "Everything My Key Worker holds that you may see.",
        "person": {"name": person.name, "email": person.email, "role": person.role.value,
                   "date_of_birth": _when(person.date_of_birth)},  # fmt: skip
        "settings": {
            c.name: _plain(getattr(prefs, c.name))
            for c in (prefs.__table__.columns if prefs else [])
            if c.name != "user_id"
        },
        "plan_versions": [], "messages": [], "journal": [], "help_requests": [], "looked_at": [],
        "appointments": [], "feedback": [], "how_are_we_doing": [],
    }  # fmt: skip
    if case is None:
        return data
    plan = plans.plan_for_case(case.id)
    if plan is not None:
        for version in plans.all_versions(plan):
            data["plan_versions"].append({
                "number": version.number, "made": _when(version.created_at),
                "agreed": version.agreed,
                "items": [
                    {"section": i.section.value, "part": i.part.value, "text": i.text,
                     "whose_words": i.words.value}
                    for i in plans.visible_items(version, person)
                ],
            })  # fmt: skip
    conversation = messages.conversation_for(case, person)
    for m in policy.visible(person, messages.messages_in(conversation), case):
        author = m.author.name if m.author else "automatic reply"
        data["messages"].append({"when": _when(m.created_at), "body": m.body, "from": author})
    for e in policy.visible(person, journal.entries_by(person), case):
        data["journal"].append({"when": _when(e.created_at), "feeling": e.feeling.value,
                                "words": e.words, "shared_with_key_worker": e.shared})  # fmt: skip
    for r in policy.visible(person, help_again.requests_for_case(case), case):
        data["help_requests"].append({
            "when": _when(r.created_at), "what": r.happening, "asked_by": r.author.name,
            "urgency": r.urgency.value,
        })  # fmt: skip
    for a in policy.visible(person, appointments.for_case(case.id), case):
        note = a.note if a.note and policy.can_see(person, a.note, case) else None
        mine = appointments.things_to_say(a, person)
        data["appointments"].append({
            "when": _when(a.starts_at), "what": a.kind.value, "title": a.title, "place": a.place,
            "who": a.who, "what_happens": a.what_happens, "what_to_bring": a.what_to_bring,
            "cancelled": _when(a.cancelled_at), "what_was_agreed": note.words if note else None,
            "things_i_want_to_say": mine.words if mine else None,
        })  # fmt: skip
    for f in policy.visible(person, feedback.by_author(person), case):
        data["feedback"].append({"when": _when(f.created_at), "kind": f.kind.value,
                                 "words": f.words, "what_we_did": f.what_we_did,
                                 "reply": f.reply})  # fmt: skip
    for answer in policy.visible(person, survey.by_author(person), case):
        if not answer.skipped:
            data["how_are_we_doing"].append({
                "when": _when(answer.created_at), "listened": answer.listened,
                "know_contact": answer.know_contact, "better": answer.better,
                "comment": answer.comment,
            })  # fmt: skip
    for look in audit.plan_looks(case, days=3650):
        data["looked_at"].append({"day": look.day.isoformat(), "who": look.person.name,
                                  "relation": look.relation.value})  # fmt: skip
    return data
