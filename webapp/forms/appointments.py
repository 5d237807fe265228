"""What happens next: staff add and change appointments; the young person writes what they
want to say; everyone chooses their reminders."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Optional

from ..appointment_words import HOW_TITLES, KIND_TITLES
from ..models import AppointmentKind, Attendance, utcnow
from ..services.appointments import LONDON, PLACE_MAX, SAY_MAX, TITLE_MAX, WORDS_MAX, from_local
from .base import Form
from .fields import RequiredWhen, choices, client_key_field, max_length, required, strip


def _too_long(limit: int):
    return max_length(
        limit,
        _l("Use %(max)s characters or fewer. Shorter is easier to read.", max=limit),
    )


def _parse_date(value: str) -> date | None:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %m %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _parse_time(value: str) -> time | None:
    value = (value or "").strip().lower().replace(".", ":")
    for fmt in ("%H:%M", "%I:%M%p", "%I%p", "%I:%M %p", "%I %p"):
        try:
            return datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    return None


def exists_in_london(day: date, at: time) -> bool:
    """False for the hour the clocks skip on the last Sunday of March."""
    naive = datetime.combine(day, at)
    return (
        naive.replace(tzinfo=LONDON).astimezone(LONDON).replace(tzinfo=None) == naive
        and from_local(day, at).astimezone(LONDON).replace(tzinfo=None) == naive
    )


class AppointmentForm(Form):
    kind = RadioField(
        _l("What is it?"),
        choices=choices((k.value, KIND_TITLES[k]) for k in AppointmentKind),
        invalid_choice_message=_l("Choose what the appointment is."),
    )
    title = StringField(
        _l("Name of the meeting (if it is something else)"),
        filters=[strip],
        validators=[
            RequiredWhen(
                "kind",
                AppointmentKind.OTHER.value,
                _l("Say in a few words what the meeting is."),
            ),
            _too_long(TITLE_MAX),
        ],
    )
    day = StringField(_l("Day"), filters=[strip])
    start = StringField(_l("Starts at"), filters=[strip])
    end = StringField(_l("Ends at (if you know)"), filters=[strip])
    how = RadioField(
        _l("How will it happen?"),
        choices=choices((h.value, HOW_TITLES[h]) for h in Attendance),
        invalid_choice_message=_l("Choose how it will happen: face to face, phone or video."),
    )
    place = TextAreaField(
        _l("Where (the address)"),
        filters=[strip],
        validators=[
            RequiredWhen(
                "how",
                Attendance.IN_PERSON.value,
                _l("Enter where it is, so the family can find it."),
            ),
            _too_long(PLACE_MAX),
        ],
    )
    who = TextAreaField(_l("Who will be there"), filters=[strip], validators=[_too_long(WORDS_MAX)])
    what_happens = TextAreaField(
        _l("What will happen"), filters=[strip], validators=[_too_long(WORDS_MAX)]
    )
    what_to_bring = TextAreaField(
        _l("What to bring"), filters=[strip], validators=[_too_long(WORDS_MAX)]
    )
    carers_see = BooleanField(_l("Parents and carers can see this appointment"))
    client_key = client_key_field()

    # Filled in by validation: aware UTC moments.
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # The time it had before (when changing): keeping an appointment in the past is allowed.
    was_starts_at: datetime | None = None

    # The day, then the start, then the end: each is checked once the one before is right.
    def validate_day(self, field):
        if _parse_date(field.data) is None:
            raise ValidationError(_l("Enter the day as day/month/year, like 1/12/2026."))

    def validate_start(self, field):
        day = _parse_date(self.day.data)
        if day is None:
            return
        start = _parse_time(field.data)
        if start is None:
            raise ValidationError(_l("Enter the start time like 14:00 or 2pm."))
        if not exists_in_london(day, start):
            raise ValidationError(
                _l(
                    "The clocks go forward that night, so that time does not happen in the UK. "
                    "Choose another time."
                )  # fmt: skip
            )
        starts_at = from_local(day, start)
        unchanged = self.was_starts_at is not None and starts_at == self.was_starts_at
        if starts_at <= utcnow() and not unchanged:
            raise ValidationError(_l("That time has already passed. Enter a time in the future."))
        self.starts_at = starts_at

    def validate_end(self, field):
        day = _parse_date(self.day.data)
        if not field.data or day is None or self.starts_at is None:
            return
        end = _parse_time(field.data)
        if end is None:
            raise ValidationError(_l("Enter the end time like 15:00 or 3pm, or leave it empty."))
        ends_at = from_local(day, end)
        if ends_at <= self.starts_at:
            raise ValidationError(_l("The end must be after the start."))
        self.ends_at = ends_at


class ThingsToSayForm(Form):
    words = TextAreaField(
        _l("Things I want to say"), filters=[strip], validators=[_too_long(SAY_MAX)]
    )
    share = BooleanField(_l("Share this with my key worker before the meeting"))


class NoteForm(Form):
    words = TextAreaField(
        _l("What was agreed, in plain words"),
        filters=[strip],
        validators=[
            required(_l("Write what was agreed, in a few plain words.")),
            _too_long(WORDS_MAX),
        ],
    )
    actions = TextAreaField(
        _l("Actions to add to the plan (one a line, optional)"),
        filters=[strip],
        validators=[Optional(), _too_long(WORDS_MAX)],
    )


class RemindersForm(Form):
    day_before = BooleanField(_l("The day before, at 6pm"))
    morning = BooleanField(_l("On the morning, at 8am"))
    hour_before = BooleanField(_l("1 hour before"))


class CarersSeeForm(Form):
    carers_see = BooleanField(_l("My parents and carers can see this appointment"))
