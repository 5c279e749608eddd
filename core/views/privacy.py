"""Public pages built from what core and each plugin declare: the retention page and a privacy notice per
module (what, why, lawful basis, how long, who sees it)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template
from flask_babel import gettext as _, ngettext

from coproduce.retention import all_rules, months_for
from coproduce.views.public import bp


@dataclass
class Kept:
    what: str
    how_long: str
    why: str


def how_long(months: int) -> str:
    if months == 0:
        return _("Until someone deletes it")
    return ngettext("%(num)d month", "%(num)d months", months)


def _kept(rules) -> list[Kept]:
    return [Kept(str(r.description), how_long(months_for(r)), str(r.why or "")) for r in rules]


def _owner(rule_name: str) -> str:
    return rule_name.split(".", 1)[0]


@bp.get("/privacy/retention")
def retention():
    host = current_app.extensions["plugins"]
    rules = all_rules()
    sections = [(_("The website itself"), _kept([r for r in rules if _owner(r.name) == "core"]))]
    until_deleted = []
    for name, loaded in sorted(host.loaded.items()):
        own = _kept([r for r in rules if _owner(r.name) == name])
        if own:
            sections.append((str(loaded.meta.title), own))
        elif loaded.meta.stores:
            until_deleted.append(loaded)
    return render_template("pages/retention.html", sections=sections, until_deleted=until_deleted)


@bp.get("/privacy/<plugin>")
def plugin_privacy(plugin: str):
    loaded = current_app.extensions["plugins"].loaded.get(plugin)
    if loaded is None or not loaded.meta.stores:
        abort(404)
    kept = _kept([r for r in all_rules() if _owner(r.name) == plugin])
    return render_template("pages/plugin_privacy.html", meta=loaded.meta, kept=kept)
