"""Site admin (council IT): teams, users, plugins, site settings, audit log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coproduce.audit_log import filtered_page
from coproduce.extensions import db
from coproduce.forms import ConfirmForm, InviteUserForm, SiteSettingsForm, TeamForm
from coproduce.mail import send_mail_in_print_languages
from coproduce.models import Team, User, UserSession, record, utcnow
from coproduce.personal_data import is_erased
from coproduce.site_settings import get_setting, set_setting
from coproduce.tokens import make_password_token

bp = Blueprint("site_admin", __name__, url_prefix="/admin")


@bp.before_request
def _site_admins_only():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if not current_user.is_site_admin:
        abort(403)


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.route("/teams", methods=["GET", "POST"])
def teams():
    form = TeamForm()
    if form.validate_on_submit():
        if db.session.execute(db.select(Team.id).where(Team.slug == form.slug.data)).first():
            form.slug.errors.append(_("A team already uses this web address name"))
        else:
            team = Team(slug=form.slug.data, name=form.name.data, description=form.description.data or "")
            db.session.add(team)
            db.session.flush()
            record("team.created", actor=current_user, team=team, target=f"team:{team.slug}")
            db.session.commit()
            flash(_("The team %(name)s was created.", name=team.name), "success")
            return redirect(url_for("site_admin.teams"))
    all_teams = db.session.execute(db.select(Team).order_by(Team.archived_at.is_not(None), Team.name)).scalars()
    return render_template("admin/teams.html", form=form, teams=list(all_teams), confirm=ConfirmForm())


@bp.post("/teams/<int:team_id>/archive")
def archive_team(team_id: int):
    team = db.session.get(Team, team_id)
    if team is None or not ConfirmForm().validate_on_submit():
        abort(404)
    restoring = team.archived_at is not None
    team.archived_at = None if restoring else utcnow()
    record("team.restored" if restoring else "team.archived", actor=current_user, team=team, target=f"team:{team.slug}")
    db.session.commit()
    flash(
        _("The team %(name)s was restored.", name=team.name)
        if restoring
        else _("The team %(name)s was archived. Its data is kept.", name=team.name),
        "success",
    )
    return redirect(url_for("site_admin.teams"))


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = InviteUserForm()
    if form.validate_on_submit():
        if db.session.execute(db.select(User.id).where(User.email == form.email.data)).first():
            form.email.errors.append(_("Someone already has an account with this email address"))
        else:
            invite_user(form.email.data, form.display_name.data, bool(form.is_site_admin.data))
            return redirect(url_for("site_admin.users"))
    everyone = db.session.execute(db.select(User).order_by(User.display_name)).scalars().all()
    return render_template("admin/users.html", form=form, users=everyone, confirm=ConfirmForm())


def invite_user(email: str, display_name: str, is_site_admin: bool) -> User:
    user = User(email=email, display_name=display_name, is_site_admin=is_site_admin)
    db.session.add(user)
    db.session.flush()
    record("user.invited", actor=current_user, target=f"user:{user.id}", site_admin=is_site_admin)
    db.session.commit()
    link = url_for("auth.reset_password", token=make_password_token(user, "invite"), _external=True)
    send_mail_in_print_languages(
        email,
        lambda: (
            _("You are invited to %(site)s", site=current_app.extensions["theme"].organisation),
            _(
                "%(who)s invited you. Choose a password to sign in:\n\n%(link)s",
                who=current_user.display_name,
                link=link,
            ),
        ),
    )
    flash(_("An invitation was sent to %(email)s.", email=email), "success")
    return user


@bp.post("/users/<int:user_id>/<any(disable, enable, 'make-admin', 'remove-admin'):action>")
def change_user(user_id: int, action: str):
    user = db.session.get(User, user_id)
    if user is None or not ConfirmForm().validate_on_submit():
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot change your own access here. Ask another site admin."), "error")
        return redirect(url_for("site_admin.users"))
    if is_erased(user):
        flash(_("This account was erased. It cannot be used again: invite the person afresh."), "error")
        return redirect(url_for("site_admin.users"))
    before = _access(user)
    if action in ("disable", "enable"):
        user.is_disabled = action == "disable"
        user.session_version += 1  # signs them out everywhere (and the server forgets their sessions below)
        db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    else:
        user.is_site_admin = action == "make-admin"
    record(
        f"user.{action.replace('-', '_')}",
        actor=current_user,
        target=f"user:{user.id}",
        changes={"access": [before, _access(user)]},
    )
    db.session.commit()
    flash(_("The change to %(name)s is saved.", name=user.display_name), "success")
    return redirect(url_for("site_admin.users"))


def _access(user: User) -> str:
    """Words for the audit log's before and after (stored in English, like every audit detail)."""
    return "disabled" if user.is_disabled else "site admin" if user.is_site_admin else "account"


