from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, ValidationError
from wtforms.validators import EqualTo

from .base import Form, reject
from .fields import PASSWORD_MAX, EmailAddress, NewPassword, max_length, required, strip


class SignInForm(Form):
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[required(_l("Enter your email address.")), EmailAddress()],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            required(_l("Enter your password.")),
            max_length(PASSWORD_MAX, _l("Your password must be 128 characters or fewer.")),
        ],
    )
    keep = BooleanField(_l("Keep me signed in on this phone"))


class ChoosePasswordForm(Form):
    password = PasswordField(
        _l("Choose a password"),
        validators=[required(_l("Choose a password.")), NewPassword()],
    )
    confirm = PasswordField(
        _l("Type the same password again"),
        validators=[
            required(_l("Type your password again.")),
            EqualTo("password", message=_l("The 2 passwords are not the same. Type them again.")),
        ],
    )


class CodeForm(Form):
    code = StringField(
        _l("Code"),
        filters=[strip],
        validators=[
            required(_l("Enter the 6-digit code from your authenticator app.")),
            max_length(40, _l("Enter the 6-digit code from your authenticator app.")),
        ],
    )


def _pin_digits(value):
    """Spaces people type between digits are dropped: "12 34" is 1234."""
    return re.sub(r"\s", "", value) if isinstance(value, str) else value


class FourDigits:
    def __call__(self, form, field):
        if not re.fullmatch(r"[0-9]{4}", field.data or ""):
            raise ValidationError(_l("Your PIN is 4 numbers, like 5 2 9 1. Type 4 numbers."))


class GuessablePin:
    """Not 4 of the same number and not numbers in order (1234, 9876): the first PINs anyone
    holding the phone would try."""

    def __call__(self, form, field):
        pin = field.data or ""
        if not re.fullmatch(r"[0-9]{4}", pin):
            return
        steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
        if len(steps) == 1 and steps <= {-1, 0, 1}:
            raise ValidationError(
                _l(
                    "This PIN is easy to guess. Do not use the same number 4 times, or numbers "
                    "in order like 1 2 3 4. Choose 4 different numbers."
                )
            )


class PinForm(Form):
    pin = PasswordField(
        _l("Your PIN"),
        filters=[_pin_digits],
        validators=[required(_l("Type your 4-number PIN.")), FourDigits()],
    )


class ChoosePinForm(Form):
    pin = PasswordField(
        _l("Choose a PIN"),
        filters=[_pin_digits],
        validators=[required(_l("Choose a PIN of 4 numbers.")), FourDigits(), GuessablePin()],
    )
    confirm = PasswordField(
        _l("Type the same PIN again"),
        filters=[_pin_digits],
        validators=[
            required(_l("Type your PIN again.")),
            EqualTo("pin", message=_l("The 2 PINs are not the same. Type them again.")),
        ],
    )


class ForgottenPasswordForm(Form):
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[required(_l("Enter your email address.")), EmailAddress()],
    )


__all__ = [
    "ChoosePasswordForm",
    "ChoosePinForm",
    "PinForm",
    "CodeForm",
    "ForgottenPasswordForm",
    "SignInForm",
    "ValidationError",
    "reject",
]
