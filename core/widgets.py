"""govuk-frontend-wtf widgets with two fixes: translated password-toggle texts, no empty hints.

Plugins get these through coproduce.plugins (PasswordInput, RadioInput, CheckboxesInput).
"""

from __future__ import annotations

from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovPasswordInput, GovRadioInput


def _drop_empty_hint(params: dict) -> dict:
    """An empty hint would still be announced through aria-describedby."""
    if not (params.get("hint") or {}).get("text"):
        params["hint"] = None
    return params


class PasswordInput(GovPasswordInput):
    """GOV.UK password input whose Show/Hide button speaks the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("showPasswordText", _("Show"))
        params.setdefault("hidePasswordText", _("Hide"))
        params.setdefault("showPasswordAriaLabelText", _("Show password"))
        params.setdefault("hidePasswordAriaLabelText", _("Hide password"))
        params.setdefault("passwordShownAnnouncementText", _("Your password is visible"))
        params.setdefault("passwordHiddenAnnouncementText", _("Your password is hidden"))
        return params


class RadioInput(GovRadioInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class CheckboxesInput(GovCheckboxesInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))
