"""Settings a site admin changes in the browser, falling back to the installation's config."""
from __future__ import annotations

from flask import current_app

from core.extensions import db
from core.models import SiteSetting

EDITABLE = ("SIGNUP_ENABLED", "DEFAULT_LOCALE")


def get_setting(key: str):
    row = db.session.get(SiteSetting, key)
    if row is not None and "value" in (row.value or {}):
        return row.value["value"]
    return current_app.config[key]


def set_setting(key: str, value) -> None:
    if key not in EDITABLE:
        raise KeyError(key)
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key, value={})
        db.session.add(row)
    row.value = {"value": value}
