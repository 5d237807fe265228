from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from ..models import DsrRating, KeyWorkerRole, Role
from .base import Form
from .fields import (
    NAME_MAX,
    EmailAddress,
    InThePast,
    IsoDate,
    NotFuture,
    choices,
    day_of,
    max_length,
    only_when,
    required,
    strip,
)

ROLE_LABELS = {
    Role.YOUNG_PERSON: _l("Young person"),
    Role.CARER: _l("Parent or carer"),
    Role.KEY_WORKER: _l("Key worker"),
    Role.MANAGER: _l("Team manager"),
    Role.REVIEWER: _l("Expert by experience (reviews easy read)"),
}

DSR_LABELS = {
    DsrRating.RED: _l("Red"),
    DsrRating.AMBER: _l("Amber"),
    DsrRating.GREEN: _l("Green"),
    DsrRating.BLUE: _l("Blue (in hospital)"),
}

KEY_WORKER_ROLE_LABELS = {
    KeyWorkerRole.ASSISTANT: _l("Assistant practitioner"),
    KeyWorkerRole.SENIOR: _l("Senior practitioner"),
}


class InviteForm(Form):
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            required(_l("Enter the person's full name.")),
            max_length(NAME_MAX, _l("The name must be 120 characters or fewer.")),
        ],
    )
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[required(_l("Enter the person's email address.")), EmailAddress()],
    )
    role = RadioField(
        _l("Who are you inviting?"), invalid_choice_message=_l("Choose who you are inviting.")
    )
    case_id = SelectField(
        _l("Which young person do they care for?"),
        validators=[
            only_when("role", Role.CARER.value),
            required(_l("Choose the young person this carer looks after.")),
        ],
        invalid_choice_message=_l("Choose the young person this carer looks after."),
    )
    # Typed as text (type="date" in the page) and parsed here, so the message is ours.
    date_of_birth = StringField(
        _l("Date of birth (young person only)"),
        filters=[strip],
        validators=[
            only_when("role", Role.YOUNG_PERSON.value),
            IsoDate(_l("Enter the young person's date of birth, like 2009-03-27.")),
            InThePast(_l("The date of birth must be in the past.")),
        ],
    )
    dsr_rating = RadioField(
        _l("Dynamic Support Register rating (young person only)"),
        choices=choices((r.value, label) for r, label in DSR_LABELS.items()),
        validators=[only_when("role", Role.YOUNG_PERSON.value)],
        invalid_choice_message=_l("Choose the young person's rating on the register."),
    )

    def __init__(self, *args, roles: list[Role], cases: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices((r.value, ROLE_LABELS[r]) for r in roles)
        self.case_id.choices = choices([("", _l("Choose a young person")), *cases])

    def birth_date(self) -> date | None:
        return date.fromisoformat(self.date_of_birth.data) if self.date_of_birth.data else None


class AssignKeyWorkerForm(Form):
    key_worker_id = SelectField(
        _l("Key worker"),
        validators=[required(_l("Choose a key worker from the list."))],
        invalid_choice_message=_l("Choose a key worker from the list."),
    )
    role = RadioField(
        _l("Their role on this case"),
        choices=choices((r.value, label) for r, label in KEY_WORKER_ROLE_LABELS.items()),
        invalid_choice_message=_l("Choose the key worker's role on this case."),
    )

    def __init__(self, *args, key_workers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.key_worker_id.choices = choices([("", _l("Choose a key worker")), *key_workers])


class DeathForm(Form):
    """The day a young person died, recorded by the team's manager once key working stopped."""

    died_on = StringField(
        _l("The date they died"),
        filters=[strip],
        validators=[
            required(_l("Write the date they died, like 2026-11-30.")),
            IsoDate(_l("Write the date they died, like 2026-11-30.")),
            NotFuture(_l("The date they died cannot be after today.")),
        ],
    )

    def __init__(self, *args, born_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.born_on = born_on

    def validate_died_on(self, field) -> None:
        if self.born_on is not None and not field.errors and day_of(field) < self.born_on:
            raise ValidationError(
                _l("The date they died cannot be before the date they were born.")
            )

    def died_day(self) -> date:
        return day_of(self.died_on)


class CompetenceForm(Form):
    reason = TextAreaField(
        _l("Why are they competent to decide? Say how you assessed it."),
        filters=[strip],
        validators=[
            required(_l("Write why the young person is competent to decide.")),
            max_length(1000, _l("Use 1000 characters or fewer.")),
        ],
    )
