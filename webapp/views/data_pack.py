"""Your data to take away, in easy read: one list of blocks (a heading, a picture, short
lines) made from the pack's data, drawn both as the page and as the PDF in the zip, so the two
always say the same. What goes in is decided by services.export (through policy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..forms.feedback import SCALE_LABELS
from ..labels import SECTION_TITLES, long_date
from ..models import Role, Section, User


@dataclass
class Block:
    heading: str
    picture: str | None = None
    lines: list[str] = field(default_factory=list)
    level: int = 2  # 2: a part of the pack, with its picture; 3: one version of the plan


def _day(value: str | None) -> str:
    return long_date(datetime.fromisoformat(value)) if value else ""


def _feeling(value: str) -> str:
    return {
        "green": _("Green: I am OK"),
        "amber": _("Amber: I am getting worried"),
        "red": _("Red: I am in crisis"),
    }.get(value, value)


def _or_nothing(lines: list[str]) -> list[str]:
    return lines or [_("Nothing here.")]


def title() -> str:
    return _("Your data from My Key Worker")


def blocks(data: dict[str, Any], person: User, made_on: date) -> list[Block]:
    own_plan = person.role is Role.YOUNG_PERSON
    about = [_("Name: %(name)s", name=person.name), _("Email: %(email)s", email=person.email)]
    if person.date_of_birth:
        about.append(_("Date of birth: %(date)s", date=long_date(person.date_of_birth)))
    result = [
        Block(_("What this is"), "book", [
            _("This is a copy of everything the app keeps that %(name)s may see.",
              name=person.name),
            _("It was made on %(date)s.", date=long_date(made_on)),
            _("Keep the file safe. Anyone who opens it can read it."),
            _("The file for computers has the same things, with more detail."),
        ]),
        Block(_("About you"), "person", about),
        Block(_("Your plan") if own_plan else _("The plan"), "plan", _or_nothing(
            [ngettext("There is %(num)s version of the plan.",
                      "There are %(num)s versions of the plan. The newest is first.",
                      len(data["plan_versions"]))] if data["plan_versions"] else []
        )),
    ]  # fmt: skip
    for version in data["plan_versions"]:
        agreed = (
            _("Everyone agreed this version.")
            if version["agreed"]
            else _("Not everyone agreed this version.")
        )
        items = [f"{SECTION_TITLES[Section(i['section'])]}: {i['text']}" for i in version["items"]]
        result.append(Block(
            _("Version %(number)s, made on %(date)s", number=version["number"],
              date=_day(version["made"])),
            None, [agreed, *_or_nothing(items)], level=3,
        ))  # fmt: skip
    result += [
        Block(_("Messages"), "messages", _or_nothing([
            _("%(date)s. %(name)s wrote: %(words)s", date=_day(m["when"]), name=m["from"],
              words=m["body"])
            for m in data["messages"]
        ])),
        Block(_("What matters to me"), "journal", _or_nothing([
            " ".join(filter(None, (
                _("%(date)s: %(feeling)s.", date=_day(e["when"]), feeling=_feeling(e["feeling"])),
                e["words"],
            )))
            for e in data["journal"]
        ])),
        Block(_("Requests for help"), "help", _or_nothing([
            _("%(date)s. %(name)s asked for help: %(words)s", date=_day(r["when"]),
              name=r["asked_by"], words=r["what"])
            for r in data["help_requests"]
        ])),
        Block(_("What happens next"), "calendar", _or_nothing(
            [line for a in data["appointments"] for line in _appointment(a)]
        )),
        Block(_("Tell us what you think"), "thumbs-up", _or_nothing(
            [line for f in data["feedback"] for line in _feedback(f)]
        )),
        Block(_("How are we doing?"), "star", _or_nothing(
            [line for s in data["how_are_we_doing"] for line in _survey(s)]
        )),
        Block(_("Who has looked at the plan"), "people", _or_nothing([
            _("%(date)s: %(name)s looked at the plan.", date=_day(look["day"]), name=look["who"])
            for look in data["looked_at"]
        ])),
        Block(_("Your settings"), "settings", _or_nothing([
            f"{name.replace('_', ' ')}: {_setting(value)}"
            for name, value in data["settings"].items() if value not in (None, "")
        ])),
    ]  # fmt: skip
    return result


def _appointment(a: dict[str, Any]) -> list[str]:
    when = datetime.fromisoformat(a["when"])
    lines = [_("%(date)s at %(time)s: %(what)s", date=long_date(when),
               time=when.strftime("%H:%M"), what=a["title"] or a["what"])]  # fmt: skip
    if a["place"]:
        lines.append(_("Where: %(place)s", place=a["place"]))
    if a["cancelled"]:
        lines.append(_("Cancelled."))
    if a["what_was_agreed"]:
        lines.append(_("What was agreed: %(words)s", words=a["what_was_agreed"]))
    if a["things_i_want_to_say"]:
        lines.append(_("Things I want to say: %(words)s", words=a["things_i_want_to_say"]))
    return lines


def _feedback(f: dict[str, Any]) -> list[str]:
    lines = [_("%(date)s. You wrote: %(words)s", date=_day(f["when"]), words=f["words"])]
    if f["what_we_did"]:
        lines.append(_("What we did: %(words)s", words=f["what_we_did"]))
    if f["reply"]:
        lines.append(_("Our reply: %(words)s", words=f["reply"]))
    return lines


def _survey(s: dict[str, Any]) -> list[str]:
    def answer(value: int | None) -> str:
        return str(SCALE_LABELS.get(str(value), "")) if value else _("No answer")

    lines = [
        _("%(date)s.", date=_day(s["when"])),
        _("I feel listened to: %(answer)s", answer=answer(s["listened"])),
        _("I know who to contact: %(answer)s", answer=answer(s["know_contact"])),
        _("Things are getting better: %(answer)s", answer=answer(s["better"])),
    ]
    if s["comment"]:
        lines.append(_("You wrote: %(words)s", words=s["comment"]))
    return lines


def _setting(value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value).replace("_", " ")
