"""What happens next, in words: what each kind of meeting is, its picture, and times said the
way people say them ("Tuesday 1 December, 2 o'clock in the afternoon")."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .models import Appointment, AppointmentKind, Attendance
from .services.appointments import local

KIND_TITLES = {
    AppointmentKind.KEY_WORKER_VISIT: _l("A visit from your key worker"),
    AppointmentKind.CETR: _l("A C(E)TR: a meeting about your care"),
    AppointmentKind.EHCP_REVIEW: _l("An EHCP review: a meeting about your school support"),
    AppointmentKind.SCHOOL: _l("A meeting at school or college"),
    AppointmentKind.DOCTOR: _l("Seeing a doctor"),
    AppointmentKind.HOSPITAL: _l("A hospital appointment"),
    AppointmentKind.CAMHS: _l("A CAMHS appointment"),
    AppointmentKind.ADULT_SERVICES: _l("A meeting about moving to adult services"),
    AppointmentKind.OTHER: _l("Something else"),
}

KIND_PICTURES = {
    AppointmentKind.KEY_WORKER_VISIT: "key-worker",
    AppointmentKind.CETR: "people",
    AppointmentKind.EHCP_REVIEW: "book",
    AppointmentKind.SCHOOL: "school",
    AppointmentKind.DOCTOR: "doctor",
    AppointmentKind.HOSPITAL: "hospital",
    AppointmentKind.CAMHS: "talk",
    AppointmentKind.ADULT_SERVICES: "moving",
    AppointmentKind.OTHER: "calendar",
}

HOW_TITLES = {
    Attendance.IN_PERSON: _l("Face to face"),
    Attendance.PHONE: _l("On the phone"),
    Attendance.VIDEO: _l("On a video call"),
}


def what(appointment: Appointment) -> str:
    if appointment.kind is AppointmentKind.OTHER and appointment.title:
        return appointment.title
    return str(KIND_TITLES[appointment.kind])


def clock(moment: datetime) -> str:
    """ "2 o'clock in the afternoon", "half past 9 in the morning", "10 to 3 in the afternoon"."""
    moment = local(moment)
    hour, minute = moment.hour, moment.minute
    if hour == 12 and minute == 0:
        return _("12 o'clock midday")
    if hour == 0 and minute == 0:
        return _("12 o'clock midnight")
    twelve = hour % 12 or 12
    if hour < 12:
        part = "morning"
    elif hour < 18:
        part = "afternoon"
    else:
        part = "evening"
    if minute == 0:
        said = _("%(hour)s o'clock", hour=twelve)
    elif minute == 30:
        said = _("half past %(hour)s", hour=twelve)
    elif minute == 15:
        said = _("quarter past %(hour)s", hour=twelve)
    elif minute == 45:
        said = _("quarter to %(hour)s", hour=(twelve % 12) + 1)
    else:
        said = _("%(hour)s:%(minute)s", hour=twelve, minute=f"{minute:02d}")
    return {
        "morning": _("%(time)s in the morning", time=said),
        "afternoon": _("%(time)s in the afternoon", time=said),
        "evening": _("%(time)s in the evening", time=said),
    }[part]


def day(moment: datetime) -> str:
    """ "Tuesday 1 December" (the year only when it is not this year)."""
    moment = local(moment)
    return format_date(moment.date(), "EEEE d MMMM")


def day_and_time(moment: datetime) -> str:
    return _("%(day)s, %(time)s", day=day(moment), time=clock(moment))


def machine(moment: datetime) -> str:
    """For <time datetime="...">."""
    return local(moment).isoformat(timespec="minutes")


def template_globals() -> dict:
    return {
        "appointment_what": what,
        "appointment_picture": lambda a: KIND_PICTURES[a.kind],
        "HOW_TITLES": HOW_TITLES,
        "said_time": clock,
        "said_day": day,
        "said_day_and_time": day_and_time,
        "machine_time": machine,
    }
