"""Settings a site admin changes in the browser, falling back to the installation's config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context, request

from coproduce.extensions import db
from coproduce.models import SiteSetting

EDITABLE = ("SIGNUP_ENABLED", "DEFAULT_LOCALE", "WELSH_BILINGUAL")
#: Rows each request reads in one query: the editable settings and the page version (coproduce.page_cache),
#: which nobody edits in the browser: it changes whenever staff change anything.
PAGE_VERSION = "page_version"
REMEMBERED = (*EDITABLE, PAGE_VERSION)
_REMEMBERED_ROWS = sa.select(SiteSetting).where(SiteSetting.key.in_(REMEMBERED))


def _this_request() -> object:
    """The request object behind Flask's proxy (so a later request, in tests one app context, is told apart)."""
    return request._get_current_object()  # type: ignore[attr-defined]


def remember_settings(rows: Mapping[str, Any]) -> None:
    """Rows of every editable setting and the page version read earlier in this request
    (coproduce.helpers.load_request_team): SiteSetting rows, or anything with `.value`; a key missing from `rows`
    has no row. Only for the request that read them."""
    if has_request_context():
        g._site_setting_rows = (_this_request(), {key: rows.get(key) for key in REMEMBERED})


def read_remembered() -> None:
    """One query for every remembered row, on a page without a team (a team's page reads them with the team)."""
    remember_settings({row.key: row for row in db.session.execute(_REMEMBERED_ROWS).scalars()})


def remembered_row(key: str) -> tuple[bool, Any]:
    """(True, the row or None) when this request has read the key's row already, else (False, None)."""
    return _remembered(key)


def _remembered(key: str) -> tuple[bool, Any]:
    found = g.get("_site_setting_rows") if has_request_context() else None
    if found is None or found[0] is not _this_request() or key not in found[1]:
        return False, None
    return True, found[1][key]


def get_setting(key: str):
    known, row = _remembered(key)
    if not known:
        row = db.session.get(SiteSetting, key)
    if row is not None and "value" in (row.value or {}):
        return row.value["value"]
    return current_app.config[key]


def set_setting(key: str, value) -> None:
    if key not in EDITABLE:
        raise KeyError(key)
    if has_app_context():
        g.pop("_site_setting_rows", None)
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key, value={})
        db.session.add(row)
    row.value = {"value": value}
