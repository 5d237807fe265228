from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from ..services.alerts import CONTACT_CHOICES
from .base import Form
from .fields import choices

CONTACT_LABELS = {
    30: _l("Within 30 minutes"),
    60: _l("Within 1 hour"),
    120: _l("Within 2 hours"),
    240: _l("Within 4 hours"),
}


class AcknowledgeForm(Form):
    """Saying "I have seen this" never fails on the answer (the CSRF check is the app's own):
    a time not on the list counts as 1 hour."""

    contact_within = RadioField(
        _l("When will you contact them?"),
        choices=choices([(str(m), CONTACT_LABELS[m]) for m in CONTACT_CHOICES]),
        default="60",
    )

    def minutes(self) -> int:
        value = self.contact_within.data or ""
        return int(value) if value.isdigit() and int(value) in CONTACT_CHOICES else 60
