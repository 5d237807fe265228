from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from ..models import Colours, Layout, TextSize
from .base import Form
from .fields import choices

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])


def _yes_no(label, message) -> RadioField:
    return RadioField(label, choices=YES_NO, invalid_choice_message=message)


class SettingsForm(Form):
    """Every radio must have one of its own choices; each says what to choose."""

    layout = RadioField(
        _l("How do you want to read pages?"),
        choices=choices(
            [
                (Layout.EASY_READ.value, _l("Easy read: short sentences with pictures")),
                (Layout.STANDARD.value, _l("Standard: more words on each page")),
            ]
        ),
        invalid_choice_message=_l("Choose how you want to read pages."),
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
        invalid_choice_message=_l("Choose a text size."),
    )
    pictures = _yes_no(_l("Show pictures?"), _l("Choose if you want to see pictures."))
    read_aloud = _yes_no(
        _l("Show read aloud buttons?"), _l("Choose if you want read aloud buttons.")
    )
    colours = RadioField(
        _l("Colours"),
        choices=choices(
            [
                (Colours.CALM.value, _l("Calm colours")),
                (Colours.HIGH_CONTRAST.value, _l("High contrast: black and white")),
            ]
        ),
        invalid_choice_message=_l("Choose the colours you want."),
    )
    dyslexia_font = _yes_no(
        _l("Use a font made for dyslexia?"), _l("Choose if you want the font made for dyslexia.")
    )
    reduce_motion = _yes_no(
        _l("Stop things moving on the screen?"), _l("Choose if you want to stop things moving.")
    )
    language = RadioField(_l("Language"), invalid_choice_message=_l("Choose a language."))
    email_when_unread = _yes_no(
        _l("Email me when a message is waiting?"),
        _l("Choose if you want an email when a message is waiting."),
    )
    # Families only (the view removes it for staff): off until the person says yes.
    keep_on_phone = _yes_no(
        _l("Keep my plan on this phone?"),
        _l("Choose if you want to keep your plan on this phone."),
    )
