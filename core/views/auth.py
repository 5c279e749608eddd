"""Accounts: sign in and out, sign up, password reset, your account and language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coproduce.extensions import db, limiter
from coproduce.forms import (
    ChangePasswordForm,
    ConfirmForm,
    LanguageForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
from coproduce.mail import send_mail_in_print_languages
from coproduce.models import Membership, Role, Team, User, record
from coproduce.models.user import dummy_password_check, dummy_password_hash
from coproduce.security import account_key, end_all_sessions, end_session, start_session
from coproduce.site_settings import get_setting
from coproduce.tokens import make_confirm_token, make_password_token, read_confirm_token, read_password_link

bp = Blueprint("auth", __name__)

SIGN_IN_LIMIT = "10 per minute; 50 per hour"
FORM_LIMIT = "5 per minute; 30 per hour"
# Per account as well as per address: guessing one person's password from many addresses stays slow,
# and a reset request cannot flood their inbox.
SIGN_IN_ACCOUNT_LIMIT = "10 per 10 minutes; 50 per day"
RESET_ACCOUNT_LIMIT = "3 per 10 minutes; 10 per day"


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("public.home")


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).where(User.email == User.normalise_email(email))).scalar_one_or_none()


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
@limiter.limit(SIGN_IN_ACCOUNT_LIMIT, methods=["POST"], key_func=account_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            dummy_password_check()
        if user is not None and user.check_password(form.password.data) and user.is_active:
            if not user.is_confirmed:
                # Only someone who knows the password learns this; they get a fresh link.
                send_confirmation(user)
                form.email.errors.append(
                    _("Confirm your email address before you sign in. We have sent you a new link.")
                )
                return render_template("auth/sign_in.html", form=form, signup=get_setting("SIGNUP_ENABLED"))
            start_session(user)
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append(_("The email address or password is not right"))
    return render_template("auth/sign_in.html", form=form, signup=get_setting("SIGNUP_ENABLED"))


@bp.post("/sign-out")
def sign_out():
    end_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/sign-up", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def sign_up():
    if not get_setting("SIGNUP_ENABLED"):
        return render_template("auth/sign_up_closed.html"), 403
    form = SignUpForm()
    if form.validate_on_submit():
        if find_user(form.email.data) is None:
            user = User(email=form.email.data, display_name=form.display_name.data)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            send_confirmation(user)
        else:
            # Do not reveal that the address has an account: the same work, the same page, and an email
            # to the address's owner instead.
            dummy_password_hash()
            send_mail_in_print_languages(
                form.email.data,
                lambda: (
                    _("Someone tried to create an account with your email"),
                    _(
                        "Someone tried to create an account with this email address. If it was you, "
                        "sign in or reset your password: %(url)s",
                        url=url_for("auth.reset_request", _external=True),
                    ),
                ),
            )
        return render_template("auth/check_email.html", sign_up=True)
    return render_template("auth/sign_up.html", form=form)


def send_confirmation(user: User) -> None:
    link = url_for("auth.confirm_email", token=make_confirm_token(user), _external=True)
    send_mail_in_print_languages(
        user.email,
        lambda: (
            _("Confirm your email address"),
            _(
                "Use this link to confirm your email address and finish creating your account. "
                "It works for 3 days:\n\n%(link)s\n\n"
                "If you did not create an account, you can ignore this email: nothing happens without it.",
                link=link,
            ),
        ),
    )


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def confirm_email(token: str):
    """A page with a button, so a mail scanner that follows the link does not confirm the account."""
    user = read_confirm_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        if not user.is_confirmed:
            user.confirm_email()
            record("user.email_confirmed", actor=user, target=f"user:{user.id}")
            db.session.commit()
        flash(_("Your email address is confirmed. You can sign in now."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/confirm_email.html", form=form, email=user.email)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
@limiter.limit(RESET_ACCOUNT_LIMIT, methods=["POST"], key_func=account_key)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.is_active:
            link = url_for("auth.reset_password", token=make_password_token(user), _external=True)
            send_mail_in_print_languages(
                user.email,
                lambda: (
                    _("Reset your password"),
                    _(
                        "Use this link to choose a new password. It works once, for one hour:\n\n%(link)s\n\n"
                        "If you did not ask for this, you can ignore this email.",
                        link=link,
                    ),
                ),
            )
        return render_template("auth/check_email.html")
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def reset_password(token: str):
    found = read_password_link(token)
    if found is None:
        return render_template("auth/reset_invalid.html"), 404
    user, link = found
    form = NewPasswordForm()
    form.password_user_inputs = [user.email, user.display_name]
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.confirm_email()  # the link came by email: the person reads that address
        record("user.password_reset", actor=user, target=f"user:{user.id}")
        join_invited_team(user, link)
        db.session.commit()
        end_all_sessions(user)  # whoever else was signed in with the old password is signed out
        start_session(user)
        flash(_("Your new password is saved."), "success")
        return redirect(url_for("public.home"))
    return render_template("auth/reset_password.html", form=form)


def join_invited_team(user: User, link: dict) -> None:
    """An invitation into a team (sent to an address whose account was not yet confirmed) grants the
    membership only now, when the address's owner uses it."""
    team = db.session.get(Team, link["t"]) if isinstance(link.get("t"), int) else None
    if team is None or team.archived_at is not None or link.get("r") not in {r.value for r in Role}:
        return
    membership = db.session.execute(
        db.select(Membership).where(Membership.team_id == team.id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    if membership is None:
        db.session.add(Membership(team=team, user=user, role=link["r"]))
        record("team.member_joined", actor=user, team=team, target=f"user:{user.id}", role=link["r"])


@bp.get("/account")
@login_required
def account():
    my_teams = (
        db.session.execute(
            db.select(Membership)
            .join(Team)
            .where(Membership.user_id == current_user.id, Team.archived_at.is_(None))
            .order_by(Team.name)
        )
        .scalars()
        .all()
    )
    return render_template("auth/account.html", my_teams=my_teams, sign_out_form=ConfirmForm())


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    record("user.signed_out_everywhere", actor=user, target=f"user:{user.id}")
    db.session.commit()
    end_all_sessions(user)
    end_session()
    flash(_("You have signed out on every device, including this one."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(FORM_LIMIT, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    form.password_user_inputs = [current_user.email, current_user.display_name]
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is not right"))
        else:
            current_user.set_password(form.password.data)
            record("user.password_changed", actor=current_user, target=f"user:{current_user.id}")
            db.session.commit()
            user = current_user._get_current_object()
            end_all_sessions(user)  # every other device is signed out; this one gets a new session
            start_session(user)
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/language", methods=["GET", "POST"])
@login_required
def language():
    form = LanguageForm(locale=current_user.preferred_locale or get_setting("DEFAULT_LOCALE"))
    if form.validate_on_submit():
        current_user.preferred_locale = form.locale.data
        db.session.commit()
        return redirect(url_for("auth.account", lang=form.locale.data))
    return render_template("auth/language.html", form=form)
