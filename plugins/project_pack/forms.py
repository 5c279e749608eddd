"""The plugin's forms (GOV.UK widgets); every label and message goes through gettext."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from coproduce.plugins import Form, NoControlCharacters, OnceField, long_text_field, strip_text, text_field, translated
from coproduce_plugins.project_pack import _l, consent
from coproduce_plugins.project_pack.models import LOG_KINDS, STATUSES
from coproduce_plugins.project_pack.skills import ACTIVITIES, SKILLS

STATUS_LABELS = {
    "idea": _l("Idea"),
    "forming": _l("Forming"),
    "active": _l("Active"),
    "paused": _l("Paused"),
    "completed": _l("Completed"),
}
LOG_LABELS = {"progress": _l("Progress"), "decision": _l("Decision"), "learning": _l("Learning")}


no_control = NoControlCharacters(allow_newlines=True)


text = text_field
long_text = partial(long_text_field, max_length=20000)


def choice_checked(form, field):
    """Goes before Optional(), which would clear the "not a valid choice" error of a value sent, such as " "."""
    if field.raw_data and field.errors:
        raise StopValidation()


def member_choices(team):
    choices = [SelectChoice("", _l("No account"))]
    for membership in sorted(team.memberships, key=lambda m: m.user.display_name.lower()):
        choices.append(SelectChoice(str(membership.user.id), membership.user.display_name))
    return choices


class CriteriaLines:
    """Each line must read "what | how measured | target" (the last two may be empty)."""

    def __call__(self, form, field):
        for line in (field.data or "").splitlines():
            if line.strip() and not line.split("|")[0].strip():
                raise ValidationError(_l("Start every criterion with what you will look at, before the first |"))


class DateInput(GovDateInput):
    """GOV.UK date input with its Day, Month and Year labels in the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, label in zip(params.get("items", []), (_l("Day"), _l("Month"), _l("Year"))):
            item["label"] = str(label)
        return params


