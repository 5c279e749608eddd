"""Forms of the readiness plugin. Question pages are built from the questionnaire at request time."""

from __future__ import annotations

from babel import Locale
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from coproduce.plugins import (
    Form,
    NoControlCharacters,
    OnceField,
    gettext as _,
    lazy_gettext as _l,
    strip_text,
    translated,
)

from .campaigns import DEFAULT_GROUPS, parse_other_groups
from .wording import inline

DEFAULT_GROUP_LABELS = [(group["id"], group["label"]) for group in DEFAULT_GROUPS]


class FiniteNumber:
    """Stops at NaN and infinity (Decimal("sNaN") cannot even be compared) with the field's own message."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is not None and not field.data.is_finite():
            raise StopValidation(self.message)


class DateInput(GovDateInput):
    """The GOV.UK date input with its Day, Month and Year labels translated."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year"))):
            item["label"] = label
        return params


class UKDateField(DateField):
    """A date typed as day, month and year; anything else a browser sends is a form error."""

    def process_formdata(self, valuelist):
        # The widget reads day, month and year from raw_data: always give it three parts, even when the
        # field is missing from the post.
        valuelist = (list(valuelist or []) + ["", "", ""])[:3]
        self.raw_data = valuelist
        if not any(valuelist):
            valuelist = []
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a real date, like 27 3 2027"))


def _date(label, missing, hint):
    return UKDateField(
        label, widget=DateInput(), format="%d %m %Y", description=hint, validators=[InputRequired(message=missing)]
    )


def _text(label, missing, max_length=200, hint=None):
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint,
        filters=[strip_text],
        validators=[
            DataRequired(message=missing),  # after stripping: spaces alone are not an answer
            Length(max=max_length, message=_l("Use %(max)d characters or fewer", max=max_length)),
            NoControlCharacters(allow_newlines=False),
        ],
    )


def _long_text(label, missing, max_length=600, hint=None):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[strip_text],
        validators=[
            DataRequired(message=missing),
            Length(max=max_length, message=_l("Use %(max)d characters or fewer", max=max_length)),
            NoControlCharacters(allow_newlines=True),
        ],
    )


class LocalRadioInput(GovRadioInput):
    """Radios whose answers are team-written LocalTexts: each isolated, and marked with its language
    when the team has not yet written it in the page's (wording.inline)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item in params["items"]:
            if hasattr(item.get("text"), "lang"):
                item["html"] = inline(item.pop("text"))
        return params


def _own_groups_field(label, hint):
    return translated(
        TextAreaField(
            label,
            widget=GovTextArea(),
            filters=[strip_text],
            description=hint,
            validators=[
                Optional(),
                Length(max=600, message=_l("Use %(max)d characters or fewer", max=600)),
                NoControlCharacters(allow_newlines=True),
            ],
        )
    )


def check_group_lines(field, count: int) -> bool:
    """Each language of a team's own groups: the same number of groups (one on each line), each short."""
    fine = True
    for lang, text in field.translations.items():
        lines = parse_other_groups(text)
        if not lines:
            continue
        if len(lines) != count:
            problem = _("Write the same groups in the same order, one on each line")
        elif any(len(line) > 60 for line in lines):
            problem = _("Keep each group's name to 60 characters or fewer")
        else:
            continue
        fine = False
        field.translation_errors.setdefault(lang, []).append(problem)
        name = Locale.parse(lang).get_display_name(lang).capitalize()
        field.errors.append(_("%(language)s: %(message)s", language=name, message=problem))
    return fine


class AssessmentDetailsForm(Form):
    """The assessment's title and initiative in every language, and its dates; the names of the team's own
    groups in other languages (the view drops the field when there are none)."""

    #: How many groups of its own the assessment has (set by the view).
    own_groups = 0

    title = translated(
        _text(
            _l("Title of the assessment"),
            _l("Enter a title"),
            hint=_l("For example, Play areas review: readiness check, spring"),
        )
    )
    initiative = translated(
        _text(
            _l("Name of the initiative"),
            _l("Enter the name of the initiative"),
            hint=_l("The piece of work people will be asked about"),
        )
    )
    opens_on = _date(_l("Opens on"), _l("Enter the date it opens"), _l("For example, 27 3 2027"))
    closes_on = _date(_l("Closes on"), _l("Enter the date it closes"), _l("For example, 30 4 2027"))
    other_groups = _own_groups_field(
        _l("Your own groups"),
        _l("Their names as people first saw them stay as they are. Add them in other languages below."),
    )
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())

    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date must be the same as or after the opening date"))

    def validate(self, extra_validators=None) -> bool:
        fine = super().validate(extra_validators)
        if "other_groups" in self:
            fine = check_group_lines(self.other_groups, self.group_count()) and fine
        return fine

    def group_count(self) -> int:
        return self.own_groups


