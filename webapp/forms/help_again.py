from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField

from ..models import TAGS, ClosingReason, ContactWay, Urgency
from .fields import choices, strip

TEXT_MAX = 1000
PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def _too_long(field, limit: int) -> bool:
    if len(field.data or "") > limit:
        field.errors.append(
            str(
                _l(
                    "Keep it short: use %(max)s characters or fewer. You have used %(count)s.",
                    max=limit,
                    count=len(field.data),
                )
            )
        )
        return True
    return False


def _phone_ok(value: str | None) -> bool:
    return bool(PHONE.match(value or "")) and sum(c.isdigit() for c in value) >= 10


class HelpAgainForm(FlaskForm):
    """Three short steps. Answers from earlier steps travel with the form, so nothing is lost
    and nothing is stored until the person presses "Send"."""

    client_key = HiddenField()
    happening = TextAreaField(_l("What is happening?"), filters=[strip])
    tags = SelectMultipleField(_l("What is it about?"), validate_choice=False)
    urgency = RadioField(
        _l("How soon do you need help?"),
        choices=choices(
            [
                (Urgency.TODAY.value, _l("Today")),
                (Urgency.THIS_WEEK.value, _l("This week")),
                (Urgency.NOT_URGENT.value, _l("It is not urgent")),
            ]
        ),
        validate_choice=False,
    )
    contact_way = RadioField(
        _l("How should we contact you?"),
        choices=choices(
            [
                (ContactWay.PHONE.value, _l("Phone call")),
                (ContactWay.TEXT.value, _l("Text message")),
                (ContactWay.EMAIL.value, _l("Email")),
                (ContactWay.APP.value, _l("A message in this app")),
            ]
        ),
        validate_choice=False,
    )
    phone = StringField(_l("Phone number"), filters=[strip])
    email = StringField(_l("Email address"), filters=[strip])
    best_times = StringField(
        _l("Best times to contact you (you do not have to say)"), filters=[strip]
    )

    def check_step(self, step: int) -> bool:
        """Check the answers up to this step; errors go on the fields, like validate()."""
        for field in self:
            field.errors = []
        self.csrf_token.validate(self)
        if step >= 1:
            if not self.happening.data:
                self.happening.errors.append(str(_l("Tell us what is happening, in a few words.")))
            else:
                _too_long(self.happening, TEXT_MAX)
            if any(t not in TAGS for t in self.tags.data or []):
                self.tags.errors.append(str(_l("Choose from the pictures on this page.")))
        if step >= 2 and self.urgency.data not in {u.value for u in Urgency}:
            self.urgency.errors.append(str(_l("Choose how soon you need help.")))
        if step >= 3:
            way = self.contact_way.data
            if way not in {c.value for c in ContactWay}:
                self.contact_way.errors.append(str(_l("Choose how we should contact you.")))
            phone_needed = way in (ContactWay.PHONE.value, ContactWay.TEXT.value)
            if phone_needed and not _phone_ok(self.phone.data):
                self.phone.errors.append(
                    str(_l("Enter a phone number with at least 10 numbers, like 07700 900123."))
                )
            if way == ContactWay.EMAIL.value:
                try:
                    validate_email(self.email.data or "", check_deliverability=False)
                except EmailNotValidError:
                    self.email.errors.append(
                        str(
                            _l("Enter an email address in the right format, like name@example.com.")
                        )
                    )
            _too_long(self.best_times, 200)
        self._errors = None
        return not any(field.errors for field in self)


class ClosingForm(FlaskForm):
    summary = TextAreaField(_l("A summary for the family, in plain words"), filters=[strip])
    supported_by = TextAreaField(
        _l("Who supports them now, and how to reach them"), filters=[strip]
    )
    if_harder = TextAreaField(_l("What to do if things get harder"), filters=[strip])
    reason = RadioField(
        _l("Why is key working stopping?"),
        choices=choices(
            [
                (ClosingReason.GOALS_MET.value, _l("The goals in the plan are met")),
                (ClosingReason.ADULT_SERVICES.value, _l("They have moved to adult services")),
                (ClosingReason.MOVED_AWAY.value, _l("They have moved out of the area")),
                (ClosingReason.FAMILY_ASKED.value, _l("The family asked to stop")),
                (ClosingReason.OTHER.value, _l("Another reason")),
            ]
        ),
        validate_choice=False,
    )
    closes_on = StringField(_l("When does key working stop?"), filters=[strip])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        required = {
            self.summary: _l("Write a summary for the family."),
            self.supported_by: _l("Write who supports them now and how to reach them."),
            self.if_harder: _l("Write what to do if things get harder."),
        }
        for field, message in required.items():
            if not field.data:
                field.errors.append(str(message))
            else:
                _too_long(field, TEXT_MAX)
        if self.reason.data not in {r.value for r in ClosingReason}:
            self.reason.errors.append(str(_l("Choose why key working is stopping.")))
        try:
            when = date.fromisoformat(self.closes_on.data or "")
            if when < date.today():
                self.closes_on.errors.append(str(_l("Choose today or a later date.")))
        except ValueError:
            self.closes_on.errors.append(str(_l("Write the date, like 2027-03-31.")))
        self._errors = None
        return ok and not any(f.errors for f in self)


class ContactForm(FlaskForm):
    words = TextAreaField(_l("What happened when you made contact?"), filters=[strip])


class SignpostForm(FlaskForm):
    to = StringField(_l("Where did you point them to?"), filters=[strip])
