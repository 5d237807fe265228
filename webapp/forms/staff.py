from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, ValidationError

from ..models import DsrRating, KeyWorkerRole, Role
from .fields import NAME_MAX, EmailAddress, choices, max_length, required, strip

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


class InviteForm(FlaskForm):
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
    role = RadioField(_l("Who are you inviting?"), validate_choice=False)
    case_id = SelectField(
        _l("Which young person do they care for?"), coerce=str, validate_choice=False
    )
    # Typed as text (type="date" in the page) and parsed here, so the message is ours.
    date_of_birth = StringField(_l("Date of birth (young person only)"), filters=[strip])
    dsr_rating = RadioField(
        _l("Dynamic Support Register rating (young person only)"),
        choices=choices((r.value, label) for r, label in DSR_LABELS.items()),
        validate_choice=False,
    )

    def __init__(self, *args, roles: list[Role], cases: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices((r.value, ROLE_LABELS[r]) for r in roles)
        self.case_id.choices = choices([("", _l("Choose a young person")), *cases])

    def validate_role(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose who you are inviting."))

    def validate_case_id(self, field):
        if self.role.data == Role.CARER.value:
            valid = {c.value for c in field.choices if c.value}
            if field.data not in valid:
                raise ValidationError(_l("Choose the young person this carer looks after."))

    def validate_date_of_birth(self, field):
        if self.role.data != Role.YOUNG_PERSON.value:
            return
        try:
            born = date.fromisoformat(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Enter the young person's date of birth, like 2009-03-27.")
            ) from None
        if born >= date.today():
            raise ValidationError(_l("The date of birth must be in the past."))

    def birth_date(self) -> date | None:
        return date.fromisoformat(self.date_of_birth.data) if self.date_of_birth.data else None

    def validate_dsr_rating(self, field):
        valid = {r.value for r in DsrRating}
        if self.role.data == Role.YOUNG_PERSON.value and field.data not in valid:
            raise ValidationError(_l("Choose the young person's rating on the register."))


class AssignKeyWorkerForm(FlaskForm):
    key_worker_id = SelectField(_l("Key worker"), coerce=str, validate_choice=False)
    role = RadioField(
        _l("Their role on this case"),
        choices=choices((r.value, label) for r, label in KEY_WORKER_ROLE_LABELS.items()),
        validate_choice=False,
    )

    def validate_role(self, field):
        if field.data not in {r.value for r in KeyWorkerRole}:
            raise ValidationError(_l("Choose the key worker's role on this case."))

    def __init__(self, *args, key_workers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.key_worker_id.choices = choices([("", _l("Choose a key worker")), *key_workers])

    def validate_key_worker_id(self, field):
        if field.data not in {c.value for c in field.choices if c.value}:
            raise ValidationError(_l("Choose a key worker from the list."))
