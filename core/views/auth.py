"""Accounts: sign in and out, sign up, password reset, your account and language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from coproduce.extensions import db, limiter
from coproduce.forms import ChangePasswordForm, LanguageForm, NewPasswordForm, ResetRequestForm, SignInForm, SignUpForm
from coproduce.mail import send_mail
from coproduce.models import Membership, Team, User, record
from coproduce.models.user import dummy_password_check
from coproduce.site_settings import get_setting
from coproduce.tokens import make_password_token, read_password_token

bp = Blueprint("auth", __name__)

SIGN_IN_LIMIT = "10 per minute; 50 per hour"
FORM_LIMIT = "5 per minute; 30 per hour"


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("public.home")


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).where(User.email == User.normalise_email(email))).scalar_one_or_none()


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            dummy_password_check()
        if user is not None and user.check_password(form.password.data) and user.is_active:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append(_("The email address or password is not right"))
    return render_template("auth/sign_in.html", form=form, signup=get_setting("SIGNUP_ENABLED"))


@bp.post("/sign-out")
def sign_out():
    logout_user()
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
            login_user(user)
            flash(_("Your account is ready."), "success")
            return redirect(url_for("public.home"))
        # Do not reveal that the address has an account: tell its owner by email instead.
        send_mail(
            form.email.data,
            _("Someone tried to create an account with your email"),
            _(
                "Someone tried to create an account with this email address. If it was you, "
                "sign in or reset your password: %(url)s",
                url=url_for("auth.reset_request", _external=True),
            ),
        )
        return render_template("auth/check_email.html")
    return render_template("auth/sign_up.html", form=form)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.is_active:
            link = url_for("auth.reset_password", token=make_password_token(user), _external=True)
            send_mail(
                user.email,
                _("Reset your password"),
                _(
                    "Use this link to choose a new password. It works once, for one hour:\n\n%(link)s\n\n"
                    "If you did not ask for this, you can ignore this email.",
                    link=link,
                ),
            )
        return render_template("auth/check_email.html")
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def reset_password(token: str):
    user = read_password_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        record("user.password_reset", actor=user, target=f"user:{user.id}")
        db.session.commit()
        login_user(user)
        flash(_("Your new password is saved."), "success")
        return redirect(url_for("public.home"))
    return render_template("auth/reset_password.html", form=form)


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
    return render_template("auth/account.html", my_teams=my_teams)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(FORM_LIMIT, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is not right"))
        else:
            current_user.set_password(form.password.data)
            record("user.password_changed", actor=current_user, target=f"user:{current_user.id}")
            db.session.commit()
            login_user(current_user._get_current_object())  # new session version: stay signed in here
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
