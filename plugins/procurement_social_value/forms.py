"""The plugin's forms (GOV.UK widgets); every label and message goes through gettext."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from urllib.parse import urlparse

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from coproduce.plugins import (
    Form,
    NoControlCharacters,
    OnceField,
    local_text,
    long_text_field,
    one_line,
    strip_text,
    text_field,
    translated,
)
from coproduce_plugins.procurement_social_value import _l
from coproduce_plugins.procurement_social_value.framework import CODE_PATTERN
from coproduce_plugins.procurement_social_value.money import parse_pence, parse_quantity

ANSWERS = {"yes": _l("Yes"), "no": _l("No"), "unsure": _l("Not sure")}
VERDICTS = {
    "verified": _l("Verify: the evidence shows it was delivered"),
    "disputed": _l("Dispute: the evidence does not show it was delivered"),
}
FILE_KINDS = ("pdf", "png", "jpeg", "docx", "odt", "xlsx", "csv")


no_control = NoControlCharacters(allow_newlines=True)


text = partial(text_field, single_line=True)
long_text = long_text_field


class GovDate(DateField):
    """A GOV.UK date input whose 'not a date' message is our own, translated."""

    def __init__(self, label, required=None, **kwargs):
        checks = [InputRequired(message=required)] if required else [Optional()]
        super().__init__(label, widget=GovDateInput(), format="%d %m %Y", validators=checks, **kwargs)

    def process_formdata(self, valuelist):
        # The widget reads day, month and year from raw_data: always give it three parts.
        self.raw_data = (list(valuelist) + ["", "", ""])[:3] if valuelist else None
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        try:
            self.data = datetime.strptime(" ".join(v.strip() for v in valuelist), "%d %m %Y").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a real date, for example 27 3 2026")) from None


def date_field(label, required=True):
    return GovDate(
        label,
        required=_l("Enter the date, for example 27 3 2026") if required else None,
        description=_l("For example, 27 3 2026"),
    )


class Money:
    def __call__(self, form, field):
        try:
            field.pence = parse_pence(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter an amount in pounds, such as 250000 or 1,250.50")) from None


class Quantity:
    def __init__(self, positive=True):
        self.positive = positive

    def __call__(self, form, field):
        try:
            field.quantity = parse_quantity(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter a number of 0 or more, with up to 3 decimal places")) from None
        if self.positive and field.quantity == 0:
            raise ValidationError(_l("Enter a number more than 0"))


def web_link(form, field):
    if field.data:
        parsed = urlparse(field.data)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValidationError(_l("Enter a web address starting with https://"))


class ConfirmForm(Form):
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class ContractForm(Form):
    reference = text(
        _l("Contract reference"),
        32,
        required=_l("Enter the contract reference"),
        hint=_l("Letters, digits, dots, hyphens or underscores, such as C-2025-014"),
    )
    title = translated(text(_l("What the contract is for"), 300, required=_l("Enter what the contract is for")))
    supplier_name = text(_l("Supplier"), 300, required=_l("Enter the supplier's name"))
    company_number = text(_l("Companies House number (optional)"), 8, hint=_l("8 digits, or 2 letters and 6 digits"))
    value = StringField(
        _l("Contract value in pounds"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[InputRequired(message=_l("Enter the contract value")), Money()],
    )
    start_date = date_field(_l("Start date"))
    end_date = date_field(_l("End date"))
    category = text(_l("Category (optional)"), 120, hint=_l("For example, construction or social care"))
    area = text(_l("Area or ward (optional)"), 120)
    manager_name = text(_l("Contract manager (optional)"), 120)
    manager_email = StringField(
        _l("Contract manager's email address (optional)"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=254, message=_l("Answer in %(max)d characters or fewer", max=254)),
            Email(message=_l("Enter an email address like name@example.com"), check_deliverability=False),
        ],
    )
    published = BooleanField(_l("Show this contract and its commitments on the public page"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Save contract"), widget=GovSubmitInput())

    def validate_reference(self, field):
        if field.data and not CODE_PATTERN.match(field.data):
            raise ValidationError(_l("Use only letters, digits, dots, hyphens or underscores"))

    def validate_company_number(self, field):
        if field.data:
            field.data = field.data.replace(" ", "").upper()
            if not Regexp(r"^(?:\d{8}|[A-Z]{2}\d{6})$").regex.match(field.data):
                raise ValidationError(_l("Enter 8 digits, or 2 letters and 6 digits"))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be on or after the start date"))


class CommitmentForm(Form):
    measure = SelectField(_l("Measure"), widget=GovSelect(), validators=[InputRequired(message=_l("Choose a measure"))])
    target = StringField(
        _l("Target quantity"),
        widget=GovTextInput(),
        filters=[strip_text],
        description=_l("In the measure's unit"),
        validators=[InputRequired(message=_l("Enter the target quantity")), Quantity()],
    )
    due_date = date_field(_l("Due date"))
    description = translated(long_text(_l("What the supplier promised, in plain words (optional)")))
    need = SelectField(_l("Local need it answers (optional)"), widget=GovSelect(), validators=[Optional()])
    project = SelectField(
        _l("Linked project (optional)"),
        widget=GovSelect(),
        validators=[Optional()],
        description=_l("The team's project this promise helps; the project's page then shows it"),
    )
    submit = SubmitField(_l("Save commitment"), widget=GovSubmitInput())

    def __init__(self, measures, needs, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure.choices = [SelectChoice("", _l("Choose a measure"))] + [
            SelectChoice(str(m.id), f"{m.code} {local_text(m, 'title')} ({local_text(m, 'unit')})") for m in measures
        ]
        self.need.choices = [SelectChoice("", _l("No need named"))] + [
            SelectChoice(str(n.id), local_text(n, "title")) for n in needs
        ]


class ReportForm(Form):
    commitment = SelectField(
        _l("Commitment"), widget=GovSelect(), validators=[InputRequired(message=_l("Choose the commitment"))]
    )
    period_start = date_field(_l("Start of the period reported on"))
    period_end = date_field(_l("End of the period reported on"))
    quantity = StringField(
        _l("Quantity delivered in the period"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[InputRequired(message=_l("Enter the quantity delivered")), Quantity()],
    )
    note = long_text(
        _l("What was done (optional)"), hint=_l("Shown on the public page: do not include names or contact details")
    )
    link = StringField(
        _l("Link to evidence (optional)"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=500, message=_l("Answer in %(max)d characters or fewer", max=500)),
            no_control,
            one_line,
            web_link,
        ],
    )
    evidence = FileField(
        _l("Evidence document (optional)"),
        widget=GovFileInput(),
        description=_l("PDF, PNG, JPEG, DOCX, ODT, XLSX or CSV"),
    )
    once = OnceField()
    submit = SubmitField(_l("Send delivery report"), widget=GovSubmitInput())

    def __init__(self, commitments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitment.choices = [SelectChoice("", _l("Choose the commitment"))] + [
            SelectChoice(str(c.id), f"{c.ref}: {c.measure.code} {local_text(c.measure, 'title')}") for c in commitments
        ]

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_l("The end of the period must be on or after its start"))


class DecisionForm(Form):
    verdict = RadioField(
        _l("Your decision"),
        widget=GovRadioInput(),
        choices=[SelectChoice(k, v) for k, v in VERDICTS.items()],
        validators=[InputRequired(message=_l("Choose verify or dispute"))],
    )
    reason = long_text(
        _l("Reason"),
        required=_l("Enter the reason for your decision"),
        hint=_l("The supplier and the audit log will see it"),
        max_length=2000,
    )
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())


class CheckForm(Form):
    happened = RadioField(
        _l("Did this happen?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(k, v) for k, v in ANSWERS.items()],
        validators=[InputRequired(message=_l("Say whether it happened"))],
    )
    met_need = RadioField(
        _l("Did it meet a real local need?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(k, v) for k, v in ANSWERS.items()],
        validators=[InputRequired(message=_l("Say whether it met a real need"))],
    )
    comment = long_text(
        _l("Tell us more (optional)"),
        max_length=2000,
        hint=_l("Do not include names or contact details. The team reads every comment before it is shown."),
    )
    once = OnceField()
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class NeedForm(Form):
    title = text(_l("The need, in a sentence"), 300, required=_l("Describe the need in a sentence"))
    description = long_text(
        _l("More about it (optional)"),
        max_length=3000,
        hint=_l("Who it affects and what would help. Do not include names or contact details."),
    )
    area = text(_l("Area or ward (optional)"), 120)
    group_name = text(_l("Community group (optional)"), 200, hint=_l("If you are writing for a group, its name"))
    once = OnceField()
    submit = SubmitField(_l("Send the need"), widget=GovSubmitInput())


class NeedTextForm(Form):
    """The team's words for a need on the register, in every language (the resident's own stay the first)."""

    title = translated(text(_l("The need, in a sentence"), 300, required=_l("Describe the need in a sentence")))
    description = translated(
        long_text(
            _l("More about it (optional)"),
            max_length=3000,
            hint=_l("Who it affects and what would help. Do not include names or contact details."),
        )
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NeedProjectForm(Form):
    project = SelectField(
        _l("Linked project (optional)"),
        widget=GovSelect(),
        validators=[Optional()],
        description=_l("The team's project working on this need; the project's page then shows it"),
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField(_l("CSV file"), widget=GovFileInput(), description=_l("Saved as 'CSV UTF-8'"))
    submit = SubmitField(_l("Check and import"), widget=GovSubmitInput())


class MeasureForm(Form):
    title = translated(text(_l("Measure"), 300, required=_l("Enter the measure")))
    unit = translated(text(_l("Unit"), 300, required=_l("Enter the unit, such as people or hours")))
    proxy = StringField(
        _l("Proxy value per unit in pounds (optional)"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[Optional(), Money()],
        description=_l("Leave empty to show no money figure for this measure"),
    )
    proxy_source = text(
        _l("Where the proxy value comes from (needed when you change it)"),
        300,
        hint=_l("For example, the name and year of the published values the council uses"),
    )
    proxy_from = date_field(_l("Date a changed proxy value applies from"), required=False)
    submit = SubmitField(_l("Save measure"), widget=GovSubmitInput())


class LinkForm(Form):
    days = IntegerField(
        _l("Days the link works for"),
        widget=GovTextInput(),
        default=90,
        validators=[
            InputRequired(message=_l("Enter a number of days from 1 to 365")),
            NumberRange(min=1, max=365, message=_l("Enter a number of days from 1 to 365")),
        ],
    )
    once = OnceField()
    submit = SubmitField(_l("Create a private link"), widget=GovSubmitInput())
