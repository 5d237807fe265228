"""What the family is told about when the team will answer a request for help again.

All of this wording is here, in one place, worked out from the team's office hours
(`Team.office_days`, `office_opens`, `office_closes`, `response_working_days`), so it can follow
per-team settings without touching the pages that show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _

from .labels import office_days, short_time
from .models import ContactWay, Urgency

LONDON = ZoneInfo("Europe/London")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def is_open(team, moment: datetime) -> bool:
    local = _local(moment)
    return (
        str(local.weekday()) in team.office_days
        and team.office_opens <= local.time() < team.office_closes
    )


def next_opening(team, moment: datetime) -> datetime | None:
    """When the team next starts work after this moment (London time)."""
    local = _local(moment)
    for ahead in range(0, 8):
        day = (local + timedelta(days=ahead)).date()
        if str(day.weekday()) not in team.office_days:
            continue
        opens = datetime.combine(day, team.office_opens, tzinfo=LONDON)
        if opens > local:
            return opens
    return None


def working_days_after(team, start: date, days: int) -> date:
    """The date `days` of the team's working days after `start`."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if str(day.weekday()) in team.office_days:
            days -= 1
    return day


def day_name(value: date) -> str:
    """Dates in full, as easy read asks: "Wednesday 2 December"."""
    return format_date(value, "EEEE d MMMM")


def opening_hours(team) -> str:
    return _(
        "The team works %(days)s, %(opens)s to %(closes)s.",
        days=office_days(team),
        opens=short_time(team.office_opens),
        closes=short_time(team.office_closes),
    )


@dataclass
class Promise:
    """What will happen: `crisis_first` when help is needed today and the team is closed."""

    sentences: list[str] = field(default_factory=list)
    crisis_first: bool = False


def promise(team, urgency: Urgency | str | None, moment: datetime) -> Promise:
    """The truth about when the team will answer a request sent at `moment`."""
    urgency = Urgency(urgency) if urgency else Urgency.THIS_WEEK
    local = _local(moment)
    today = local.date()
    if urgency is Urgency.TODAY:
        if is_open(team, moment):
            return Promise(
                [
                    _(
                        "The team is working now, until %(time)s today.",
                        time=short_time(team.office_closes),
                    ),
                    _("They will read your request today and try to contact you before they stop."),
                    _("If you are not safe now, call 999."),
                ]
            )
        opens = next_opening(team, moment)
        sentences = [_("The team is not working now.")]
        if opens is not None:
            sentences.append(
                _(
                    "They start again on %(day)s at %(time)s. They will read your request then.",
                    day=day_name(opens.date()),
                    time=short_time(opens.time()),
                )
            )
        sentences.append(_("If you need help before then, use the numbers on this page."))
        return Promise(sentences, crisis_first=True)
    by = working_days_after(team, today, team.response_working_days)
    return Promise(
        [
            _(
                "Someone from the team will contact you by %(day)s.",
                day=day_name(by),
            ),
            opening_hours(team),
        ]
    )


def expected_contact(request, team) -> str:
    """The date by which the team promised to be in touch, in full."""
    asked_on = _local(request.created_at).date()
    return day_name(working_days_after(team, asked_on, team.response_working_days))


def status_line(request, team, moment: datetime, for_author: bool = True) -> str:
    """One line for the home page: "You asked for help again on Monday 30 November. Kim will
    call you by Wednesday 2 December." `for_author` is False when someone else in the family
    asked (their first name is used)."""
    today = _local(moment).date()
    asked_on = _local(request.created_at).date()
    name = request.author.name.split(" ")[0]
    if for_author:
        asked = (
            _("You asked for help again today.")
            if asked_on == today
            else _("You asked for help again on %(day)s.", day=day_name(asked_on))
        )
    else:
        asked = (
            _("%(name)s asked for help again today.", name=name)
            if asked_on == today
            else _("%(name)s asked for help again on %(day)s.", name=name, day=day_name(asked_on))
        )
    by = working_days_after(team, asked_on, team.response_working_days)
    if not for_author:
        if request.assigned_to is not None and request.contact_by is not None:
            then = _(
                "%(who)s will contact %(name)s by %(day)s.",
                who=request.assigned_to.name.split(" ")[0],
                name=name,
                day=day_name(request.contact_by),
            )
        elif request.seen_at is not None:
            then = _("The team has read it.")
        else:
            then = _("The team has not read it yet.")
        return f"{asked} {then}"
    if request.assigned_to is not None and request.contact_by is not None:
        who, when = request.assigned_to.name.split(" ")[0], day_name(request.contact_by)
        then = {
            ContactWay.PHONE: _("%(name)s will call you by %(day)s.", name=who, day=when),
            ContactWay.TEXT: _("%(name)s will text you by %(day)s.", name=who, day=when),
            ContactWay.EMAIL: _("%(name)s will email you by %(day)s.", name=who, day=when),
        }.get(request.contact_way, _("%(name)s will contact you by %(day)s.", name=who, day=when))
    elif request.seen_at is not None:
        then = _("The team has read it. Someone will contact you by %(day)s.", day=day_name(by))
    elif request.urgency == Urgency.TODAY and not is_open(team, moment):
        opens = next_opening(team, moment)
        then = (
            _(
                "The team is not working now. They will read it on %(day)s at %(time)s.",
                day=day_name(opens.date()),
                time=short_time(opens.time()),
            )
            if opens
            else _("The team has not read it yet.")
        )
    elif request.urgency == Urgency.TODAY:
        then = _("The team is working now. They will read it today.")
    else:
        then = _(
            "The team has not read it yet. Someone will contact you by %(day)s.",
            day=day_name(by),
        )
    return f"{asked} {then}"
