from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)

from ..labels import PART_TITLES, STATUS_TITLES
from ..models import SECTION_PARTS, Part, Section, Words
from ..services.plans import TEXT_MAX
from .base import Form
from .error_messages import too_long
from .fields import (
    IsoDate,
    KeepItShort,
    OnlyWhen,
    choices,
    client_key_field,
    day_of,
    max_length,
    required,
    strip,
)

ALT_MAX = 120
OWNER_MAX = 120
CONTACT_MAX = 200


def in_section(section: Section) -> OnlyWhen:
    """Asked only for items of this section of the plan (ItemForm)."""
    return OnlyWhen(lambda form: form.section is section)


class ItemForm(Form):
    """A key worker adds or changes one item of the plan."""

    base_version = HiddenField()
    part = RadioField(
        _l("Which part of the section is it in?"),
        invalid_choice_message=_l("Choose which part of the section this is in."),
    )
    text = TextAreaField(
        _l("What it says"),
        filters=[strip],
        validators=[required(_l("Write what this part of the plan says.")), KeepItShort(TEXT_MAX)],
    )
    words = RadioField(
        _l("Whose words are these?"),
        choices=choices(
            [
                (Words.YOUNG_PERSON.value, _l("The young person's words")),
                (Words.CARER.value, _l("A parent or carer's words")),
                (Words.KEY_WORKER.value, _l("The key worker's words")),
            ]
        ),
        invalid_choice_message=_l("Choose whose words these are."),
    )
    picture_search = StringField(_l("Find a picture"), filters=[strip])
    # "" is "No picture", also when no radio is sent.
    picture = RadioField(
        _l("Picture"),
        default="",
        invalid_choice_message=_l(
            "We do not have that picture. Search for a picture and choose one of them."
        ),
    )
    picture_alt = StringField(
        _l("What the picture means here"),
        filters=[strip],
        validators=[
            max_length(
                ALT_MAX,
                _l("Use %(max)s characters or fewer to say what the picture means.", max=ALT_MAX),
            )
        ],
    )
    private = BooleanField(_l("Keep this private from parents and carers"))
    sensitive = BooleanField(
        _l("Sensitive: the young person chooses which parents and carers see this")
    )
    owner = StringField(
        _l("Who will do it"),
        filters=[strip],
        validators=[
            in_section(Section.ACTIONS),
            required(_l("Write who will do this action.")),
            max_length(OWNER_MAX, too_long(OWNER_MAX)),
        ],
    )
    due = StringField(
        _l("By when"),
        filters=[strip],
        # Required for an action; a date only if one is given in Moving to adult services.
        validators=[
            OnlyWhen(
                lambda form: (
                    form.section is Section.ACTIONS
                    or (form.section is Section.MOVING_ON and bool(form.due.data))
                )
            )
        ],
    )
    status = RadioField(
        _l("How far it has got"),
        choices=choices((s.value, label) for s, label in STATUS_TITLES.items()),
        validators=[in_section(Section.ACTIONS)],
        invalid_choice_message=_l("Choose how far the action has got."),
    )
    cetr = BooleanField(_l("This is a C(E)TR recommendation"))
    transition = BooleanField(_l("This is a step in moving to adult services"))
    contact = StringField(
        _l("How to reach them"),
        filters=[strip],
        validators=[
            OnlyWhen(lambda form: form.section in (Section.WHO_HELPS, Section.MOVING_ON)),
            max_length(CONTACT_MAX, too_long(CONTACT_MAX)),
        ],
    )

    def __init__(
        self,
        *args,
        section: Section,
        known_pictures: set[str],
        is_new: bool,
        too_young: str | None = None,
        was_step: bool = False,
        **kw,
    ):
        """`too_young` is why planning for adult services cannot start yet (None when it can):
        then nothing new goes into that section, and no action newly becomes a step in it."""
        super().__init__(*args, **kw)
        self.section = section
        self.is_new = is_new
        self.too_young = too_young
        self.was_step = was_step
        # True once a save found the plan changed meanwhile (see changed_meanwhile).
        self.stale = False
        self.part.choices = choices((p.value, PART_TITLES[p]) for p in SECTION_PARTS[section])
        if not self.part.data and len(SECTION_PARTS[section]) == 1:
            self.part.data = SECTION_PARTS[section][0].value
        self.picture.choices = choices(
            [("", _l("No picture")), *((key, key) for key in sorted(known_pictures))]
        )
        if section is Section.MOVING_ON:
            self.due.label.text = _l("Date, if there is one")

    def validate_part(self, field):
        if self.section is Section.MOVING_ON and self.is_new and self.too_young:
            raise ValidationError(self.too_young)

    def validate_transition(self, field):
        if self.section is Section.ACTIONS and field.data and not self.was_step and self.too_young:
            raise ValidationError(self.too_young)

    def validate_due(self, field):
        if self.section is Section.MOVING_ON:
            IsoDate(_l("Write the date like 2027-03-31, or leave it empty."))(self, field)
            return
        IsoDate(_l("Write the date the action should be done by, like 2027-03-31."))(self, field)
        if self.is_new and day_of(field) < date.today():
            raise ValidationError(
                _l("A new action cannot be due in the past. Choose a later date.")
            )

    def changed_meanwhile(self, revision: int) -> None:
        """Someone else saved the plan while this was being written, so nothing was saved:
        the words stay, and the next save is on the newest version."""
        self.stale = True
        self.base_version.data = str(revision)
        self.form_errors.append(
            _l(
                "Someone else changed the plan while you were writing, so this was not saved. "
                "Your words are still here."
            )
        )

    def base(self) -> int:
        """The version the person was looking at (-1 if the page did not say)."""
        try:
            return int(self.base_version.data)
        except (TypeError, ValueError):
            return -1

    def due_date(self) -> date | None:
        """By when, for an action; the date, if one was given, in Moving to adult services."""
        if self.section is Section.ACTIONS or (self.section is Section.MOVING_ON and self.due.data):
            return day_of(self.due)
        return None


