"""Check-in reminders: how often, at what times, and quiet hours."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, ValidationError

from ..services.reminders import in_quiet_hours
from .base import Form
from .fields import choices, strip
from .team import parse_time


class RemindersForm(Form):
    how_often = RadioField(
        _l("How often do you want a reminder to check in?"),
        choices=choices(
            [("none", _l("No reminders")), ("once", _l("Once a day")), ("twice", _l("Twice a day"))]
        ),  # fmt: skip
        default="none",
        invalid_choice_message=_l("Choose how often you want a reminder."),
    )
    first = StringField(_l("First reminder time (like 09:00)"), filters=[strip])
    second = StringField(_l("Second reminder time (like 18:00)"), filters=[strip])
    quiet_from = StringField(_l("Quiet hours start (like 22:00)"), filters=[strip])
    quiet_until = StringField(_l("Quiet hours end (like 07:00)"), filters=[strip])

    def times(self):
        if self.how_often.data == "none":
            return []
        wanted = [self.first] if self.how_often.data == "once" else [self.first, self.second]
        return [parse_time(f.data) for f in wanted]

    def validate_first(self, field):
        if self.how_often.data in ("once", "twice") and parse_time(field.data) is None:
            raise ValidationError(_l("Write the time for your reminder, like 09:00."))
        self._not_quiet(field)

    def validate_second(self, field):
        if self.how_often.data != "twice":
            return
        if parse_time(field.data) is None:
            raise ValidationError(_l("Write the time for your second reminder, like 18:00."))
        if parse_time(field.data) == parse_time(self.first.data):
            raise ValidationError(_l("Choose a different time from your first reminder."))
        self._not_quiet(field)

    def validate_quiet_from(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError(_l("Write the time your quiet hours start, like 22:00."))
        if bool(field.data) != bool(self.quiet_until.data):
            raise ValidationError(_l("Write both times for quiet hours, or leave both empty."))

    def validate_quiet_until(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError(_l("Write the time your quiet hours end, like 07:00."))

    def _not_quiet(self, field):
        at, start, end = (parse_time(v) for v in
                          (field.data, self.quiet_from.data, self.quiet_until.data))  # fmt: skip
        if at and in_quiet_hours(at, start, end):
            raise ValidationError(_l("This time is in your quiet hours. Choose another time."))
