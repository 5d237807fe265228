from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, TextAreaField, ValidationError

from ..models import TAGS, Feeling
from ..services.journal import WORDS_MAX
from .fields import strip

TAG_LABELS = {
    "school": _l("School or college"),
    "sleep": _l("Sleep"),
    "family": _l("Family"),
    "friends": _l("Friends"),
    "food": _l("Food"),
    "feelings": _l("Feelings"),
    "money": _l("Money"),
    "health": _l("Health"),
    "home": _l("Home"),
}


class CheckInForm(FlaskForm):
    """Three big buttons; the one pressed says the colour."""

    feeling = HiddenField()
    client_key = HiddenField()

    def validate_feeling(self, field):
        if field.data not in {f.value for f in Feeling}:
            raise ValidationError(_l("Choose how you are today: green, amber or red."))

    def validate_client_key(self, field):
        if not field.data or len(field.data) > 64:
            raise ValidationError(_l("Your check-in could not be saved. Please try again."))


class DetailsForm(FlaskForm):
    words = TextAreaField(_l("Words (you do not have to write anything)"), filters=[strip])
    tags = SelectMultipleField(_l("What is it about?"), validate_choice=False)
    talk = BooleanField(_l("I want to talk about this with my key worker"))
    share = BooleanField(_l("Share this with my key worker"))

    def validate_words(self, field):
        if len(field.data or "") > WORDS_MAX:
            raise ValidationError(
                _l(
                    "Keep it short: use %(max)s characters or fewer. You have used %(count)s.",
                    max=WORDS_MAX,
                    count=len(field.data),
                )
            )

    def validate_tags(self, field):
        unknown = [t for t in field.data or [] if t not in TAGS]
        if unknown:
            raise ValidationError(_l("Choose from the pictures on this page."))