class ThreePartDate(DateField):
    """A GOV.UK date (day, month, year); a post with the wrong number of parts is an error, never a crash."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a real date, for example 27 3 2026")) from None

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = (list(self.raw_data) + ["", "", ""])[:3]
            if formdata is not None and any(self.raw_data):
                self.data = None
                self.process_errors.append(_l("Enter a real date"))


def parse_criteria(value: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (value or "").splitlines():
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        if parts[0]:
            rows.append((parts[0][:300], parts[1][:300], parts[2][:200]))
    return rows


class ProjectForm(Form):
    title = translated(text(_l("Project title"), 200, required=_l("Enter a title")))
    summary = translated(text(_l("Summary"), 500, hint=_l("One or two sentences anyone can understand")))
    background = translated(long_text(_l("Background"), hint=_l("Why the project exists. You can use Markdown.")))
    status = RadioField(
        _l("Status"),
        widget=GovRadioInput(),
        default="idea",
        choices=[SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES],
        validators=[InputRequired(message=_l("Choose a status"))],
    )
    goals = translated(long_text(_l("Goals agreed at the outset"), hint=_l("One goal a line")))
    set_in_stone = translated(long_text(_l("Set in stone"), hint=_l("Budget, deadline, constraints: one a line")))
    up_for_grabs = translated(long_text(_l("Up for grabs"), hint=_l("What people can still shape: one a line")))
    lead_name = text(_l("Lead"), 120, hint=_l("The person with the resource to carry it beyond the first event"))
    lead_user = SelectField(
        _l("Lead's account in this team (if they have one)"),
        widget=GovSelect(),
        validators=[choice_checked, Optional()],
    )
    co_owner_name = text(_l("Co-owner"), 120, hint=_l("Someone from the community or a person who uses the service"))
    co_owner_role = text(
        _l("Co-owner's part in the project"), 120, hint=_l("For example: parent, resident, service user")
    )
    co_owner_user = SelectField(
        _l("Co-owner's account in this team (if they have one)"),
        widget=GovSelect(),
        validators=[choice_checked, Optional()],
    )
    owners_public = BooleanField(consent.WORDING[consent.OWNERS], widget=GovCheckboxInput())
    criteria = long_text(
        _l("Outcome criteria"),
        max_length=5000,
        hint=_l("One a line: what you will look at | how it will be measured | target"),
    )
    submit = SubmitField(_l("Save project"), widget=GovSubmitInput())

    def __init__(self, team, *args, with_criteria=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead_user.choices = self.co_owner_user.choices = member_choices(team)
        if not with_criteria:
            del self.criteria
        else:
            self.criteria.validators.append(CriteriaLines())


class TemplateForm(Form):
    name = text(_l("Template name"), 200, required=_l("Enter a name for the template"))
    goals = ProjectForm.goals
    set_in_stone = ProjectForm.set_in_stone
    up_for_grabs = ProjectForm.up_for_grabs
    criteria = TextAreaField(
        _l("Outcome criteria"),
        widget=GovTextArea(),
        filters=[strip_text],
        description=_l("One a line: what you will look at | how it will be measured | target"),
        validators=[Optional(), Length(max=5000), no_control, CriteriaLines()],
    )
    submit = SubmitField(_l("Save template"), widget=GovSubmitInput())


class ContactForm(Form):
    name = text(_l("Name"), 120, required=_l("Enter the contact's name"))
    role = text(_l("Role"), 120)
    organisation = text(_l("Organisation"), 160)
    reach = text(_l("How to reach them"), 300, hint=_l("Email address, phone number or where to find them"))
    consent = BooleanField(consent.WORDING[consent.CONTACT], widget=GovCheckboxInput())
    submit = SubmitField(_l("Add contact"), widget=GovSubmitInput())


class DocumentForm(Form):
    title = translated(text(_l("What the document is"), 200))
    file = FileField(_l("File"), widget=GovFileInput(), description=_l("PDF, CSV, XLSX, DOCX, ODT, PNG or JPEG"))
    submit = SubmitField(_l("Upload"), widget=GovSubmitInput())


class SkillNeedForm(Form):
    skill = SelectField(
        _l("Skill the project needs"),
        widget=GovSelect(),
        choices=[SelectChoice(k, v) for k, v in SKILLS.items()],
        validators=[InputRequired(message=_l("Choose a skill"))],
    )
    note = translated(text(_l("What for"), 300))
    submit = SubmitField(_l("Add skill"), widget=GovSubmitInput())


class LogForm(Form):
    kind = RadioField(
        _l("Kind of entry"),
        widget=GovRadioInput(),
        choices=[SelectChoice(k, LOG_LABELS[k]) for k in LOG_KINDS],
        validators=[InputRequired(message=_l("Choose the kind of entry"))],
    )
    happened_on = ThreePartDate(
        _l("Date"),
        widget=DateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message=_l("Enter the date, for example 27 3 2026"))],
    )
    text = translated(long_text(_l("What happened"), required=_l("Enter what happened")))
    working_together = translated(
        long_text(
            _l("What did you learn about working together?"),
            hint=_l("The question projects forget: about trust, power, time, language or how decisions got made"),
        )
    )
    submit = SubmitField(_l("Add entry"), widget=GovSubmitInput())


class CriterionForm(Form):
    what = translated(text(_l("What you will look at"), 300, required=_l("Enter what you will look at")))
    measure = translated(text(_l("How it will be measured"), 300))
    target = translated(text(_l("Target"), 200))
    submit = SubmitField(_l("Add criterion"), widget=GovSubmitInput())


class EvidenceForm(Form):
    note = translated(long_text(_l("Note"), max_length=5000))
    figure = StringField(
        _l("Figure"), widget=GovTextInput(), filters=[strip_text], description=_l("A number, for example 42 or 3.5")
    )
    observed_on = ThreePartDate(_l("Date"), widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    document = SelectField(_l("Document"), widget=GovSelect(), validators=[choice_checked, Optional()])
    submit = SubmitField(_l("Add evidence"), widget=GovSubmitInput())

    def __init__(self, documents, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document.choices = [SelectChoice("", _l("No document"))] + [
            SelectChoice(str(d.id), d.title or d.name) for d in documents
        ]

    def validate_figure(self, field):
        field.number = None
        if field.data:
            try:
                value = Decimal(field.data.replace(",", ""))
            except InvalidOperation:
                raise ValidationError(_l("Enter the figure as a number, like 42 or 3.5")) from None
            # copy_abs, not abs(): abs() rounds in the decimal context and overflows on 1e999999.
            if not value.is_finite() or value.copy_abs() >= Decimal("1e12"):
                raise ValidationError(_l("Enter the figure as a number, like 42 or 3.5"))
            # The column keeps two places: round first, then check it still fits (999999999999.999 does not).
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if value.copy_abs() >= Decimal("1e12"):
                raise ValidationError(_l("Enter the figure as a number, like 42 or 3.5"))
            field.number = value  # the Decimal, not the text: "٤٢" or "1_000" are numbers to Python only

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and not (self.note.data or self.figure.data or self.observed_on.data or self.document.data):
            self.note.errors = list(self.note.errors) + [_l("Add a note, a figure, a date or a document")]
            return False
        return ok


class OfferForm(Form):
    name = text(_l("Your name, or your group's name"), 120, required=_l("Enter your name or your group's name"))
    organisation = text(_l("Organisation (if any)"), 160)
    reach = text(
        _l("How can we reach you?"),
        300,
        required=_l("Tell us how we can reach you"),
        hint=_l("An email address or a phone number. Only the team sees it."),
    )
    activities = SelectMultipleField(
        _l("Which of these do you do?"),
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(k, label) for k, label, _s in ACTIVITIES],
        validators=[Optional()],
        description=_l("Everyday things that count as skills. Tick any that fit."),
    )
    skills = SelectMultipleField(
        _l("Skills you can offer"),
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(k, v) for k, v in SKILLS.items()],
        validators=[Optional()],
    )
    message = long_text(_l("Anything you would like to tell us"), max_length=3000)
    consent = BooleanField(
        consent.WORDING[consent.OFFER],
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Tick the box to agree, so the team can contact you"))],
    )
    once = OnceField()
    submit = SubmitField(_l("Send offer"), widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField(
        _l("Project pack (ZIP)"), widget=GovFileInput(), description=_l("A ZIP file exported from Coproduce")
    )
    submit = SubmitField(_l("Import project"), widget=GovSubmitInput())


class ConfirmForm(Form):
    """A form holding only its CSRF token, for buttons that change things."""
