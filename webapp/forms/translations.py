"""A key worker records the translation of one plan item into a family member's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField, ValidationError

from ..services.plan_translations import FIELD_MAX, MADE_BY_MAX, TEXT_MAX
from .base import Form
from .fields import ChosenRadioField, choices, strip


def _too_long(limit: int, count: int):
    return ValidationError(
        _l(
            "Keep it short: use %(max)s characters or fewer. You have used %(count)s.",
            max=limit,
            count=count,
        )
    )


class TranslationForm(Form):
    language = ChosenRadioField(
        _l("Which language is the translation in?"),
        empty_message=_l("Choose the language the translation is in."),
        invalid_choice_message=_l(
            "The app cannot show a translation in that language yet. "
            "Choose one of the languages in the list."
        ),
    )
    made_by = StringField(_l("Who made the translation?"), filters=[strip])
    text = TextAreaField(
        _l("What it says, translated"), filters=[strip], render_kw={"data-limit": TEXT_MAX}
    )
    picture_alt = StringField(_l("What the picture means here, translated"), filters=[strip])
    owner = StringField(_l("Who will do it, translated"), filters=[strip])
    contact = StringField(_l("How to reach them, translated"), filters=[strip])

    def __init__(self, *args, languages: dict[str, str], item_fields: set[str], **kw):
        """`languages`: code -> name of each language offered; `item_fields`: the item's
        fields a family member reads (only those are asked for)."""
        super().__init__(*args, **kw)
        self.language.choices = choices(languages.items())
        self.item_fields = item_fields

    def validate_made_by(self, field):
        if not field.data:
            raise ValidationError(
                _l("Write who made the translation, like: Interpreter: Farah Khan.")
            )
        if len(field.data) > MADE_BY_MAX:
            raise _too_long(MADE_BY_MAX, len(field.data))

    def validate_text(self, field):
        if not field.data:
            raise ValidationError(_l("Write the translation of what this part of the plan says."))
        if len(field.data) > TEXT_MAX:
            raise _too_long(TEXT_MAX, len(field.data))

    def _optional(self, field, name: str) -> None:
        if name in self.item_fields and len(field.data or "") > FIELD_MAX[name]:
            raise _too_long(FIELD_MAX[name], len(field.data))

    def validate_picture_alt(self, field):
        self._optional(field, "picture_alt")

    def validate_owner(self, field):
        self._optional(field, "owner")

    def validate_contact(self, field):
        self._optional(field, "contact")

    def values(self) -> dict[str, str]:
        return {
            name: getattr(self, name).data or ""
            for name in ("text", "picture_alt", "owner", "contact")
            if name == "text" or name in self.item_fields
        }
