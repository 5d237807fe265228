"""Words for the plan's sections, parts and statuses, in every language (used by templates)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .models import ActionStatus, Part, Section, User, Words

SECTION_TITLES = {
    Section.ABOUT_ME: _l("About me"),
    Section.GOALS: _l("My goals"),
    Section.GREEN: _l("Green: when I am OK"),
    Section.AMBER: _l("Amber: when I am getting worried"),
    Section.RED: _l("Red: when I am in crisis"),
    Section.WHO_HELPS: _l("Who helps me"),
    Section.ACTIONS: _l("Actions: who will do what"),
}

SECTION_PICTURES = {
    Section.ABOUT_ME: "person",
    Section.GOALS: "goal",
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
    Part.KEEPS_WELL: _l("What keeps me well"),
    Part.SIGNS: _l("The signs"),
    Part.HELPS: _l("What helps"),
    Part.TO_DO: _l("What to do"),
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


def change_text(code: str) -> str:
    """Versions store what changed as a code, so it can be read in any language."""
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


def template_globals() -> dict:
    return {
        "SECTION_TITLES": SECTION_TITLES,
        "SECTION_PICTURES": SECTION_PICTURES,
        "PART_TITLES": PART_TITLES,
        "STATUS_TITLES": STATUS_TITLES,
        "WORDS_TITLES": WORDS_TITLES,
        "whose_words": whose_words,
        "change_text": change_text,
        "office_days": office_days,
    }


def short_time(value) -> str:
    """ "9:00am", "3:15pm": how people say times (locale-aware)."""
    from flask_babel import format_time

    return (
        format_time(value, "h:mm a")
        .replace("\u202f", " ")
        .replace(" AM", "am")
        .replace(" PM", "pm")
    )


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


def office_days(team) -> str:
    from babel.dates import get_day_names
    from flask_babel import get_locale

    names = get_day_names("wide", locale=get_locale())
    days = sorted(int(d) for d in team.office_days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s", first=names[days[0]], last=names[days[-1]])
    return ", ".join(names[d] for d in days)
