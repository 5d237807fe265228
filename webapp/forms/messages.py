from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField

from ..services.messages import BODY_MAX
from .base import Form
from .fields import KeepItShort, OfferedChoice, client_key_field, required, strip

NOT_SENT = _l("Your message could not be sent. Please send it again.")


class MessageForm(Form):
    body = TextAreaField(
        _l("Your message"),
        filters=[strip],
        validators=[required(_l("Write your message before you send it.")), KeepItShort(BODY_MAX)],
    )
    client_key = client_key_field(NOT_SENT)
    # Families only: a person from the team is told at once (see services/alerts.py).
    urgent = BooleanField(_l("It is urgent: tell a person from the team now"))
    # Staff only (the view sets the choices): "please read this to them in Bengali".
    read_to_in = OfferedChoice(_l("Does someone need to read this to them in another language?"))
