"""Core's forms: accounts, teams, members and site settings."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from coproduce.form_base import Form
from coproduce.form_fields import translated
from coproduce.i18n import LANGUAGES
from coproduce.models import SLUG_PATTERN_TEXT, Role
from coproduce.widgets import PasswordInput, RadioInput

MIN_PASSWORD = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" against an online attack with limits


def _locale_choices():
    return [SelectChoice(lang.code, lang.native_name) for lang in LANGUAGES.values()]


class NoControlCharacters:
    """Refuse text holding control characters (other than new lines and tabs in long text)."""

    def __init__(self, allow_newlines: bool = False):
        self.allow = {"\n", "\r", "\t"} if allow_newlines else set()

    def __call__(self, form, field):
        value = field.data or ""
        if any((ord(c) < 32 or ord(c) == 127) and c not in self.allow for c in value):
            raise ValidationError(_l("Remove the hidden control characters from this answer"))


def password_is_guessable(password: str, user_inputs: Sequence[str] = ()) -> bool:
    """True for common, breached-style and personal passwords (zxcvbn, with the person's own details)."""
    from zxcvbn import zxcvbn

    words = [w for item in user_inputs if item for w in [item, *str(item).replace("@", " ").replace(".", " ").split()]]
    return zxcvbn(password[:72], user_inputs=words)["score"] < MIN_PASSWORD_SCORE


class HardToGuess:
    """Refuse passwords that are easy to guess. The person's email and name count against it: from the
    form's own email and name fields, or `form.password_user_inputs` (set by the view for signed-in people)."""

    def __call__(self, form, field):
        if not field.data or len(field.data) < MIN_PASSWORD:
            return  # the length check has already said what is wrong
        inputs = list(getattr(form, "password_user_inputs", []) or [])
        for name in ("email", "display_name"):
            if name in form._fields and isinstance(form[name].data, str):
                inputs.append(form[name].data)
        if password_is_guessable(field.data, inputs):
            raise ValidationError(
                _l(
                    "Choose a password that is harder to guess. Avoid common passwords, and your name or email "
                    "address: a few unrelated words together work well"
                )
            )


def _email_field(label):
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter an email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )


def _new_password_field(label):
    return PasswordField(
        label,
        widget=PasswordInput(),
        validators=[
            InputRequired(message=_l("Enter a password")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Password must be between %(min)d and 200 characters", min=MIN_PASSWORD),
            ),
            HardToGuess(),
        ],
    )


def _name_field(label, max_length=120):
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter a name")),
            Length(max=max_length, message=_l("Name must be %(max)d characters or fewer", max=max_length)),
            NoControlCharacters(),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


class SignInForm(Form):
    email = _email_field(_l("Email address"))
    password = PasswordField(
        _l("Password"), widget=PasswordInput(), validators=[InputRequired(message=_l("Enter your password"))]
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SignUpForm(Form):
    display_name = _name_field(_l("Your name"))
    email = _email_field(_l("Email address"))
    password = _new_password_field(_l("Create a password"))
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = _email_field(_l("Email address"))
    submit = SubmitField(_l("Send reset link"), widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Confirm new password"),
        widget=PasswordInput(),
        validators=[
            InputRequired(message=_l("Confirm your new password")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Save password"), widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        widget=PasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password"))],
    )


class LanguageForm(Form):
    locale = RadioField(
        _l("Language"),
        widget=RadioInput(),
        choices=_locale_choices(),
        validators=[InputRequired(message=_l("Choose a language"))],
    )
    submit = SubmitField(_l("Save language"), widget=GovSubmitInput())


def _description_field() -> TextAreaField:
    return TextAreaField(
        _l("Description"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Description must be 2000 characters or fewer")),
            NoControlCharacters(allow_newlines=True),
        ],
    )


class TeamForm(Form):
    slug = StringField(
        _l("Web address name"),
        widget=GovTextInput(),
        description=_l("Lower-case letters, numbers and hyphens, like youth-services"),
        validators=[
            InputRequired(message=_l("Enter a web address name")),
            Length(max=50, message=_l("Web address name must be 50 characters or fewer")),
            Regexp(
                SLUG_PATTERN_TEXT,
                message=_l(
                    "Use only lower-case letters, numbers and hyphens, starting and ending with a letter or number"
                ),
            ),
        ],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )
    name = _name_field(_l("Team name"))
    description = _description_field()
    submit = SubmitField(_l("Create team"), widget=GovSubmitInput())


class TeamDetailsForm(Form):
    """The team's name and description, in every language."""

    name = translated(_name_field(_l("Team name")))
    description = translated(_description_field())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class InviteMemberForm(Form):
    email = _email_field(_l("Email address"))
    display_name = _name_field(_l("Their name"))
    role = RadioField(
        _l("Role"),
        widget=RadioInput(),
        choices=[
            SelectChoice(Role.MEMBER.value, _l("Member: runs the team's work")),
            SelectChoice(Role.OWNER.value, _l("Owner: also manages members and plugins")),
        ],
        default=Role.MEMBER.value,
        validators=[InputRequired(message=_l("Choose a role"))],
    )
    submit = SubmitField(_l("Add member"), widget=GovSubmitInput())


class InviteUserForm(Form):
    email = _email_field(_l("Email address"))
    display_name = _name_field(_l("Their name"))
    is_site_admin = BooleanField(_l("Make them a site admin"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())


class SiteSettingsForm(Form):
    signup_enabled = RadioField(
        _l("Can people create their own accounts?"),
        widget=RadioInput(),
        choices=[
            SelectChoice("yes", _l("Yes, anyone can sign up")),
            SelectChoice("no", _l("No, accounts are by invitation only")),
        ],
        validators=[InputRequired(message=_l("Choose whether people can sign up"))],
    )
    default_locale = SelectField(
        _l("Default language"),
        widget=GovSelect(),
        choices=_locale_choices(),
        validators=[InputRequired(message=_l("Choose a default language"))],
    )
    # Left out of a request (an older script), the setting keeps its value.
    welsh_bilingual = RadioField(
        _l("Print and email in Welsh and English together?"),
        widget=RadioInput(),
        description=_l(
            "For councils in Wales: posters, paper forms and emails put the Welsh first and the English "
            "after it, for people reading in either language. People who chose another language get it alone."
        ),
        choices=[
            SelectChoice("yes", _l("Yes, Welsh and English together")),
            SelectChoice("no", _l("No, in the reader's language only")),
        ],
        validate_choice=False,
        validators=[Optional(), AnyOf(["yes", "no"], message=_l("Choose whether to print in Welsh and English"))],
    )
    submit = SubmitField(_l("Save settings"), widget=GovSubmitInput())


class ConfirmForm(Form):
    """A button-only form: the CSRF token is the whole content."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


def _has_phone_digits(form, field):
    if field.data and sum(c.isdigit() for c in field.data) < 6:
        raise ValidationError(_l("Enter a phone number with at least 6 digits, like 01632 960 001"))


class PersonSearchForm(Form):
    """Find a person by email address or phone number (subject access and erasure requests)."""

    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )
    phone = StringField(
        _l("Phone number"),
        widget=GovTextInput(),
        description=_l("Any spacing. A UK number written with +44 is found written with 0 too."),
        validators=[
            Optional(),
            Length(max=40, message=_l("Phone number must be 40 characters or fewer")),
            Regexp(r"^[0-9+()\s.\-]*$", message=_l("Enter a phone number using digits, spaces and +")),
            _has_phone_digits,
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    submit = SubmitField(_l("Find"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.email.data and not self.phone.data:
            self.email.errors = [_l("Enter an email address or a phone number")]
            return False
        return True