class SuggestForm(Form):
    """The young person or a carer adds something in their own words."""

    client_key = client_key_field(needed=False)
    section = RadioField(
        _l("Which part of your plan is it for?"),
        invalid_choice_message=_l("Choose which part of your plan this is for."),
    )
    text = TextAreaField(
        _l("In your own words"),
        filters=[strip],
        validators=[
            required(_l("Write what you want to add to your plan.")),
            KeepItShort(TEXT_MAX),
        ],
    )
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
        (Section.RED, Part.NOT_TO_DO),
    ]

    # Once the plan has "Moving to adult services": what the young person wants to keep.
    MOVING_ON_PARTS = [(Section.MOVING_ON, Part.KEEP)]

    def __init__(self, *args, labels: dict[str, str], **kw):
        """`labels`: the parts this person may suggest for ("section/part"), with their words."""
        super().__init__(*args, **kw)
        self.labels = labels
        self.section.choices = choices(labels.items())

    def target(self) -> tuple[Section, Part]:
        section, part = self.section.data.split("/")
        return Section(section), Part(part)


class AgreeForm(Form):
    version = HiddenField()


class CommunicationForm(Form):
    easy_read = BooleanField(_l("Easy read"))
    large_print = BooleanField(_l("Large print"))
    read_aloud = BooleanField(_l("Read aloud"))
    bsl = BooleanField(_l("A British Sign Language (BSL) interpreter"))
    language = StringField(
        _l("Language, if not English"), filters=[strip], validators=[max_length(60, too_long(60))]
    )
    interpreter = BooleanField(_l("An interpreter for meetings and phone calls"))
    other = TextAreaField(
        _l("Anything else"), filters=[strip], validators=[max_length(300, too_long(300))]
    )


class ShareForm(Form):
    """A link to the one-page profile for one named professional, for a few days."""

    professional = StringField(
        _l("Who is it for? Write their name and job."),
        filters=[strip],
        validators=[
            required(_l("Write who the link is for, like: Ms Jones, my teacher.")),
            max_length(120, _l("Use 120 characters or fewer.")),
        ],
    )
    days = RadioField(
        _l("How long can they open it?"),
        choices=choices([("1", _l("1 day")), ("7", _l("7 days")), ("30", _l("30 days"))]),
        invalid_choice_message=_l("Choose how long they can open it."),
    )