@bp.get("/users/<int:user_id>/personal-data")
def personal_data(user_id: int):
    """Subject access: everything held about the person, as a JSON download."""
    from coproduce import personal_data as subject

    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    record("user.personal_data_exported", actor=current_user, target=f"user:{user.id}", kind="full", format="json")
    db.session.commit()
    response = jsonify(subject.collect(user))
    response.headers["Content-Disposition"] = f'attachment; filename="personal-data-{user.id}.json"'
    return response


@bp.post("/users/<int:user_id>/erase")
def erase_user(user_id: int):
    """Erasure: anonymise the person everywhere, keeping aggregate figures."""
    from coproduce import personal_data as subject

    user = db.session.get(User, user_id)
    if user is None or not ConfirmForm().validate_on_submit():
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot erase your own account here. Ask another site admin."), "error")
        return redirect(url_for("site_admin.users"))
    held = subject.erase(user)
    record("user.erased", actor=current_user, target=f"user:{user.id}", plugins=held)
    db.session.commit()
    flash(_("The person's data was erased. Figures that count their work are kept without their name."), "success")
    return redirect(url_for("site_admin.users"))


@bp.get("/plugins")
def plugins():
    host = current_app.extensions["plugins"]
    return render_template("admin/plugins.html", host=host, allowed=current_app.config["PLUGINS_ALLOWED"])


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = SiteSettingsForm(
        data={
            "signup_enabled": "yes" if get_setting("SIGNUP_ENABLED") else "no",
            "default_locale": get_setting("DEFAULT_LOCALE"),
            "welsh_bilingual": "yes" if get_setting("WELSH_BILINGUAL") else "no",
        }
    )
    if form.validate_on_submit():
        bilingual = form.welsh_bilingual.data or form.welsh_bilingual.object_data  # left out: unchanged
        before = {
            "signup": form.signup_enabled.object_data,
            "default_locale": form.default_locale.object_data,
            "welsh_bilingual": form.welsh_bilingual.object_data,
        }
        after = {"signup": form.signup_enabled.data, "default_locale": form.default_locale.data}
        after["welsh_bilingual"] = bilingual
        set_setting("SIGNUP_ENABLED", form.signup_enabled.data == "yes")
        set_setting("DEFAULT_LOCALE", form.default_locale.data)
        set_setting("WELSH_BILINGUAL", bilingual == "yes")
        record(
            "site.settings_changed",
            actor=current_user,
            signup=form.signup_enabled.data,
            default_locale=form.default_locale.data,
            welsh_bilingual=bilingual,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
        db.session.commit()
        flash(_("The site settings are saved."), "success")
        return redirect(url_for("site_admin.settings"))
    return render_template("admin/settings.html", form=form)


@bp.get("/audit")
def audit():
    page, lines, filters = filtered_page()
    return render_template("admin/audit.html", page=page, lines=lines, filters=filters)


from coproduce.views import people as _people_pages  # noqa: E402,F401 - find-a-person pages share the blueprint
