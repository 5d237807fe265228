"""Forms for the register: the rating, going into and leaving hospital, the team's rules."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField, ValidationError

from ..models import (
    AdmissionKind,
    BarrierStepKind,
    Condition,
    ConsentGiver,
    ConsentWay,
    DsrRating,
    ReferralSource,
)
from .base import Form
from .fields import IsoDate, NotFuture, NotPast, choices, day_of, max_length, required, strip
from .staff import DSR_LABELS

REASON_MAX = 2000

ADMISSION_KIND_LABELS = {
    AdmissionKind.INFORMAL: _l("Informal (they agreed to go in)"),
    AdmissionKind.FORMAL: _l("Formal (under the Mental Health Act)"),
}


class RatingForm(Form):
    rating = RadioField(
        _l("New rating on the register"),
        choices=choices((r.value, label) for r, label in DSR_LABELS.items()),
        invalid_choice_message=_l("Choose the new rating."),
    )
    reason = TextAreaField(
        _l("Why the rating is changing"),
        filters=[strip],
        validators=[
            required(_l("Enter why the rating is changing, so the team knows later.")),
            max_length(REASON_MAX, _l("The reason must be 2000 characters or fewer.")),
        ],
    )
    # Typed as text (type="date" in the page) and parsed here, so the message is ours.
    review_on = StringField(
        _l("Review the rating by"),
        filters=[strip],
        validators=[
            IsoDate(_l("Enter the date to review the rating by, like 2026-12-24.")),
            NotPast(_l("The review date must be today or later.")),
        ],
    )
    show_family = BooleanField(_l("Tell the family about this rating, in kind words"))

    def review_date(self) -> date:
        return day_of(self.review_on)


class AdmissionForm(Form):
    admitted_on = StringField(
        _l("Date they went into hospital"),
        filters=[strip],
        validators=[
            IsoDate(_l("Enter the date they went into hospital, like 2026-11-03.")),
            NotFuture(_l("The date they went into hospital cannot be in the future.")),
        ],
    )
    hospital = StringField(
        _l("Hospital"),
        filters=[strip],
        validators=[
            required(_l("Enter the name of the hospital.")),
            max_length(160, _l("The hospital's name must be 160 characters or fewer.")),
        ],
    )
    ward = StringField(
        _l("Ward"),
        filters=[strip],
        validators=[
            required(_l("Enter the name of the ward.")),
            max_length(160, _l("The ward's name must be 160 characters or fewer.")),
        ],
    )
    phone = StringField(
        _l("The ward's phone number"),
        filters=[strip],
        validators=[
            required(_l("Enter the ward's phone number, so the family can call.")),
            max_length(40, _l("The phone number must be 40 characters or fewer.")),
        ],
    )
    kind = RadioField(
        _l("Type of admission"),
        choices=choices((k.value, label) for k, label in ADMISSION_KIND_LABELS.items()),
        invalid_choice_message=_l("Choose whether the admission is formal or informal."),
    )

    def admitted_date(self) -> date:
        return day_of(self.admitted_on)


class DischargeForm(Form):
    discharged_on = StringField(
        _l("Date they left hospital"),
        filters=[strip],
        validators=[
            IsoDate(_l("Enter the date they left hospital, like 2026-11-30.")),
            NotFuture(_l("The date they left hospital cannot be in the future.")),
        ],
    )
    discharged_time = StringField(_l("Time they left hospital"), filters=[strip])
    discharged_to = StringField(
        _l("Where they went"),
        filters=[strip],
        validators=[
            required(_l("Enter where they went when they left hospital, for example home.")),
            max_length(200, _l("Where they went must be 200 characters or fewer.")),
        ],
    )

    def __init__(self, *args, admitted_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.admitted_on = admitted_on

    def validate_discharged_on(self, field):
        if day_of(field) < self.admitted_on:
            raise ValidationError(
                _l("They cannot leave hospital before they went in. Check the date.")
            )

    def validate_discharged_time(self, field):
        try:
            time.fromisoformat(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter the time they left hospital, like 14:30.")) from None

    def local_moment(self) -> datetime:
        """When they left, as typed (London time, without a zone: the view adds it)."""
        return datetime.combine(
            date.fromisoformat(self.discharged_on.data),
            time.fromisoformat(self.discharged_time.data),
        )


class SettingsForm(Form):
    after_discharge_rating = RadioField(
        _l("Rating after someone leaves hospital"),
        choices=choices(
            (r.value, label) for r, label in DSR_LABELS.items() if r is not DsrRating.BLUE
        ),
        invalid_choice_message=_l("Choose the rating after someone leaves hospital."),
    )
    after_discharge_days = StringField(_l("For how many days"), filters=[strip])
    caseload_limit = StringField(_l("Most young people for one key worker"), filters=[strip])
    transition_age = StringField(_l("Age to start planning for adult services"), filters=[strip])

    @staticmethod
    def _number(field, low: int, high: int, message) -> None:
        try:
            value = int(field.data or "")
        except ValueError:
            raise ValidationError(message) from None
        if not low <= value <= high:
            raise ValidationError(message)

    def validate_after_discharge_days(self, field):
        self._number(field, 1, 90, _l("Enter a number of days from 1 to 90."))

    def validate_caseload_limit(self, field):
        self._number(field, 1, 50, _l("Enter a number of young people from 1 to 50."))

    def validate_transition_age(self, field):
        self._number(field, 14, 18, _l("Enter an age from 14 to 18."))


SOURCE_LABELS = {
    ReferralSource.DSR_MEETING: _l("A Dynamic Support Register meeting"),
    ReferralSource.INPATIENT_REVIEW: _l("An inpatient review"),
    ReferralSource.CETR: _l("A Care (Education) and Treatment Review (C(E)TR)"),
    ReferralSource.OTHER: _l("Another way"),
}
CONDITION_LABELS = {
    Condition.LEARNING_DISABILITY: _l("A learning disability"),
    Condition.AUTISM: _l("Autism"),
    Condition.BOTH: _l("Both"),
    Condition.NEITHER: _l("Neither"),
}
GIVER_LABELS = {
    ConsentGiver.YOUNG_PERSON: _l("The young person"),
    ConsentGiver.PARENT_OR_CARER: _l("A parent or carer"),
}
WAY_LABELS = {
    ConsentWay.IN_PERSON: _l("In person"),
    ConsentWay.PHONE: _l("On the phone"),
    ConsentWay.WRITING: _l("In writing or by email"),
}


class ReferralForm(Form):
    source = RadioField(
        _l("How the case came to the team"),
        choices=choices((k.value, label) for k, label in SOURCE_LABELS.items()),
        invalid_choice_message=_l("Choose how the case came to the team."),
    )
    source_detail = StringField(
        _l("If another way, which"),
        filters=[strip],
        validators=[max_length(200, _l("This must be 200 characters or fewer."))],
    )
    referred_on = StringField(
        _l("Date of the referral"),
        filters=[strip],
        validators=[
            IsoDate(_l("Enter the date of the referral, like 2026-09-14.")),
            NotFuture(_l("The date of the referral cannot be in the future.")),
        ],
    )
    condition = RadioField(
        _l("Does the young person have a learning disability, autism or both?"),
        choices=choices((k.value, label) for k, label in CONDITION_LABELS.items()),
        invalid_choice_message=_l("Choose a learning disability, autism, both or neither."),
    )

    def validate_source_detail(self, field):
        if self.source.data == ReferralSource.OTHER.value and not field.data:
            raise ValidationError(_l("Say which other way the case came to the team."))


class ConsentForm(Form):
    given = RadioField(
        _l("Permission to be on the register"),
        choices=choices(
            [("given", _l("Permission given")), ("withdrawn", _l("Permission withdrawn"))]
        ),
        invalid_choice_message=_l("Choose whether permission is given or withdrawn."),
    )
    giver = RadioField(
        _l("Who decided"),
        choices=choices((k.value, label) for k, label in GIVER_LABELS.items()),
        invalid_choice_message=_l("Choose who decided."),
    )
    giver_name = StringField(
        _l("Their name"),
        filters=[strip],
        validators=[
            required(_l("Enter the name of the person who decided.")),
            max_length(120, _l("The name must be 120 characters or fewer.")),
        ],
    )
    decided_on = StringField(
        _l("Date they decided"),
        filters=[strip],
        validators=[
            IsoDate(_l("Enter the date they decided, like 2026-09-14.")),
            NotFuture(_l("The date they decided cannot be in the future.")),
        ],
    )
    way = RadioField(
        _l("How they told you"),
        choices=choices((k.value, label) for k, label in WAY_LABELS.items()),
        invalid_choice_message=_l("Choose how they told you."),
    )

    def __init__(self, *args, young_person_decides: bool, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.young_person_decides = young_person_decides
        self.name = name

    def validate_giver(self, field):
        if self.young_person_decides and field.data == ConsentGiver.PARENT_OR_CARER.value:
            raise ValidationError(
                _l("%(name)s is 16 or over, so %(name)s decides for themselves.", name=self.name)
            )


class BarrierForm(Form):
    description = TextAreaField(
        _l("What is blocking the plan"),
        filters=[strip],
        validators=[
            required(_l("Enter what is blocking the plan, for example no school place.")),
            max_length(REASON_MAX, _l("This must be 2000 characters or fewer.")),
        ],
    )
    raised_with = StringField(
        _l("Who you raised it with"),
        filters=[strip],
        validators=[
            required(_l("Enter who you raised it with, for example the local authority.")),
            max_length(200, _l("This must be 200 characters or fewer.")),
        ],
    )
    raised_on = StringField(
        _l("Date you raised it"),
        filters=[strip],
        validators=[
            IsoDate(_l("Enter the date you raised it, like 2026-11-20.")),
            NotFuture(_l("The date you raised it cannot be in the future.")),
        ],
    )


class BarrierStepForm(Form):
    kind = RadioField(
        _l("What are you recording?"),
        choices=choices(
            [
                (BarrierStepKind.ESCALATED.value, _l("I have escalated it")),
                (BarrierStepKind.OUTCOME.value, _l("The outcome (this closes the barrier)")),
            ]
        ),
        invalid_choice_message=_l("Choose whether you escalated it or have an outcome."),
    )
    text = TextAreaField(
        _l("What happened"),
        filters=[strip],
        validators=[
            required(_l("Enter who you escalated it to, or what the outcome was.")),
            max_length(REASON_MAX, _l("This must be 2000 characters or fewer.")),
        ],
    )
