"""Words for the plan's sections, parts and statuses, in every language (used by templates)."""

from __future__ import annotations

from babel import Locale
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .models import ActionStatus, Part, Section, User, Words

SECTION_TITLES = {
    Section.ABOUT_ME: _l("About me"),
    Section.GOALS: _l("My goals"),
    Section.MOVING_ON: _l("Moving to adult services"),
    Section.GREEN: _l("Green: when I am OK"),
    Section.AMBER: _l("Amber: when I am getting worried"),
    Section.RED: _l("Red: when I am in crisis"),
    Section.WHO_HELPS: _l("Who helps me"),
    Section.ACTIONS: _l("Actions: who will do what"),
}

SECTION_PICTURES = {
    Section.ABOUT_ME: "person",
    Section.GOALS: "goal",
    Section.MOVING_ON: "moving",
    Section.GREEN: "green",
    Section.AMBER: "amber",
    Section.RED: "red",
    Section.WHO_HELPS: "people",
    Section.ACTIONS: "tick",
}

PART_TITLES = {
    Part.LIKES: _l("What people like about me"),
    Part.IMPORTANT: _l("What is important to me"),
    Part.SUPPORT: _l("How to support me"),
    Part.COMMUNICATION: _l("How I communicate"),
    Part.GOAL: _l("My goals"),
    Part.AT_18: _l("What changes when I am 18"),
    Part.NEW_TEAM: _l("My new team"),
    Part.KEEP: _l("What I want to keep"),
    Part.KEEPS_WELL: _l("What keeps me well"),
    Part.SIGNS: _l("The signs"),
    Part.HELPS: _l("What helps"),
    Part.TO_DO: _l("What to do"),
    Part.NOT_TO_DO: _l("What not to do"),
    Part.CALL: _l("Who to call"),
    Part.PERSON: _l("People and services"),
    Part.ACTION: _l("Actions"),
}

STATUS_TITLES = {
    ActionStatus.NOT_STARTED: _l("Not started"),
    ActionStatus.IN_PROGRESS: _l("Started"),
    ActionStatus.DONE: _l("Done"),
}

WORDS_TITLES = {
    Words.YOUNG_PERSON: _l("The young person's words"),
    Words.CARER: _l("A parent or carer's words"),
    Words.KEY_WORKER: _l("The key worker's words"),
}


def whose_words(words: Words, viewer: User, young_person: User) -> str:
    if words is Words.YOUNG_PERSON:
        if viewer.id == young_person.id:
            return _("In my words")
        return _("In %(name)s's words", name=young_person.name.split(" ")[0])
    if words is Words.CARER:
        return _("In the words of a parent or carer")
    return _("Written by the key worker")


def change_text(codes: str) -> str:
    """Versions store what changed as codes, so it can be read in any language. One shared
    version can hold many changes: "added:green edited:red"."""
    return " ".join(_one_change(code) for code in codes.split()) or _("The plan was changed.")


def change_list(codes: str) -> list[str]:
    return [_one_change(code) for code in codes.split()]


def _one_change(code: str) -> str:
    kind, _sep, section = code.partition(":")
    title = SECTION_TITLES.get(Section(section)) if section else ""
    return {
        "started": _("The plan was started."),
        "added": _("Something was added to %(section)s.", section=title),
        "edited": _("Something was changed in %(section)s.", section=title),
        "removed": _("Something was taken out of %(section)s.", section=title),
        "moved": _("The order was changed in %(section)s.", section=title),
        "accepted": _("A suggestion was added to %(section)s.", section=title),
        "reopened": _("Key working started again. This version starts from the last plan."),
    }.get(kind, _("The plan was changed."))


def first_name(person) -> str:
    return (person.name or "").split(" ")[0]


def _speaks_to(viewer, young_person) -> bool:
    """The plan is in the young person's own words ("About me") only for the young person."""
    return viewer is None or young_person is None or viewer.id == young_person.id


def section_title(section, viewer=None, young_person=None) -> str:
    """ "Who helps me" for the young person; "Who helps Sam" for a parent, a carer or staff."""
    section = Section(section)
    if _speaks_to(viewer, young_person):
        return str(SECTION_TITLES[section])
    name = first_name(young_person)
    return {
        Section.ABOUT_ME: _("About %(name)s", name=name),
        Section.GOALS: _("%(name)s's goals", name=name),
        Section.GREEN: _("Green: when %(name)s is OK", name=name),
        Section.AMBER: _("Amber: when %(name)s is getting worried", name=name),
        Section.RED: _("Red: when %(name)s is in crisis", name=name),
        Section.WHO_HELPS: _("Who helps %(name)s", name=name),
    }.get(section, str(SECTION_TITLES[section]))


def part_title(part, viewer=None, young_person=None) -> str:
    part = Part(part)
    if _speaks_to(viewer, young_person):
        return str(PART_TITLES[part])
    name = first_name(young_person)
    return {
        Part.LIKES: _("What people like about %(name)s", name=name),
        Part.IMPORTANT: _("What is important to %(name)s", name=name),
        Part.SUPPORT: _("How to support %(name)s", name=name),
        Part.COMMUNICATION: _("How %(name)s communicates", name=name),
        Part.GOAL: _("%(name)s's goals", name=name),
        Part.AT_18: _("What changes when %(name)s is 18", name=name),
        Part.NEW_TEAM: _("%(name)s's new team", name=name),
        Part.KEEP: _("What %(name)s wants to keep", name=name),
        Part.KEEPS_WELL: _("What keeps %(name)s well", name=name),
    }.get(part, str(PART_TITLES[part]))


