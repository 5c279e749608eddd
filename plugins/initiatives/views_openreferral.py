"""Open Referral UK: the published directory as JSON (GET /openreferral/...), and the import of a feed."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import current_team, db, import_in_background, job_url, require_team_role, start_job
from coproduce_plugins.initiatives import _, _l, openreferral
from coproduce_plugins.initiatives.directory import Filters, area_for, published, themes_of
from coproduce_plugins.initiatives.forms import RUNNER_LABELS, ImportForm
from coproduce_plugins.initiatives.jobs import import_feed_data
from coproduce_plugins.initiatives.models import Initiative, Theme
from coproduce_plugins.initiatives.views import bp

MAX_FEED = 5 * 1024 * 1024
PROBLEMS = {
    "not a service object": _l("not a service"),
    "name is not text": _l("the name is not text"),
    "no name": _l("no name"),
    "id is not a UUID": _l("the id is not a UUID"),
    "the same id as an earlier service": _l("the same id as an earlier service"),
    "status is not one of active, inactive, defunct, temporarily closed": _l(
        "the status is not one the standard allows"
    ),
    "description is not text": _l("the description is not text"),
    "url is not text": _l("the web address is not text"),
    "url is not a web address": _l("the web address does not start with http:// or https://"),
    "organization is not an object": _l("the organisation is not readable"),
    "organization name is not text": _l("the organisation's name is not text"),
    "service_at_locations is not a list": _l("the locations are not a list"),
    "latitude or longitude is not a number": _l("the latitude or longitude is not a number"),
}


@bp.app_template_global("initiatives_problem")
def _problem(key):
    return str(PROBLEMS.get(key, key))


def _paging() -> tuple[int, int]:
    number = request.args.get("page", 1, type=int) or 1
    size = request.args.get("per_page", 50, type=int) or 50
    return max(1, min(number, 10**6)), max(1, min(size, 500))


def _label(initiative) -> str:
    return str(RUNNER_LABELS.get(initiative.runner, initiative.runner))


def _json(data):
    response = jsonify(data)
    response.headers["Access-Control-Allow-Origin"] = "*"  # a public, read-only directory
    return response


def _services_query(team):
    query = published(team, Filters(text=request.args.get("search", "")[:200]))
    term = request.args.get("taxonomy_term_id", "")
    if term:
        ids = [t.id for t in themes_of(team) if openreferral.uid("theme", t.id) == term]
        query = query.where(Initiative.themes.any(Theme.id.in_(ids)))
    return query


@bp.get("/openreferral/services")
def or_services():
    team = current_team()
    number, size = _paging()
    query = _services_query(team)
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.order_by(Initiative.id).limit(size).offset((number - 1) * size)).scalars()
    items = [
        openreferral.service_of(i, _label(i), url_for("initiatives.page", initiative_id=i.id, _external=True))
        for i in rows
    ]
    return _json(openreferral.page(items, total, number, size))


@bp.get("/openreferral/services/<service_id>")
def or_service(service_id: str):
    team = current_team()
    area = area_for(team)
    rows = db.session.execute(published(team, Filters()).order_by(Initiative.id)).scalars()
    # Ids are derived from ours (uuid5): a lookup table would be needed at scale; the directory is read by id rarely.
    for initiative in rows:
        if openreferral.uid("initiative", initiative.id) == service_id:
            ward = area.ward(initiative.ward)
            url = url_for("initiatives.page", initiative_id=initiative.id, _external=True)
            return _json(openreferral.service_of(initiative, _label(initiative), url, ward.name if ward else "", True))
    abort(404)


@bp.get("/openreferral/organizations")
def or_organizations():
    team = current_team()
    number, size = _paging()
    base = published(team, Filters()).subquery()
    pairs = db.session.execute(
        db.select(base.c.runner, base.c.runner_name).distinct().order_by(base.c.runner_name, base.c.runner)
    ).all()
    seen, items = set(), []
    for runner, runner_name in pairs:
        stand_in = Initiative(team_id=team.id, runner=runner, runner_name=runner_name)
        organization = openreferral.organization_of(stand_in, _label(stand_in))
        if organization["id"] not in seen:
            seen.add(organization["id"])
            items.append(organization)
    return _json(openreferral.page(items[(number - 1) * size : number * size], len(items), number, size))


@bp.get("/openreferral/taxonomies")
def or_taxonomies():
    team = current_team()
    number, size = _paging()
    items = [openreferral.taxonomy_of(team, _("Themes"))]
    return _json(openreferral.page(items[(number - 1) * size : number * size], len(items), number, size))


@bp.get("/openreferral/taxonomy_terms")
def or_taxonomy_terms():
    team = current_team()
    number, size = _paging()
    taxonomy_id = openreferral.uid("taxonomy", team.id)
    items = [openreferral.term_of(t, taxonomy_id) for t in themes_of(team)]
    return _json(openreferral.page(items[(number - 1) * size : number * size], len(items), number, size))


@bp.route("/manage/import", methods=["GET", "POST"])
@require_team_role("member")
def import_feed():
    team = current_team()
    form = ImportForm()
    rows = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(MAX_FEED + 1) if upload else b""
        if not data:
            form.file.errors.append(_("Choose an Open Referral UK feed (a JSON file)"))
        elif len(data) > MAX_FEED:
            form.file.errors.append(_("The file must be smaller than 5 MB"))
        elif import_in_background(len(data)):
            label = _("Open Referral UK import: %(name)s", name=upload.filename or "feed.json")
            return redirect(job_url(start_job("initiatives.feed_import", label, data=data)))
        else:
            outcome = import_feed_data(team, data, current_user)
            if outcome.problem:
                rows = outcome.rows
                form.file.errors.append(outcome.problem)
            else:
                flash(outcome.message, "success")
                return redirect(url_for("initiatives.manage"))
    return render_template("initiatives/import.html", form=form, rows=rows)