class AssessmentForm(AssessmentDetailsForm):
    version = SelectField(
        _l("Questionnaire"),
        widget=GovSelect(),
        coerce=str,
        validators=[InputRequired(message=_l("Choose a questionnaire"))],
    )
    groups = SelectMultipleField(
        _l("Who will answer?"),
        widget=GovCheckboxesInput(),
        coerce=str,
        choices=[SelectChoice(group_id, _l(label)) for group_id, label in DEFAULT_GROUP_LABELS],
        default=[g["id"] for g in DEFAULT_GROUPS],
        description=_l("People choose one of these groups before they start. Residents and staff are compared."),
    )
    other_groups = _own_groups_field(
        _l("Other groups (optional)"), _l("One group on each line, for example: Young carer")
    )
    submit = SubmitField(_l("Create assessment"), widget=GovSubmitInput())

    def group_count(self) -> int:
        return len(parse_other_groups(self.other_groups.data))

    def validate_groups(self, field):
        others = [line for line in (self.other_groups.data or "").splitlines() if line.strip()]
        if not field.data and not others:
            raise ValidationError(_l("Choose at least one group, or add your own"))
        if len(others) > 12:
            raise ValidationError(_l("Add no more than 12 other groups"))
        if any(len(line.strip()) > 60 for line in others):
            raise ValidationError(_l("Keep each group's name to 60 characters or fewer"))


def start_form(groups: list[tuple[str, str]], **kwargs) -> Form:
    """Which version (standard or easy read) and which group the person is in."""

    class StartForm(Form):
        group = RadioField(
            _l("Which of these describes you best?"),
            widget=LocalRadioInput(),
            validate_choice=False,
            choices=[SelectChoice(gid, label) for gid, label in groups],
            validators=[
                InputRequired(message=_l("Choose the group that describes you best")),
                AnyOf([g for g, _label in groups], message=_l("Choose the group that describes you best")),
            ],
        )
        easy_read = RadioField(
            _l("Which version would you like?"),
            widget=GovRadioInput(),
            validate_choice=False,
            choices=[
                SelectChoice("standard", _l("Standard")),
                SelectChoice("easy", _l("Easy read: short sentences and everyday words")),
            ],
            default="standard",
            validators=[
                InputRequired(message=_l("Choose a version")),
                AnyOf(["standard", "easy"], message=_l("Choose a version")),
            ],
        )
        submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    return StartForm(**kwargs)


def question_field(label: str, options: list[tuple[str, str]], required: bool = False) -> RadioField:
    ids = [oid for oid, _text in options]
    first = InputRequired(message=_l("Choose an answer")) if required else Optional()
    return RadioField(
        label,
        widget=LocalRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(oid, text) for oid, text in options],
        validators=[first, AnyOf(ids, message=_l("Choose one of the answers shown"))],
    )


def comment_field() -> TextAreaField:
    return TextAreaField(
        _l("Anything else you want to tell the team? (optional)"),
        widget=GovTextArea(),
        filters=[strip_text],
        description=_l("Please do not write your name or anything that could identify you or someone else."),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Use %(max)d characters or fewer", max=2000)),
            NoControlCharacters(allow_newlines=True),
        ],
    )


def page_form(fields: dict, with_save: bool = True, **kwargs) -> Form:
    """A question page: one radio field per question (or the comment box), Continue and Save."""
    attrs = dict(fields)
    attrs["submit"] = SubmitField(_l("Continue"), widget=GovSubmitInput())
    if with_save:
        attrs["save"] = SubmitField(_l("Save and come back later"), widget=GovSubmitInput())
    return type("PageForm", (Form,), attrs)(**kwargs)


