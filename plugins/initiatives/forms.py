"""The plugin's forms (GOV.UK widgets); every label and message goes through gettext."""

from __future__ import annotations

import re

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, StopValidation, ValidationError

from coproduce.plugins import CheckboxesInput, Form, OnceField, RadioInput, local_text, strip_text, translated
from coproduce_plugins.initiatives import _l
from coproduce_plugins.initiatives.models import RUNNERS
from coproduce_plugins.initiatives.skills import SKILLS

RUNNER_LABELS = {
    "council": _l("A council team"),
    "community": _l("A community group"),
    "social_enterprise": _l("A social enterprise"),
    "coop": _l("A co-operative"),
    "charity": _l("A charity"),
    "informal": _l("An informal group of neighbours"),
}
CONSENT_TEXT = _l(
    "The person named agreed that the council may keep these contact details, and show them on the page if ticked below"
)
PHONE = re.compile(r"^\+?[0-9 ()-]{6,25}$")


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def no_control(form, field):
    if any((ord(c) < 32 or ord(c) == 127) and c not in "\r\n\t" for c in field.data or ""):
        raise ValidationError(_l("Remove the hidden control characters from this answer"))


def choice_checked(form, field):
    """Goes before Optional(), which would clear the "not a valid choice" error of a value sent, such as " "."""
    if field.raw_data and field.errors:
        raise StopValidation()


def text(label, max_length, required=None, hint=None, filters=()):
    checks = [InputRequired(message=required)] if required else [Optional()]
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint,
        filters=[strip_text, *filters],
        validators=checks
        + [Length(max=max_length, message=_l("Answer in %(max)d characters or fewer", max=max_length)), no_control],
    )


def long_text(label, required=None, hint=None, max_length=5000):
    checks = [InputRequired(message=required)] if required else [Optional()]
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[strip_text],
        validators=checks
        + [Length(max=max_length, message=_l("Answer in %(max)d characters or fewer", max=max_length)), no_control],
    )


def email_field(label, hint=None):
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint,
        filters=[strip_text, _lower],
        validators=[
            Optional(),
            Length(max=254, message=_l("Answer in %(max)d characters or fewer", max=254)),
            Email(message=_l("Enter an email address like name@example.org"), check_deliverability=False),
        ],
    )


def phone_field(label):
    def check(form, field):
        if field.data and not PHONE.match(field.data):
            raise ValidationError(_l("Enter a phone number using digits, like 01632 960 001"))

    return StringField(label, widget=GovTextInput(), filters=[strip_text], validators=[Optional(), check])


