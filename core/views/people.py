"""Site admin: find a person by email address or phone number, show and download what is held, erase it.

Every step is a POST (the email address and phone number never appear in a web address, so they stay
out of access logs and browser history) and lands in the audit log without the details searched for.
"""

from __future__ import annotations

import json

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _
from flask_login import current_user

from coproduce import personal_data as subject
from coproduce.extensions import db
from coproduce.forms import PersonSearchForm
from coproduce.models import record, utcnow
from coproduce.views.site_admin import bp


def _person(form: PersonSearchForm):
    return subject.find_person(email=form.email.data or None, phone=form.phone.data or None)


def _titles() -> dict[str, str]:
    host = current_app.extensions["plugins"]
    return {"core": _("Accounts and the audit log")} | {name: str(p.meta.title) for name, p in host.loaded.items()}


def _page(template: str, form: PersonSearchForm, **context):
    return render_template(template, form=form, titles=_titles(), **context)


@bp.route("/people/find", methods=["GET", "POST"])
def find_person():
    form = PersonSearchForm()
    if not form.validate_on_submit():
        return _page("admin/person_find.html", form)
    person = _person(form)
    data = subject.collect(person)
    record("person.personal_data_viewed", actor=current_user, target=_target(person))
    db.session.commit()
    return _page("admin/person_found.html", form, data=data, holders=subject.holders(data), person=person)


def _target(person) -> str:
    return f"user:{person.user.id}" if person.user is not None else ""


@bp.post("/people/pack")
def person_pack():
    form = PersonSearchForm()
    if not form.validate_on_submit():
        return _page("admin/person_find.html", form)
    kind = "json" if request.form.get("format") == "json" else "html"
    person = _person(form)
    data = subject.collect(person)
    record("person.personal_data_exported", actor=current_user, target=_target(person), kind="full", format=kind)
    db.session.commit()
    stamp = utcnow().strftime("%Y-%m-%d")
    if kind == "json":
        response = make_response(json.dumps(data, ensure_ascii=False, indent=2))
        response.mimetype = "application/json"
    else:
        body = render_template(
            "admin/person_pack.html",
            data=data,
            titles=_titles(),
            organisation=current_app.extensions["theme"].organisation,
            made_on=format_date(utcnow(), "d MMMM y"),
        )
        response = make_response(body)
        response.mimetype = "text/html"
    response.headers["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/people/erase")
def erase_person():
    form = PersonSearchForm()
    if not form.validate_on_submit():
        return _page("admin/person_find.html", form)
    person = _person(form)
    if person.user is not None and person.user.id == current_user.id:
        flash(_("You cannot erase your own account here. Ask another site admin."), "error")
        return _page("admin/person_find.html", form)
    if request.form.get("confirmed") != "yes":
        data = subject.collect(person)
        return _page("admin/person_erase.html", form, holders=subject.holders(data), person=person)
    try:
        held = subject.erase(person)
        record("person.erased", actor=current_user, target=_target(person), plugins=held)
        db.session.commit()
    except Exception:  # noqa: BLE001 - nothing is half-erased: roll back and say so
        db.session.rollback()
        current_app.logger.exception("erasure failed")
        flash(_("Nothing was erased: a module could not erase its part. The error is in the site's log."), "error")
        return _page("admin/person_find.html", form)
    flash(_("The person's data was erased. Figures that count their part are kept without their details."), "success")
    return redirect(url_for("site_admin.find_person"))
