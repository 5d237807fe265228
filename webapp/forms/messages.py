from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField, ValidationError

from ..services.messages import BODY_MAX
from .fields import strip


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"), filters=[strip])
    client_key = HiddenField()

    def validate_body(self, field):
        if not field.data:
            raise ValidationError(_l("Write your message before you send it."))
        if len(field.data) > BODY_MAX:
            raise ValidationError(
                _l(
                    "Keep it short: use %(max)s characters or fewer. You have used %(count)s.",
                    max=BODY_MAX,
                    count=len(field.data),
                )
            )

    def validate_client_key(self, field):
        if not field.data or len(field.data) > 64:
            raise ValidationError(_l("Your message could not be sent. Please send it again."))
