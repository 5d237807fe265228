from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, RadioField, StringField, TextAreaField
from wtforms import Form as PlainForm

from .. import easyread
from .base import Form
from .error_messages import too_long
from .fields import OfferedTicks, RequiredWhen, choices, max_length, required, strip


class ReviewForm(Form):
    decision = RadioField(
        _l("Is this easy to read and right?"),
        choices=choices(
            [
                ("approve", _l("Yes, families can see it")),
                ("change", _l("No, it needs a change")),
            ]
        ),
        invalid_choice_message=_l("Choose if families can see it, or if it needs a change."),
    )
    comment = TextAreaField(
        _l("What needs to change?"),
        filters=[strip],
        validators=[
            RequiredWhen(
                "decision", "change", _l("Say what needs to change, so the writer can fix it.")
            ),
            max_length(2000, too_long(2000)),
        ],
    )


class ChunkForm(PlainForm):
    text = TextAreaField(_l("Text"), filters=[strip])
    picture = StringField(_l("Picture"), filters=[strip])
    alt = StringField(_l("What the picture means here"), filters=[strip])


class ContentEditForm(Form):
    """A new version of one easy-read topic: it must follow the easy read rules to be saved."""

    title = StringField(_l("Title"), filters=[strip], validators=[required(_l("Write a title."))])
    chunks = FieldList(FormField(ChunkForm), min_entries=1)

    def __init__(self, *args, topic: str, language: str, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic, self.language, self.number = topic, language, number  # the new version
        # The easy read rules the words break, each with its chunk: a summary of its own.
        self.problems: list[easyread.Problem] = []

    def chunk_list(self) -> list[dict]:
        """The chunks written, leaving out the empty ones."""
        return [
            {"text": c.form.text.data, "picture": c.form.picture.data, "alt": c.form.alt.data}
            for c in self.chunks
            if c.form.text.data or c.form.picture.data or c.form.alt.data
        ]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        chunks = self.chunk_list()
        draft = easyread.LibraryEntry(
            self.topic, self.language, self.number, "ready", self.title.data,
            [easyread.Chunk(c["text"], c["picture"], c["alt"], n) for n, c in enumerate(chunks, 1)],
        )  # fmt: skip
        self.problems = easyread.lint([draft], easyread.load_rules(), easyread.known_pictures())
        if not chunks:
            self.problems.append(
                easyread.Problem(draft.path, 1, str(_l("Add at least one chunk.")), self.topic)
            )
        self.form_errors.extend(p.message for p in self.problems)
        return not self.problems


class ReaderLanguagesForm(Form):
    """The languages a reviewer reads well enough to say a translation is right."""

    languages = OfferedTicks(_l("Which languages do you read well?"))


class StringChecksForm(Form):
    """One page of a translation: the strings a reviewer ticks as right. Strings are named by
    their place on the page (0, 1, ...); anything else posted is left out."""

    right = OfferedTicks(_l("These translations are right"))
