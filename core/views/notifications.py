"""A person's choice of emails about the work waiting for their teams: at once, a daily digest, or none."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from coproduce.extensions import db
from coproduce.form_base import Form
from coproduce.models import NotificationChoice
from coproduce.models.notify import AT_ONCE, DAILY, NONE
from coproduce.notify import choice_of
from coproduce.widgets import RadioInput

bp = Blueprint("notifications", __name__)


class NotificationForm(Form):
    choice = RadioField(
        _l("Emails about work waiting for your teams"),
        widget=RadioInput(),
        choices=[
            SelectChoice(AT_ONCE, _l("At once: an email soon after each new thing")),
            SelectChoice(DAILY, _l("A daily digest: one email each morning listing everything waiting")),
            SelectChoice(NONE, _l("None: I will look at the Waiting for you page myself")),
        ],
        validators=[InputRequired(message=_l("Choose how often to hear from us"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    form = NotificationForm(choice=choice_of(current_user))
    if form.validate_on_submit():
        row = db.session.get(NotificationChoice, current_user.id) or NotificationChoice(user_id=current_user.id)
        row.choice = form.choice.data
        db.session.add(row)
        db.session.commit()
        flash(_("Your choice of emails is saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/notifications.html", form=form)
