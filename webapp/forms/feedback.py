"""Tell us what you think, and How are we doing?"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from ..models import QUESTIONS, THEMES, FeedbackKind, Need
from .base import Form
from .error_messages import too_long
from .fields import (
    IsoDate,
    NotFuture,
    choices,
    client_key_field,
    day_of,
    max_length,
    required,
    strip,
)

WORDS_MAX = 2000

KIND_LABELS = {
    FeedbackKind.GOOD.value: _l("Something good"),
    FeedbackKind.IDEA.value: _l("A worry or an idea"),
    FeedbackKind.COMPLAINT.value: _l("A complaint"),
}
KIND_PICTURES = {"good": "thumbs-up", "idea": "question", "complaint": "stop"}

THEME_LABELS = {
    "communication": _l("Talking and listening"),
    "waiting": _l("Waiting too long"),
    "key_worker": _l("The key worker"),
    "plan": _l("The plan"),
    "other_services": _l("Other services"),
    "crisis": _l("Help in a crisis"),
    "app": _l("This app"),
}
assert set(THEME_LABELS) == set(THEMES)

NEED_LABELS = {
    Need.AUTISM_CAMHS.value: _l("No autism-trained CAMHS clinician"),
    Need.RESPITE.value: _l("No short breaks (respite)"),
    Need.SCHOOL_PLACE.value: _l("No suitable school or college place"),
    Need.SOCIAL_CARE.value: _l("No social care support"),
    Need.HOUSING.value: _l("No suitable place to live"),
    Need.ADULT_SERVICES.value: _l("No adult service to move to"),
    Need.SPEECH_THERAPY.value: _l("No speech and language therapy"),
    Need.OTHER.value: _l("Another need we could not meet"),
}

# The picture scale for "How are we doing?": a word for each point, so it is read out.
SCALE_LABELS = {
    "1": _l("No, not at all"),
    "2": _l("Not really"),
    "3": _l("Not sure"),
    "4": _l("Mostly"),
    "5": _l("Yes, a lot"),
}
_SCALE = choices(list(SCALE_LABELS.items()))
SCALE_PICTURES = {"1": "sad", "2": "worried", "3": "question", "4": "calm", "5": "happy"}


class FeedbackForm(Form):
    client_key = client_key_field(needed=False)
    kind = RadioField(
        _l("What do you want to tell us?"),
        choices=choices(list(KIND_LABELS.items())),
        invalid_choice_message=_l(
            "Choose a picture: something good, a worry or an idea, or a complaint."
        ),
    )
    words = TextAreaField(
        _l("Tell us in your own words"),
        filters=[strip],
        validators=[
            required(_l("Tell us what you think, in a few words.")),
            max_length(WORDS_MAX, too_long(WORDS_MAX)),
        ],
    )
    manager_only = BooleanField(_l("Only the team's manager can read this, not my key worker"))


class OutcomeForm(Form):
    what_we_did = TextAreaField(
        _l("What we did"),
        filters=[strip],
        validators=[
            required(_l("Write what the team did about it.")),
            max_length(WORDS_MAX, too_long(WORDS_MAX)),
        ],
    )
    reply = TextAreaField(
        _l("Reply to the person"),
        filters=[strip],
        validators=[
            required(_l("Write a reply to the person, in plain words.")),
            max_length(WORDS_MAX, too_long(WORDS_MAX)),
        ],
    )
    themes = SelectMultipleField(
        _l("Themes"),
        choices=choices(THEME_LABELS.items()),
        invalid_choice_message=_l("Choose themes from the list."),
    )


def _scale(label):
    return RadioField(
        label,
        choices=_SCALE,
        invalid_choice_message=_l("Choose the picture and words that fit best."),
    )


class SurveyForm(Form):
    listened = _scale(_l("I feel listened to"))
    know_contact = _scale(_l("I know who to contact"))
    better = _scale(_l("Things are getting better"))
    comment = TextAreaField(
        _l("Anything else you want to tell us? (you do not have to)"),
        filters=[strip],
        validators=[max_length(WORDS_MAX, too_long(WORDS_MAX))],
    )


assert set(QUESTIONS) <= set(SurveyForm.__dict__)


class ServiceGapForm(Form):
    need = SelectField(
        _l("What need could you not meet?"),
        choices=choices([("", _l("Choose a need")), *NEED_LABELS.items()]),
        validators=[required(_l("Choose the need you could not meet."))],
        invalid_choice_message=_l("Choose the need you could not meet."),
    )
    noted_on = StringField(
        _l("When"),
        filters=[strip],
        validators=[
            IsoDate(_l("Write today's date or an earlier one, like 2026-11-30.")),
            NotFuture(_l("Write today's date or an earlier one, like 2026-11-30.")),
        ],
    )

    def noted_day(self) -> date:
        return day_of(self.noted_on)
