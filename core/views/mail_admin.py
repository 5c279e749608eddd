"""Site admin: emails the site could not send, and a button to try each again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coproduce.extensions import db
from coproduce.forms import ConfirmForm
from coproduce.mail import mail_counts, retry_failed
from coproduce.models import OutgoingMail, record
from coproduce.models.mail import FAILED

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/emails")


@bp.before_request
def _site_admins_only():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if not current_user.is_site_admin:
        abort(403)


@bp.get("/")
def index():
    failed = (
        db.session.execute(
            db.select(OutgoingMail).where(OutgoingMail.status == FAILED).order_by(OutgoingMail.created_at.desc())
        )
        .scalars()
        .all()
    )
    return render_template("admin/emails.html", failed=failed, counts=mail_counts(), confirm=ConfirmForm())


@bp.post("/<int:mail_id>/retry")
def retry(mail_id: int):
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None or mail.status != FAILED or not ConfirmForm().validate_on_submit():
        abort(404)
    recipient = mail.recipient
    record("mail.retried", actor=current_user, target=f"mail:{mail.id}")
    db.session.commit()
    retry_failed(mail_id)
    flash(_("The email to %(email)s is queued to be sent again.", email=recipient), "success")
    return redirect(url_for("mail_admin.index"))
