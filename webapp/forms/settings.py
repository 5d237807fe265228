from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

from ..models import Colours, Layout, TextSize
from .fields import choices

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])


class SettingsForm(FlaskForm):
    layout = RadioField(
        _l("How do you want to read pages?"),
        choices=choices(
            [
                (Layout.EASY_READ.value, _l("Easy read: short sentences with pictures")),
                (Layout.STANDARD.value, _l("Standard: more words on each page")),
            ]
        ),
    )
    text_size = RadioField(
        _l("Text size"),
        choices=choices(
            [
                (TextSize.STANDARD.value, _l("Standard")),
                (TextSize.LARGE.value, _l("Large")),
                (TextSize.LARGEST.value, _l("Largest")),
            ]
        ),
    )
    pictures = RadioField(_l("Show pictures?"), choices=YES_NO)
    read_aloud = RadioField(_l("Show read aloud buttons?"), choices=YES_NO)
    colours = RadioField(
        _l("Colours"),
        choices=choices(
            [
                (Colours.CALM.value, _l("Calm colours")),
                (Colours.HIGH_CONTRAST.value, _l("High contrast: black and white")),
            ]
        ),
    )
    dyslexia_font = RadioField(_l("Use a font made for dyslexia?"), choices=YES_NO)
    reduce_motion = RadioField(_l("Stop things moving on the screen?"), choices=YES_NO)
    language = RadioField(_l("Language"))
    email_when_unread = RadioField(_l("Email me when a message is waiting?"), choices=YES_NO)

    def validate(self, extra_validators=None) -> bool:
        # Every radio must have one of its own choices; a missing one gets its own message.
        messages = {
            "layout": _l("Choose how you want to read pages."),
            "text_size": _l("Choose a text size."),
            "pictures": _l("Choose if you want to see pictures."),
            "read_aloud": _l("Choose if you want read aloud buttons."),
            "colours": _l("Choose the colours you want."),
            "dyslexia_font": _l("Choose if you want the font made for dyslexia."),
            "reduce_motion": _l("Choose if you want to stop things moving."),
            "language": _l("Choose a language."),
            "email_when_unread": _l("Choose if you want an email when a message is waiting."),
        }
        ok = super().validate(extra_validators)
        for name, message in messages.items():
            field = self[name]
            if field.errors:
                field.errors = [str(message)]
        return ok
