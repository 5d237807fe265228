from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)

from ..models import TAGS, ClosingReason, ContactWay, Urgency
from .base import Form
from .error_messages import EMAIL_FORMAT, NOT_A_PICTURE_HERE
from .fields import (
    EmailAddress,
    IsoDate,
    KeepItShort,
    NotPast,
    OnlyWhen,
    choices,
    client_key_field,
    day_of,
    only_when,
    required,
    strip,
)
from .journal import TAG_LABELS

TEXT_MAX = 1000
PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


class PhoneNumber:
    """A phone number someone can call or text: at least 10 digits."""

    def __call__(self, form, field):
        value = field.data or ""
        if not PHONE.match(value) or sum(c.isdigit() for c in value) < 10:
            raise ValidationError(
                _l("Enter a phone number with at least 10 numbers, like 07700 900123.")
            )


def on_step(step: int) -> OnlyWhen:
    """Asked on this step of HelpAgainForm: checked once the person has reached it."""
    return OnlyWhen(lambda form: form.step >= step)


class HelpAgainForm(Form):
    """Three short steps. Answers from earlier steps travel with the form, so nothing is lost
    and nothing is stored until the person presses "Send"."""

    # The steps checked so far (check_step): a later step's answers are not checked yet.
    step = 0

    client_key = client_key_field(needed=False)
    happening = TextAreaField(
        _l("What is happening?"),
        filters=[strip],
        validators=[
            on_step(1),
            required(_l("Tell us what is happening, in a few words.")),
            KeepItShort(TEXT_MAX),
        ],
    )
    tags = SelectMultipleField(
        _l("What is it about?"),
        choices=choices((t, TAG_LABELS[t]) for t in TAGS),
        validators=[on_step(1)],
        invalid_choice_message=NOT_A_PICTURE_HERE,
    )
    # Offered only to a young person of 16 or over (policy.can_share_with_carers).
    share = BooleanField(_l("Share this with my parents and carers"))
    urgency = RadioField(
        _l("How soon do you need help?"),
        choices=choices(
            [
                (Urgency.TODAY.value, _l("Today")),
                (Urgency.THIS_WEEK.value, _l("This week")),
                (Urgency.NOT_URGENT.value, _l("It is not urgent")),
            ]
        ),
        validators=[on_step(2)],
        invalid_choice_message=_l("Choose how soon you need help."),
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
        validators=[on_step(3)],
        invalid_choice_message=_l("Choose how we should contact you."),
    )
    phone = StringField(
        _l("Phone number"),
        filters=[strip],
        validators=[
            on_step(3),
            only_when("contact_way", ContactWay.PHONE.value, ContactWay.TEXT.value),
            PhoneNumber(),
        ],
    )
    email = StringField(
        _l("Email address"),
        filters=[strip],
        validators=[
            on_step(3),
            only_when("contact_way", ContactWay.EMAIL.value),
            required(EMAIL_FORMAT),
            EmailAddress(),
        ],
    )
    best_times = StringField(
        _l("Best times to contact you (you do not have to say)"),
        filters=[strip],
        validators=[on_step(3), KeepItShort(200)],
    )

    def check_step(self, step: int) -> bool:
        """Check the answers of the steps up to this one; 0 checks only that the form was
        sent safely (going back never shows errors)."""
        self.step = step
        return self.validate()


class ClosingForm(Form):
    summary = TextAreaField(
        _l("A summary for the family, in plain words"),
        filters=[strip],
        validators=[required(_l("Write a summary for the family.")), KeepItShort(TEXT_MAX)],
    )
    supported_by = TextAreaField(
        _l("Who supports them now, and how to reach them"),
        filters=[strip],
        validators=[
            required(_l("Write who supports them now and how to reach them.")),
            KeepItShort(TEXT_MAX),
        ],
    )
    if_harder = TextAreaField(
        _l("What to do if things get harder"),
        filters=[strip],
        validators=[required(_l("Write what to do if things get harder.")), KeepItShort(TEXT_MAX)],
    )
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
        invalid_choice_message=_l("Choose why key working is stopping."),
    )
    closes_on = StringField(
        _l("When does key working stop?"),
        filters=[strip],
        validators=[
            IsoDate(_l("Write the date, like 2027-03-31.")),
            NotPast(_l("Choose today or a later date.")),
        ],
    )

    def closing_day(self):
        return day_of(self.closes_on)


class GiveToForm(Form):
    """Who from the team will contact the family: a key worker of the case's team."""

    key_worker_id = SelectField(
        _l("Who will contact them?"),
        invalid_choice_message=_l("Choose a key worker from your team."),
    )

    def __init__(self, *args, key_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_worker_id.choices = choices((str(kw.id), kw.name) for kw in key_workers)


class ContactForm(Form):
    words = TextAreaField(
        _l("What happened when you made contact?"),
        filters=[strip],
        validators=[required(_l("Write what happened when you made contact."))],
    )


class SignpostForm(Form):
    to = StringField(
        _l("Where did you point them to?"),
        filters=[strip],
        validators=[required(_l("Write the service you pointed them to."))],
    )
