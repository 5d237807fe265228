"""Rules shared by several forms, declared on the fields: required, length, dates, email,
and fields asked only in some cases. Each rule carries the message people see."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation

from .error_messages import EMAIL_FORMAT, keep_it_short

PASSWORD_MIN = 8  # NCSC: at least 8, checked against common passwords, no other rules
PASSWORD_MAX = 128
NAME_MAX = 120
EMAIL_MAX = 254


def required(message):
    return DataRequired(message=message)


def max_length(limit: int, message):
    return Length(max=limit, message=message)


CLIENT_KEY_MAX = 64  # the width of every client_key column
NOT_SAVED = _l("The form could not be saved. Please try again.")


def client_key_field(message=NOT_SAVED, *, needed: bool = True) -> HiddenField:
    """The key a form carries so that sending it twice saves it once. Never longer than its
    column (PostgreSQL refuses a longer one; SQLite would keep it). Not `needed` where the
    view makes one when it is missing."""
    rules = [max_length(CLIENT_KEY_MAX, message)]
    return HiddenField(validators=[required(message), *rules] if needed else rules)


class KeepItShort(Length):
    """At most `limit` characters, and the message says how many were used. A Length, so the
    text box shows a count of characters left (field_limit)."""

    def __init__(self, limit: int):
        super().__init__(max=limit)

    def __call__(self, form, field):
        used = len(field.data or "")
        if used > self.max:
            raise ValidationError(keep_it_short(self.max, used))


class OnlyWhen:
    """The field is asked only when `asked(form)` is true. Otherwise what was sent for it is
    ignored: like WTForms' Optional, it clears the field's errors and no later rule runs.
    Put it first."""

    def __init__(self, asked: Callable[..., bool]):
        self.asked = asked

    def __call__(self, form, field):
        if not self.asked(form):
            field.errors[:] = []
            raise StopValidation()


def only_when(other: str, *values: str) -> OnlyWhen:
    """Asked only when the field named `other` has one of `values`."""
    return OnlyWhen(lambda form: form[other].data in values)


class RequiredWhen:
    """Required only when the field named `other` has the value `value`; the field's other
    rules apply either way (what is written is kept, so its length counts)."""

    def __init__(self, other: str, value: str, message):
        self.other, self.value, self.message = other, value, message

    def __call__(self, form, field):
        if form[self.other].data == self.value and not (field.data or "").strip():
            raise StopValidation(self.message)


class IsoDate:
    """A day typed as YYYY-MM-DD (the page shows a date box). Anything else, an empty box
    too, gets `message` and no later rule runs, so the rules after it can read the day."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        try:
            date.fromisoformat(field.data or "")
        except ValueError:
            raise StopValidation(self.message) from None


def day_of(field) -> date:
    """The day a field checked by IsoDate holds."""
    return date.fromisoformat(field.data)


class _DayRule:
    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not self.allows(day_of(field), date.today()):
            raise ValidationError(self.message)

    @staticmethod
    def allows(day: date, today: date) -> bool:
        raise NotImplementedError


class NotFuture(_DayRule):
    """Today or earlier (after IsoDate)."""

    @staticmethod
    def allows(day: date, today: date) -> bool:
        return day <= today


class NotPast(_DayRule):
    """Today or later (after IsoDate)."""

    @staticmethod
    def allows(day: date, today: date) -> bool:
        return day >= today


class InThePast(_DayRule):
    """Before today (after IsoDate)."""

    @staticmethod
    def allows(day: date, today: date) -> bool:
        return day < today


def field_limit(field) -> int | None:
    """The most characters a field takes (its Length validator), for a character count."""
    limits = [v.max for v in getattr(field, "validators", ()) if isinstance(v, Length)]
    declared = (getattr(field, "render_kw", None) or {}).get("data-limit")
    if declared:
        limits.append(int(declared))
    limits = [n for n in limits if n is not None and n > 0]
    return min(limits) if limits else None


class EmailAddress:
    """A well-formed email address. Does not look the address up anywhere."""

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if not value:
            return
        if len(value) > EMAIL_MAX:
            raise ValidationError(
                _l("Email address must be %(max)s characters or fewer.", max=EMAIL_MAX)
            )
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValidationError(EMAIL_FORMAT) from exc


class NewPassword:
    def __call__(self, form, field):
        value = field.data or ""
        if len(value) < PASSWORD_MIN:
            raise ValidationError(
                _l("Your password must be at least %(min)s characters long.", min=PASSWORD_MIN)
            )
        if len(value) > PASSWORD_MAX:
            raise ValidationError(
                _l("Your password must be %(max)s characters or fewer.", max=PASSWORD_MAX)
            )
        from ..services.passwords import is_common

        if is_common(value):
            raise ValidationError(
                _l(
                    "Many people use this password, so it is easy to guess. "
                    "Choose a different one. 3 words you will remember work well."
                )
            )


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


# Control characters (NUL and friends) are never meant, and PostgreSQL refuses NUL in text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value):
    """Trim spaces and drop control characters from what people type."""
    return CONTROL.sub("", value).strip() if isinstance(value, str) else value


class ChosenRadioField(RadioField):
    """Radios that tell "nothing chosen" (`empty_message`) from "not one of these"
    (`invalid_choice_message`, a forged or out-of-date choice)."""

    def __init__(self, label=None, validators=None, *, empty_message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.empty_message = empty_message

    def pre_validate(self, form):
        if not self.data:
            raise StopValidation(self.empty_message)
        super().pre_validate(form)


def _offered(field) -> set[str]:
    return {c.value if isinstance(c, SelectChoice) else c[0] for c in field.choices or []}


class OfferedTicks(SelectMultipleField):
    """Ticks from a list the view sets (languages, strings on a page): anything posted that is
    not on the list (forged, or out of date) is left out rather than refused."""

    data: list[str]

    def pre_validate(self, form):
        offered = _offered(self)
        self.data = [value for value in self.data or [] if value in offered]


class OfferedChoice(SelectField):
    """One choice from a list the view sets, or none: a value not on the list is taken as
    none rather than refused."""

    data: str | None

    def pre_validate(self, form):
        if self.data and self.data not in _offered(self):
            self.data = ""
