from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import AnyOf

from ..models import TAGS, Feeling
from ..services.amber import ANSWERS
from ..services.journal import WORDS_MAX
from .base import Form
from .error_messages import NOT_A_PICTURE_HERE
from .fields import KeepItShort, choices, client_key_field, strip

MADE_AT_WINDOW = timedelta(days=7)

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
assert set(TAG_LABELS) == set(TAGS)


class CheckInForm(Form):
    """Three big buttons; the one pressed says the colour."""

    feeling = HiddenField(
        validators=[
            AnyOf(
                [f.value for f in Feeling],
                message=_l("Choose how you are today: green, amber or red."),
            )
        ]
    )
    client_key = client_key_field(_l("Your check-in could not be saved. Please try again."))
    # Set by the outbox (static/src/js) on a check-in made with no signal and saved later:
    # when it was made.
    made_at = HiddenField()

    def made_at_time(self, now: datetime) -> datetime | None:
        """When a check-in kept on the phone was made (milliseconds since 1970, the phone's
        clock), so it counts for the day it was made. Anything unreadable, in the future or
        more than a week old is ignored: the check-in is then dated when it is saved."""
        try:
            made = datetime.fromtimestamp(int(self.made_at.data or "") / 1000, UTC)
        except (ValueError, OverflowError, OSError):
            return None
        if not now - MADE_AT_WINDOW <= made <= now + timedelta(minutes=5):
            return None
        return min(made, now)


class DetailsForm(Form):
    words = TextAreaField(
        _l("Words (you do not have to write anything)"),
        filters=[strip],
        validators=[KeepItShort(WORDS_MAX)],
    )
    tags = SelectMultipleField(
        _l("What is it about?"),
        choices=choices(TAG_LABELS.items()),
        invalid_choice_message=NOT_A_PICTURE_HERE,
    )
    talk = BooleanField(_l("I want to talk about this with my key worker"))
    share = BooleanField(_l("Share this with my key worker"))


class DidItHelpForm(Form):
    """Did it help? One answer (yes, a bit, no) for each "what helps" item of the Amber plan,
    sent as radios named helped-<item key>: at least one."""

    def __init__(self, *args, keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        sent = request.form
        self.answers = {
            key: sent[f"helped-{key}"] for key in keys if sent.get(f"helped-{key}") in ANSWERS
        }
        # The error summary leads to the first item's answers.
        self.problem_anchor = f"helped-{keys[0]}" if keys else "helped-form"

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.answers:
            self.form_errors.append(_l("Choose yes, a bit or no for at least 1 thing."))
        return not self.form_errors
