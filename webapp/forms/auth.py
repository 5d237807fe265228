from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import EqualTo

from .fields import PASSWORD_MAX, EmailAddress, NewPassword, max_length, required, strip


class SignInForm(FlaskForm):
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


class ChoosePasswordForm(FlaskForm):
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


class ForgottenPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[required(_l("Enter your email address.")), EmailAddress()],
    )


def reject(field, message) -> None:
    """Attach an error found after validation (e.g. by a service) to a field."""
    field.errors = (
        [*field.errors, str(message)] if isinstance(field.errors, list) else [str(message)]
    )


__all__ = ["ChoosePasswordForm", "ForgottenPasswordForm", "SignInForm", "ValidationError", "reject"]
