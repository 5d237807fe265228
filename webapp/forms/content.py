from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, RadioField, StringField, TextAreaField, ValidationError
from wtforms import Form as PlainForm

from .fields import choices, strip


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Is this easy to read and right?"),
        choices=choices(
            [
                ("approve", _l("Yes, families can see it")),
                ("change", _l("No, it needs a change")),
            ]
        ),
        validate_choice=False,
    )
    comment = TextAreaField(_l("What needs to change?"), filters=[strip])

    def validate_decision(self, field):
        if field.data not in {"approve", "change"}:
            raise ValidationError(_l("Choose if families can see it, or if it needs a change."))

    def validate_comment(self, field):
        if self.decision.data == "change" and not field.data:
            raise ValidationError(_l("Say what needs to change, so the writer can fix it."))
        if len(field.data or "") > 2000:
            raise ValidationError(_l("Use %(max)s characters or fewer.", max=2000))


class ChunkForm(PlainForm):
    text = TextAreaField(_l("Text"), filters=[strip])
    picture = StringField(_l("Picture"), filters=[strip])
    alt = StringField(_l("What the picture means here"), filters=[strip])


class ContentEditForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip])
    chunks = FieldList(FormField(ChunkForm), min_entries=1)

    def validate_title(self, field):
        if not field.data:
            raise ValidationError(_l("Write a title."))
