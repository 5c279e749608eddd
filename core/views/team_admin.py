"""A team's own pages for its members: dashboard, plugins, members, details."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from coproduce.audit_log import filtered_page
from coproduce.content import local_text
from coproduce.extensions import db
from coproduce.forms import ConfirmForm, InviteMemberForm, TeamDetailsForm
from coproduce.helpers import current_team, require_team_role
from coproduce.i18n import LANGUAGES
from coproduce.mail import send_mail_in_print_languages
from coproduce.models import Membership, Role, User, record
from coproduce.tokens import make_password_token

bp = Blueprint("team_admin", __name__, url_prefix="/t/<team>")


@bp.before_request
def _team_must_exist():
    team = current_team()
    if team.archived_at is not None:
        abort(404)


@bp.get("/dashboard")
@require_team_role("member")
def dashboard():
    team = current_team()
    widgets = (
        current_app.extensions["plugins"].hooks_for(team).collect("dashboard_widgets", user=current_user, team=team)
    )
    from coproduce.views.waiting import waiting_for, waiting_total

    waiting = waiting_for(team)
    return render_template(
        "team/dashboard.html", widgets=widgets, waiting=waiting, waiting_count=waiting_total(waiting)
    )


@bp.get("/manage/plugins")
@require_team_role("owner")
def plugins():
    team = current_team()
    host = current_app.extensions["plugins"]
    enabled = host.enabled_for(team)
    rows = [(p.meta, p.meta.name in enabled) for _, p in sorted(host.loaded.items())]
    return render_template("team/plugins.html", rows=rows, form=ConfirmForm())


@bp.post("/manage/plugins/<name>")
@require_team_role("owner")
def toggle_plugin(name: str):
    team = current_team()
    host = current_app.extensions["plugins"]
    form = ConfirmForm()
    if name not in host.loaded or not form.validate_on_submit():
        abort(404 if name not in host.loaded else 400)
    switch_on = request.form.get("enabled") == "1"
    host.set_enabled(team, name, switch_on, actor=current_user)
    title = host.loaded[name].meta.title
    flash(
        _("%(plugin)s is now on for this team.", plugin=title)
        if switch_on
        else _("%(plugin)s is now off for this team. Its data is kept.", plugin=title),
        "success",
    )
    return redirect(url_for("team_admin.plugins"))


@bp.route("/manage/members", methods=["GET", "POST"])
@require_team_role("owner")
def members():
    team = current_team()
    form = InviteMemberForm()
    if form.validate_on_submit():
        if form.role.data == Role.MEMBER.value and _is_last_owner(team, form.email.data):
            form.role.errors.append(LAST_OWNER)
        else:
            add_member(team, form.email.data, form.display_name.data, Role(form.role.data))
            return redirect(url_for("team_admin.members"))
    return render_template("team/members.html", form=form, remove_form=ConfirmForm(), Role=Role)


LAST_OWNER = _l("A team needs at least one owner. Make someone else an owner first.")


def _is_last_owner(team, email: str) -> bool:
    owners = [m for m in team.memberships if m.role == Role.OWNER.value]
    return len(owners) == 1 and owners[0].user.email == email


def add_member(team, email: str, display_name: str, role: Role) -> None:
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    if user is not None and not user.is_confirmed and user.password_hash:
        # Someone made this account without proving they read the address: invite the address instead,
        # and grant the membership only when its owner uses the link.
        record("team.member_invited", actor=current_user, team=team, target=f"user:{user.id}", role=role.value)
        db.session.commit()
        _send_invitation(team, email, make_password_token(user, "invite", team_id=team.id, role=role.value))
        flash(
            _("We sent an invitation to %(email)s. They join the team when they accept it.", email=email),
            "success",
        )
        return
    invited = user is None or not user.is_confirmed  # (an invited account that has no password yet)
    if user is None:
        user = User(email=email, display_name=display_name)
        db.session.add(user)
        db.session.flush()
    membership = next((m for m in team.memberships if m.user_id == user.id), None)
    if membership is None:
        db.session.add(Membership(team=team, user=user, role=role.value))
    else:
        membership.role = role.value
    record("team.member_added", actor=current_user, team=team, target=f"user:{user.id}", role=role.value)
    db.session.commit()
    if invited:
        _send_invitation(team, email, make_password_token(user, "invite"))
    flash(
        _(
            "%(name)s is now a team %(role)s.",
            name=user.display_name,
            role=_("owner") if role == Role.OWNER else _("member"),
        ),
        "success",
    )


def _send_invitation(team, email: str, token: str) -> None:
    link = url_for("auth.reset_password", token=token, _external=True)
    send_mail_in_print_languages(
        email,
        lambda: (
            _("You have been added to %(team)s", team=local_text(team, "name")),
            _(
                "%(who)s added you to %(team)s. Choose a password to sign in:\n\n%(link)s",
                who=current_user.display_name,
                team=local_text(team, "name"),
                link=link,
            ),
        ),
    )


@bp.post("/manage/members/<int:membership_id>/remove")
@require_team_role("owner")
def remove_member(membership_id: int):
    team = current_team()
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.team_id != team.id or not ConfirmForm().validate_on_submit():
        abort(404)
    if membership.role == Role.OWNER.value and _is_last_owner(team, membership.user.email):
        return render_template(
            "team/members.html",
            form=InviteMemberForm(formdata=None),
            remove_form=ConfirmForm(formdata=None),
            Role=Role,
            remove_error=(membership.id, LAST_OWNER),
        )
    record("team.member_removed", actor=current_user, team=team, target=f"user:{membership.user_id}")
    db.session.delete(membership)
    db.session.commit()
    flash(_("The member was removed from the team."), "success")
    return redirect(url_for("team_admin.members"))


@bp.route("/manage/details", methods=["GET", "POST"])
@require_team_role("owner")
def details():
    """The team's name and description, in every language; a language left empty shows the team's own."""
    team = current_team()
    form = TeamDetailsForm(obj=team)
    if form.validate_on_submit():
        before = _details_text(team)
        team.name, team.description = form.name.data, form.description.data or ""
        form.save_translations(team)
        after = _details_text(team)
        changes = {key: [before.get(key, ""), value] for key, value in after.items() if before.get(key, "") != value}
        record("team.details_changed", actor=current_user, team=team, target=f"team:{team.slug}", changes=changes)
        db.session.commit()
        flash(_("The team's details are saved."), "success")
        return redirect(url_for("team_admin.details"))
    return render_template("team/details.html", form=form, team=team)


def _details_text(team) -> dict[str, str]:
    """Every language's name and description, as {"name (cy)": ...}, for the audit log's before and after."""
    return {
        f"{field} ({lang})": team.text_in(field, lang)
        for field in team.translated_fields
        for lang in LANGUAGES
        if team.text_in(field, lang)
    }


@bp.get("/manage/audit")
@require_team_role("owner")
def audit():
    page, lines, filters = filtered_page(current_team())
    return render_template("team/audit.html", page=page, lines=lines, filters=filters)


__all__ = ["bp", "add_member"]