def template_globals() -> dict:
    return {
        "SECTION_TITLES": SECTION_TITLES,
        "SECTION_PICTURES": SECTION_PICTURES,
        "PART_TITLES": PART_TITLES,
        "STATUS_TITLES": STATUS_TITLES,
        "WORDS_TITLES": WORDS_TITLES,
        "whose_words": whose_words,
        "change_text": change_text,
        "change_list": change_list,
        "office_days": office_days,
        "office_hours": office_hours,
        "section_title": section_title,
        "part_title": part_title,
        "first_name": first_name,
        "rating_reason": rating_reason,
        "rating_kind_words": rating_kind_words,
        "language_name": language_name,
    }


def _english() -> bool:
    from flask_babel import get_locale

    return str(get_locale() or "en") == "en"


def _said(formatted: str) -> str:
    """English times as people write them ("3:15pm"); other languages as their locale does."""
    formatted = formatted.replace("\u202f", " ")
    return formatted.replace(" AM", "am").replace(" PM", "pm") if _english() else formatted


def short_time(value) -> str:
    """ "9:00am", "3:15pm" in English; "15:15" in Polish, "3:15 م" in Arabic (the locale's own
    short time, through Babel)."""
    from flask_babel import format_time

    return _said(format_time(value, "h:mm a" if _english() else "short"))


def when(moment) -> str:
    """Plain words: "Today at 3:15pm", "Yesterday at 9:02am", "Tuesday 3 March 2026 at 4:00pm"."""
    from flask_babel import format_date, to_user_timezone

    from .models import utcnow

    local, today = to_user_timezone(moment), to_user_timezone(utcnow()).date()
    time = short_time(local)
    if local.date() == today:
        return _("Today at %(time)s", time=time)
    if (today - local.date()).days == 1:
        return _("Yesterday at %(time)s", time=time)
    return _("%(date)s at %(time)s", date=format_date(local, "EEEE d MMMM y"), time=time)


def clock_time(value) -> str:
    """A time of day with no date (a reminder, office hours): "9:00am", without time zones."""
    from datetime import date, datetime

    from flask_babel import format_time

    moment = datetime.combine(date(2026, 1, 5), value)
    return _said(format_time(moment, "h:mm a" if _english() else "short", rebase=False))


def by_time(moment) -> str:
    """A time ahead, for "by …" and "opens …": "4:12pm", "9:00am tomorrow",
    "9:00am on Monday 7 December"."""
    from flask_babel import format_date, to_user_timezone

    from .models import utcnow

    local, today = to_user_timezone(moment), to_user_timezone(utcnow()).date()
    time = short_time(local)
    if local.date() == today:
        return time
    if (local.date() - today).days == 1:
        return _("%(time)s tomorrow", time=time)
    return _("%(time)s on %(date)s", time=time, date=format_date(local, "EEEE d MMMM"))


def office_days(team) -> str:
    from babel.dates import get_day_names
    from flask_babel import get_locale

    names = get_day_names("wide", locale=get_locale())
    days = sorted(int(d) for d in team.office_days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s", first=names[days[0]], last=names[days[-1]])
    return ", ".join(names[d] for d in days)


def office_hours(team) -> str:
    """The team's own hours in words: "Monday to Friday, 9:00am to 5:00pm"."""
    return _(
        "%(days)s, %(opens)s to %(closes)s",
        days=office_days(team),
        opens=clock_time(team.office_opens),
        closes=clock_time(team.office_closes),
    )


def long_date(value) -> str:
    """Dates in full, as easy read asks: "Tuesday 3 March 2026" (in the person's language)."""
    return format_date(value, "EEEE d MMMM y")


def rating_reason(change) -> str:
    """A rating change's reason: the words staff typed, or what the rule that set it was."""
    if not change.by_rule:
        return change.reason
    code, _sep, days = change.reason.partition(":")
    if code == "opened":
        return _("The rating when the case was opened.")
    if code == "admitted":
        return _("Went into hospital: the rating is Blue while they are there.")
    if code == "discharged":
        return _(
            "Left hospital: the team's rule gives this rating for %(days)s days.", days=days or "?"
        )
    return change.reason


def rating_kind_words(rating, own: bool, name: str) -> str:
    """What the family reads about the rating, when the team chose to show it."""
    value = getattr(rating, "value", rating)
    if own:
        return {
            "red": _("Your team is giving you extra support at the moment."),
            "amber": _("Your team is keeping in touch with you more often at the moment."),
            "green": _("Things are steady. Your team is here when you need them."),
            "blue": _("You are in hospital. Your team keeps in touch with you and the ward."),
        }[value]
    return {
        "red": _("The team is giving %(name)s extra support at the moment.", name=name),
        "amber": _(
            "The team is keeping in touch with %(name)s more often at the moment.", name=name
        ),
        "green": _("Things are steady for %(name)s. The team is here when needed.", name=name),
        "blue": _(
            "%(name)s is in hospital. The team keeps in touch with %(name)s and the ward.",
            name=name,
        ),
    }[value]


def language_name(code: str) -> str:
    """A language's name in the page's language ("Urdu" on an English page)."""
    name = Locale.parse(code).get_language_name(str(get_locale()))
    return name or code
