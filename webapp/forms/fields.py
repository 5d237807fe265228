"""Validators shared by several forms."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

PASSWORD_MIN = 10
PASSWORD_MAX = 128
NAME_MAX = 120
EMAIL_MAX = 254


def required(message):
    return DataRequired(message=message)


def max_length(limit: int, message):
    return Length(max=limit, message=message)


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
            raise ValidationError(
                _l("Enter an email address in the right format, like name@example.com.")
            ) from exc


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


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


# Control characters (NUL and friends) are never meant, and PostgreSQL refuses NUL in text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value):
    """Trim spaces and drop control characters from what people type."""
    return CONTROL.sub("", value).strip() if isinstance(value, str) else value
