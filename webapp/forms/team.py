"""The team's own settings, set by the manager: office hours, duty contact, escalation, leave."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, ValidationError

from .base import Form
from .fields import EmailAddress, choices, required, strip

DAY_LABELS = [
    ("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")), ("3", _l("Thursday")),
    ("4", _l("Friday")), ("5", _l("Saturday")), ("6", _l("Sunday")),
]  # fmt: skip
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
# A UK number as people write it: 0121 496 0123, (0121) 496-0123, +44 121 496 0123.
UK_PHONE = re.compile(r"^(?:0\d{9,10}|\+44\d{9,10})$")


def uk_phone(value: str | None) -> str | None:
    """The number with its spaces, brackets and dashes taken out, or None if it is not one."""
    compact = re.sub(r"[\s()-]", "", value or "")
    return compact if UK_PHONE.match(compact) else None


def parse_time(value: str) -> time | None:
    match = TIME.match((value or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def _minutes(field, low: int, high: int):
    value = (field.data or "").strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValidationError(
            _l("Enter a number of minutes from %(low)s to %(high)s.", low=low, high=high)
        )


class TeamSettingsForm(Form):
    office_days = SelectMultipleField(
        _l("Days the team is open"),
        choices=choices(DAY_LABELS),
        validators=[required(_l("Choose at least 1 day the team is open."))],
        invalid_choice_message=_l("Choose the days the team is open from the list."),
    )
    office_opens = StringField(_l("Opens at (24-hour clock, like 09:00)"), filters=[strip])
    office_closes = StringField(_l("Closes at (24-hour clock, like 17:00)"), filters=[strip])
    phone = StringField(
        _l("The team's phone number (optional)"), filters=[strip],
        description=_l("Families see it with the crisis routes, only in office hours."),
    )  # fmt: skip
    duty_user_id = SelectField(
        _l("Duty contact"), choices=[], invalid_choice_message=_l("Choose a person from your team.")
    )
    duty_email = StringField(
        _l("Shared inbox (optional)"), filters=[strip], validators=[EmailAddress()]
    )
    escalate_manager_minutes = StringField(
        _l("Tell the manager when nobody has seen it after (minutes)"), filters=[strip]
    )
    escalate_team_minutes = StringField(
        _l("Tell every key worker when nobody has seen it after (minutes)"), filters=[strip]
    )
    on_leave = SelectMultipleField(
        _l("Who is on leave"),
        choices=[],
        invalid_choice_message=_l("Choose the people on leave from your team."),
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.duty_user_id.choices = choices(
            [("", _l("Nobody (the key workers and the shared inbox)"))]
            + [(str(u.id), u.name) for u in staff]
        )
        self.on_leave.choices = choices([(str(u.id), u.name) for u in staff])

    def validate_office_opens(self, field):
        if parse_time(field.data) is None:
            raise ValidationError(_l("Enter the time the team opens, like 09:00."))

    def validate_office_closes(self, field):
        closes = parse_time(field.data)
        if closes is None:
            raise ValidationError(_l("Enter the time the team closes, like 17:00."))
        opens = parse_time(self.office_opens.data)
        if opens is not None and closes <= opens:
            raise ValidationError(_l("The closing time must be after the opening time."))

    def validate_phone(self, field):
        if field.data and uk_phone(field.data) is None:
            raise ValidationError(
                _l("Enter a UK phone number with 10 or 11 digits, like 0121 496 0123.")
            )

    def validate_escalate_manager_minutes(self, field):
        _minutes(field, 5, 240)

    def validate_escalate_team_minutes(self, field):
        _minutes(field, 5, 480)
        first = (self.escalate_manager_minutes.data or "").strip()
        if first.isdigit() and int(field.data) <= int(first):
            raise ValidationError(
                _l("Tell every key worker later than the manager: use more minutes.")
            )
