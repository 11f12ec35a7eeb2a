"""Sign-in, sign-out and the user's own account page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops.auth import bp, services
from ops.auth.forms import ChangePasswordForm, LoginForm, PreferencesForm
from ops.extensions import login_manager


@login_manager.user_loader
def _load_user(session_id: str):
    return services.load_session_user(session_id)


def safe_next(target: str | None) -> str:
    """Only same-site paths: an absolute URL or a scheme-relative one goes home instead."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("main.home")
    parts = urlsplit(target)
    if parts.netloc or parts.scheme:
        return url_for("main.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.check_credentials(form.username.data, form.password.data)
        if user is not None:
            services.rehash_if_needed(user, form.password.data)
            services.start_session(user)
            return redirect(safe_next(form.next.data))
        flash(_("The user name or password is wrong, or the account is disabled or locked."), "error")
    return render_template("auth/login.html", form=form), (401 if request.method == "POST" else 200)


@bp.post("/logout")
def logout():
    services.end_session(current_user)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    password_form = ChangePasswordForm(prefix="pw")
    prefs_form = PreferencesForm(prefix="prefs", locale=current_user.locale or "en",
                                 timezone=current_user.timezone)
    if request.method == "POST" and request.form.get("which") == "password" and password_form.validate():
        if services.change_password(current_user, password_form.current_password.data,
                                    password_form.new_password.data):
            flash(_("Your password is changed; your other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
        password_form.current_password.errors.append(_("This is not your current password."))
    if request.method == "POST" and request.form.get("which") == "prefs" and prefs_form.validate():
        services.save_preferences(current_user, prefs_form.locale.data, prefs_form.timezone.data)
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account.html", password_form=password_form, prefs_form=prefs_form), status
