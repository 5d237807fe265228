from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)

from ..labels import PART_TITLES, STATUS_TITLES
from ..models import SECTION_PARTS, ActionStatus, Part, Section, Words
from ..services.plans import TEXT_MAX
from .fields import choices, strip

ALT_MAX = 120
OWNER_MAX = 120
CONTACT_MAX = 200


def _text_length(form, field):
    text = field.data or ""
    if not text.strip():
        raise ValidationError(form.empty_message)
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _l(
                "Keep it short: use %(max)s characters or fewer. You have used %(count)s.",
                max=TEXT_MAX,
                count=len(text),
            )
        )


class ItemForm(FlaskForm):
    """A key worker adds or changes one item of the plan."""

    empty_message = _l("Write what this part of the plan says.")

    base_version = HiddenField()
    part = RadioField(_l("Which part of the section is it in?"), validate_choice=False)
    text = TextAreaField(_l("What it says"), filters=[strip], validators=[_text_length])
    words = RadioField(
        _l("Whose words are these?"),
        choices=choices(
            [
                (Words.YOUNG_PERSON.value, _l("The young person's words")),
                (Words.CARER.value, _l("A parent or carer's words")),
                (Words.KEY_WORKER.value, _l("The key worker's words")),
            ]
        ),
        validate_choice=False,
    )
    picture_search = StringField(_l("Find a picture"), filters=[strip])
    picture = RadioField(_l("Picture"), validate_choice=False)
    picture_alt = StringField(_l("What the picture means here"), filters=[strip])
    private = BooleanField(_l("Keep this private from parents and carers"))
    owner = StringField(_l("Who will do it"), filters=[strip])
    due = StringField(_l("By when"), filters=[strip])
    status = RadioField(
        _l("How far it has got"),
        choices=choices((s.value, label) for s, label in STATUS_TITLES.items()),
        validate_choice=False,
    )
    cetr = BooleanField(_l("This is a C(E)TR recommendation"))
    contact = StringField(_l("How to reach them"), filters=[strip])

    def __init__(self, *args, section: Section, known_pictures: set[str], is_new: bool, **kw):
        super().__init__(*args, **kw)
        self.section = section
        self.known_pictures = known_pictures
        self.is_new = is_new
        self.part.choices = choices((p.value, PART_TITLES[p]) for p in SECTION_PARTS[section])
        if not self.part.data and len(SECTION_PARTS[section]) == 1:
            self.part.data = SECTION_PARTS[section][0].value

    def validate_part(self, field):
        if field.data not in {p.value for p in SECTION_PARTS[self.section]}:
            raise ValidationError(_l("Choose which part of the section this is in."))

    def validate_words(self, field):
        if field.data not in {w.value for w in Words}:
            raise ValidationError(_l("Choose whose words these are."))

    def validate_picture(self, field):
        if field.data and field.data not in self.known_pictures:
            raise ValidationError(
                _l("We do not have that picture. Search for a picture and choose one of them.")
            )

    def validate_picture_alt(self, field):
        if len(field.data or "") > ALT_MAX:
            raise ValidationError(
                _l("Use %(max)s characters or fewer to say what the picture means.", max=ALT_MAX)
            )

    def validate_owner(self, field):
        if self.section is not Section.ACTIONS:
            return
        if not field.data:
            raise ValidationError(_l("Write who will do this action."))
        if len(field.data) > OWNER_MAX:
            raise ValidationError(_l("Use %(max)s characters or fewer.", max=OWNER_MAX))

    def validate_due(self, field):
        if self.section is not Section.ACTIONS:
            return
        try:
            due = date.fromisoformat(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Write the date the action should be done by, like 2027-03-31.")
            ) from None
        if self.is_new and due < date.today():
            raise ValidationError(
                _l("A new action cannot be due in the past. Choose a later date.")
            )

    def validate_status(self, field):
        if self.section is Section.ACTIONS and field.data not in {s.value for s in ActionStatus}:
            raise ValidationError(_l("Choose how far the action has got."))

    def validate_contact(self, field):
        if self.section is Section.WHO_HELPS and len(field.data or "") > CONTACT_MAX:
            raise ValidationError(_l("Use %(max)s characters or fewer.", max=CONTACT_MAX))

    def base(self) -> int:
        """The version the person was looking at (-1 if the page did not say)."""
        try:
            return int(self.base_version.data)
        except (TypeError, ValueError):
            return -1

    def due_date(self) -> date | None:
        return date.fromisoformat(self.due.data) if self.section is Section.ACTIONS else None


class SuggestForm(FlaskForm):
    """The young person or a carer adds something in their own words."""

    empty_message = _l("Write what you want to add to your plan.")

    section = RadioField(_l("Which part of your plan is it for?"), validate_choice=False)
    text = TextAreaField(_l("In your own words"), filters=[strip], validators=[_text_length])
    private = BooleanField(_l("Keep this private: my parents and carers will not see it"))

    PARTS = [
        (Section.ABOUT_ME, Part.LIKES),
        (Section.ABOUT_ME, Part.IMPORTANT),
        (Section.ABOUT_ME, Part.SUPPORT),
        (Section.ABOUT_ME, Part.COMMUNICATION),
        (Section.GOALS, Part.GOAL),
        (Section.GREEN, Part.KEEPS_WELL),
        (Section.AMBER, Part.SIGNS),
        (Section.AMBER, Part.HELPS),
        (Section.RED, Part.SIGNS),
        (Section.RED, Part.TO_DO),
    ]

    def __init__(self, *args, labels: dict[str, str], **kw):
        super().__init__(*args, **kw)
        self.section.choices = choices(labels.items())

    def validate_section(self, field):
        if field.data not in {f"{s.value}/{p.value}" for s, p in self.PARTS}:
            raise ValidationError(_l("Choose which part of your plan this is for."))

    def target(self) -> tuple[Section, Part]:
        section, part = self.section.data.split("/")
        return Section(section), Part(part)


class AgreeForm(FlaskForm):
    version = HiddenField()


class CommunicationForm(FlaskForm):
    easy_read = BooleanField(_l("Easy read"))
    large_print = BooleanField(_l("Large print"))
    read_aloud = BooleanField(_l("Read aloud"))
    bsl = BooleanField(_l("A British Sign Language (BSL) interpreter"))
    language = StringField(_l("Language, if not English"), filters=[strip])
    other = TextAreaField(_l("Anything else"), filters=[strip])

    def validate_language(self, field):
        if len(field.data or "") > 60:
            raise ValidationError(_l("Use %(max)s characters or fewer.", max=60))

    def validate_other(self, field):
        if len(field.data or "") > 300:
            raise ValidationError(_l("Use %(max)s characters or fewer.", max=300))