def number(label, low, high, hint=None):
    def check(form, field):
        if not field.data:
            return
        try:
            value = float(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a number, like %(example)s", example=low)) from None
        if not (low <= value <= high) or value != value:
            raise ValidationError(_l("Enter a number between %(low)s and %(high)s", low=low, high=high))

    return StringField(
        label, widget=GovTextInput(), description=hint, filters=[strip_text], validators=[Optional(), check]
    )


def ward_choices(area):
    return [SelectChoice("", _l("Choose an area"))] + [SelectChoice(w.code, w.name) for w in area.wards]


class InitiativeForm(Form):
    name = text(_l("Name of the initiative"), 200, required=_l("Enter the name of the initiative"))
    summary = long_text(
        _l("What it does"), required=_l("Say what the initiative does"), hint=_l("A few sentences anyone can follow")
    )
    runner = RadioField(
        _l("Who runs it?"),
        widget=RadioInput(),
        choices=[SelectChoice(k, RUNNER_LABELS[k]) for k in RUNNERS],
        validators=[InputRequired(message=_l("Choose who runs it"))],
    )
    runner_name = text(_l("Name of the group or team that runs it"), 200)
    themes = SelectMultipleField(_l("Themes"), widget=CheckboxesInput(), validators=[Optional()], coerce=str)
    ward = SelectField(
        _l("Area"),
        widget=GovSelect(),
        description=_l("Where it happens. You can also give a point on the map below."),
        validators=[choice_checked, Optional()],
    )
    lat = number(_l("Latitude (optional)"), -90, 90, hint=_l("For example 53.72"))
    lon = number(_l("Longitude (optional)"), -180, 180, hint=_l("For example -1.55"))
    get_involved = long_text(_l("How to get involved"), hint=_l("What a newcomer should do first"))
    times = text(_l("When it happens"), 300, hint=_l("For example: Tuesdays 6pm to 8pm"))
    creche = BooleanField(_l("There is a crèche or childcare"), widget=GovCheckboxInput())
    step_free = BooleanField(_l("There is step-free access"), widget=GovCheckboxInput())
    languages = text(_l("Languages spoken"), 300, hint=_l("For example: English, Polish, Urdu"))
    website = text(_l("Website (optional)"), 500)
    contact_name = text(_l("Contact name"), 120)
    contact_email = email_field(_l("Contact email address"))
    contact_phone = phone_field(_l("Contact phone number"))
    consent = BooleanField(CONSENT_TEXT, widget=GovCheckboxInput())
    contact_public = BooleanField(_l("Show the contact details on the public page"), widget=GovCheckboxInput())
    not_listed = BooleanField(
        _l("I have checked: my initiative is not one of those already listed"), widget=GovCheckboxInput()
    )
    once = OnceField()
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())

    def __init__(self, area, themes, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.ward.choices = ward_choices(area)
        self.themes.choices = [SelectChoice(str(t.id), local_text(t, "name")) for t in themes]
        if staff:
            del self.not_listed
            del self.once
        self.duplicates: list = []

    def validate_website(self, field):
        if field.data and not re.match(r"^https?://[^\s/$.?#][^\s]*$", field.data):
            raise ValidationError(_l("Enter a web address starting with https://"))

    def validate_consent(self, field):
        if (self.contact_name.data or self.contact_email.data or self.contact_phone.data) and not field.data:
            raise ValidationError(_l("Tick the box to confirm the contact agreed, or leave the contact details out"))

    def validate_lon(self, field):
        if bool(self.lat.data) != bool(field.data):
            raise ValidationError(_l("Give both the latitude and the longitude, or neither"))
        if field.data and self.lat.data and not self.lat.errors and not field.errors:
            try:
                inside = self.area.within(float(field.data), float(self.lat.data))
            except ValueError:
                return
            if not inside:
                raise ValidationError(_l("That point is outside the area on the map"))

    def validate_not_listed(self, field):
        if self.duplicates and not field.data:
            raise ValidationError(
                _l(
                    "It may already be listed: check the initiatives shown, then tick the box if yours is not one of them"
                )
            )


def _in_every_language(name: str):
    """The resident's field with one more input for each other language, in the same place on the form."""
    field = getattr(InitiativeForm, name)
    every = translated(field)
    every.creation_counter = field.creation_counter
    return every


class StaffInitiativeForm(InitiativeForm):
    """What staff write, in every language (a resident's form, InitiativeForm, is in the page's language)."""

    name = _in_every_language("name")
    summary = _in_every_language("summary")
    get_involved = _in_every_language("get_involved")
    times = _in_every_language("times")
    project_links = long_text(_l("Linked project packs"), hint=_l("Web addresses or project numbers, one a line"))
    need_links = long_text(_l("Linked social-value needs"), hint=_l("Web addresses or need numbers, one a line"))

    def __init__(self, area, themes, *args, **kwargs):
        super().__init__(area, themes, *args, staff=True, **kwargs)

    def validate_project_links(self, field):
        _check_links(field)

    def validate_need_links(self, field):
        _check_links(field)


def _check_links(field):
    for line in (field.data or "").splitlines():
        line = line.strip()
        if line and not (line.isdigit() or re.match(r"^(https?://|/)[^\s]+$", line)):
            raise ValidationError(_l("Put one web address (starting https:// or /) or one number on each line"))


class CommentForm(Form):
    name = text(
        _l("Your name (optional)"), 120, hint=_l("Shown beside your comment. Leave it empty to stay anonymous.")
    )
    body = long_text(_l("Your comment"), required=_l("Enter your comment"), max_length=3000)
    once = OnceField()
    submit = SubmitField(_l("Send comment"), widget=GovSubmitInput())


class PledgeForm(Form):
    name = CommentForm.name
    body = long_text(
        _l("I will…"),
        required=_l("Say what you will do"),
        hint=_l("For example: I will bring tools to the next clean-up"),
        max_length=1000,
    )
    once = OnceField()
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


def _reach(form):
    if not form.email.data and not form.phone.data and not form.email.errors and not form.phone.errors:
        form.email.errors.append(_l("Give an email address or a phone number, so they can reach you"))
        return False
    return True


class VolunteerForm(Form):
    name = text(_l("Your name"), 120, required=_l("Enter your name"))
    email = email_field(_l("Email address"), hint=_l("An email address or a phone number"))
    phone = phone_field(_l("Phone number"))
    message = long_text(_l("Anything you would like to say"), max_length=3000)
    consent = BooleanField(
        _l("I agree that the people who run it may keep these details to contact me about volunteering"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Tick the box to agree, so they can contact you"))],
    )
    once = OnceField()
    submit = SubmitField(_l("Offer to volunteer"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return _reach(self) and ok


class SkillOfferForm(Form):
    name = text(_l("Your name"), 120, required=_l("Enter your name"))
    email = email_field(_l("Email address"), hint=_l("An email address or a phone number"))
    phone = phone_field(_l("Phone number"))
    ward = SelectField(_l("Your area"), widget=GovSelect(), validators=[choice_checked, Optional()])
    skills = SelectMultipleField(
        _l("Skills you can offer"),
        widget=CheckboxesInput(),
        choices=[SelectChoice(k, v) for k, v in SKILLS.items()],
        validators=[InputRequired(message=_l("Choose at least one skill"))],
    )
    consent = BooleanField(
        _l(
            "I agree that the council may keep these details in its skills pool, for any initiative or project on this site to contact me"
        ),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Tick the box to agree, so projects can contact you"))],
    )
    once = OnceField()
    submit = SubmitField(_l("Add my skills"), widget=GovSubmitInput())

    def __init__(self, area, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward.choices = ward_choices(area)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return _reach(self) and ok


class ThemeForm(Form):
    name = translated(text(_l("Theme"), 80, required=_l("Enter the theme")))
    submit = SubmitField(_l("Add theme"), widget=GovSubmitInput())


class ThemeEditForm(ThemeForm):
    submit = SubmitField(_l("Save theme"), widget=GovSubmitInput())


class MapSettingsForm(Form):
    boundary_file = text(
        _l("Boundary GeoJSON file"), 200, hint=_l("A file name in the site's instance folder, under initiatives/")
    )
    wards_file = text(_l("Wards GeoJSON file"), 200, hint=_l("A file name in the same folder"))
    tile_url = text(
        _l("Map tile address (optional)"),
        500,
        hint=_l("For example https://tiles.example.org/{z}/{x}/{y}.png. Leave empty to draw the map without tiles."),
    )
    submit = SubmitField(_l("Save settings"), widget=GovSubmitInput())

    def validate_tile_url(self, field):
        if field.data and not re.match(r"^https://[^\s]+\{z\}[^\s]*$", field.data):
            raise ValidationError(_l("Enter an https:// address holding {z}, {x} and {y}"))

    @staticmethod
    def _file(field):
        if field.data and not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,150}\.(geo)?json", field.data):
            raise ValidationError(_l("Enter a file name ending .geojson or .json, without folders"))

    def validate_boundary_file(self, field):
        self._file(field)

    def validate_wards_file(self, field):
        self._file(field)


class ImportForm(Form):
    file = FileField(
        _l("Open Referral UK feed (JSON)"), widget=GovFileInput(), description=_l("A JSON file of services")
    )
    submit = SubmitField(_l("Import"), widget=GovSubmitInput())


class ConfirmForm(Form):
    """A form holding only its CSRF token, for buttons that change things."""