def paper_form(groups: list[tuple[str, str]], questions: list[tuple[str, str, list]], **kwargs) -> Form:
    """Staff typing in one paper response: group, version, every question, the comment."""
    attrs = {
        "group": RadioField(
            _l("Group ticked on the paper form"),
            widget=LocalRadioInput(),
            validate_choice=False,
            choices=[SelectChoice(gid, label) for gid, label in groups],
            validators=[
                InputRequired(message=_l("Choose the group ticked on the form")),
                AnyOf([g for g, _label in groups], message=_l("Choose the group ticked on the form")),
            ],
        ),
        "easy_read": RadioField(
            _l("Which paper version was filled in?"),
            widget=GovRadioInput(),
            validate_choice=False,
            default="standard",
            choices=[SelectChoice("standard", _l("Standard")), SelectChoice("easy", _l("Easy read"))],
            validators=[
                InputRequired(message=_l("Choose a version")),
                AnyOf(["standard", "easy"], message=_l("Choose a version")),
            ],
        ),
    }
    for qid, label, options in questions:
        attrs[qid] = question_field(label, options)
    attrs["comment"] = comment_field()
    attrs["submit"] = SubmitField(_l("Save paper response"), widget=GovSubmitInput())
    return type("PaperForm", (Form,), attrs)(**kwargs)


class FilterForm(Form):
    class Meta:
        csrf = False

    group = SelectField(_l("Group"), widget=GovSelect(), validate_choice=False, validators=[Optional()])
    start = StringField(_l("From (YYYY-MM-DD)"), widget=GovTextInput(), filters=[strip_text], validators=[Optional()])
    end = StringField(_l("To (YYYY-MM-DD)"), widget=GovTextInput(), filters=[strip_text], validators=[Optional()])
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())


class CopyVersionForm(Form):
    name = _text(
        _l("Name of the new version"),
        _l("Enter a name for the new version"),
        120,
        hint=_l("For example, Youth services wording, 2027"),
    )
    submit = SubmitField(_l("Make a copy to adapt"), widget=GovSubmitInput())


def question_edit_form(option_count: int, **kwargs) -> Form:
    """Reword a question (standard and easy read) and its answers, in every language, and set its weight.

    Build it with obj=wording.QuestionWording.of(version, question): its fields are the record's."""
    attrs = {
        "text": translated(_long_text(_l("Question"), _l("Enter the question"), 300)),
        "easy_read": translated(_long_text(_l("Question in easy read"), _l("Enter the easy read question"), 300)),
        "weight": DecimalField(
            _l("Weight"),
            widget=GovTextInput(),
            places=None,
            description=_l("How much this question counts in its section. 1 is normal, 2 counts double."),
            validators=[
                InputRequired(message=_l("Enter a weight, like 1 or 2")),
                FiniteNumber(_l("Enter a weight from 0.1 to 10")),
                NumberRange(min=0.1, max=10, message=_l("Enter a weight from 0.1 to 10")),
            ],
        ),
    }
    for i in range(option_count):
        attrs[f"option_{i}"] = translated(
            _long_text(_l("Answer %(number)d", number=i + 1), _l("Enter the answer"), 300)
        )
        attrs[f"option_{i}_easy"] = translated(
            _long_text(_l("Answer %(number)d in easy read", number=i + 1), _l("Enter the easy read answer"), 300)
        )
    attrs["submit"] = SubmitField(_l("Save question"), widget=GovSubmitInput())
    return type("QuestionEditForm", (Form,), attrs)(**kwargs)


class SortForm(Form):
    """Filled in with one radio field per card at request time (see views_exercise)."""

    once = OnceField()
    submit = SubmitField(_l("Check my answers"), widget=GovSubmitInput())


def sort_form(cards: list[tuple[str, str]], choices: list[tuple[str, str]], **kwargs) -> Form:
    ids = [cid for cid, _label in choices]
    attrs = {
        card_id: RadioField(
            text,
            widget=GovRadioInput(),
            validate_choice=False,
            choices=[SelectChoice(cid, label) for cid, label in choices],
            validators=[Optional(), AnyOf(ids, message=_l("Choose one of the piles shown"))],
        )
        for card_id, text in cards
    }
    return type("CardSortForm", (SortForm,), attrs)(**kwargs)
