"""Sign-in (password, then the second factor), sign-out and the user's own account page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user

from ops.auth import pending, services, totp, two_factor
from ops.auth.account import account_extra
from ops.auth.blueprint import bp
from ops.auth.forms import ChangePasswordForm, CodeForm, EnrolForm, LoginForm, PreferencesForm
from ops.auth.nav import safe_next
from ops.auth.reauth import code_message
from ops.auth.throttle import AccountThrottled, attempts_limited, too_many_attempts
from ops.extensions import login_manager

bp.app_errorhandler(RateLimitExceeded)(too_many_attempts)
bp.app_errorhandler(AccountThrottled)(too_many_attempts)


@login_manager.user_loader
def _load_user(session_id: str):
    user, why_not = services.load_session_user(session_id)
    if why_not == "idle":
        flash(_("You were signed out after a while without activity. Please sign in again."), "info")
    elif why_not == "expired":
        flash(_("Your session reached its maximum length. Please sign in again."), "info")
    return user


@bp.route("/login", methods=["GET", "POST"])
@attempts_limited
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.check_credentials(form.username.data, form.password.data)
        if user is not None:
            services.rehash_if_needed(user, form.password.data)
            target = safe_next(form.next.data)
            if user.totp_enabled or two_factor.required_for(user):
                pending.begin(user, target, enrol=not user.totp_enabled)
                services.password_step_passed(user, enrol=not user.totp_enabled)
                return redirect(url_for("auth.two_factor"))
            services.start_session(user)
            return redirect(target)
        flash(
            _(
                "The user name or password is wrong, or the account is disabled or locked. After "
                "repeated failures an account is locked until an administrator of your agency unlocks it."
            ),
            "error",
        )
    return render_template("auth/login.html", form=form), (401 if request.method == "POST" else 200)


def _restart(message: str):
    pending.finish()
    flash(message, "warning")
    return redirect(url_for("auth.login"))


@bp.route("/two-factor", methods=["GET", "POST"], endpoint="two_factor")
@attempts_limited
def second_step():
    """The second step of signing in: a code, or — for a user who must enrol — setting the app up."""
    if current_user.is_authenticated:  # e.g. the recovery codes page reloaded
        return redirect(url_for("main.home"))
    state = pending.current()
    if state is None:
        return _restart(_("Sign in with your user name and password first (the second step waits only a few minutes)."))
    user = services.get_user(state.user_id)
    if not pending.belongs_to(state, user):
        return _restart(_("This sign-in can no longer continue. Please sign in again."))
    if state.enrol:
        return _enrol_at_sign_in(user, state)
    form = CodeForm()
    if form.validate_on_submit():
        check = two_factor.check_code(user, form.code.data, "login_2fa")
        if check.ok:
            services.start_session(user, second_factor=True)
            _recovery_notice(check)
            return redirect(state.next)
        if user.locked_at is not None:
            return _restart(
                _("Too many wrong codes: the account is locked. An administrator of your agency can unlock it.")
            )
        form.code.errors.append(code_message(check.reason))
    return render_template("auth/two_factor.html", form=form), (401 if form.errors else 200)


def _recovery_notice(check: two_factor.CodeCheck) -> None:
    if check.method != "recovery":
        return
    flash(
        ngettext(
            "You signed in with a recovery code; it cannot be used again. %(num)d code is left.",
            "You signed in with a recovery code; it cannot be used again. %(num)d codes are left.",
            check.recovery_left,
        ),
        "warning",
    )
    if check.recovery_left <= 3:
        flash(
            _("Make new recovery codes on your account page, and set up your app again if your phone is lost."),
            "warning",
        )


def _enrol_at_sign_in(user, state: pending.Pending):
    if state.secret is None:
        pending.remember_secret(state, totp.new_secret())
    form = EnrolForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_enrolment(user, state.secret, form.code.data)
        if codes is not None:
            services.start_session(user, second_factor=True)
            return render_template("auth/recovery_codes.html", codes=codes, next_url=state.next)
        form.code.errors.append(
            _(
                "This code does not match. Check that you scanned the code on this page "
                "and that your phone's clock is correct, then type the code shown now."
            )
        )
    return render_template(
        "auth/enrol.html", form=form, at_sign_in=True, **two_factor.enrolment_view(user, state.secret)
    ), (400 if form.errors else 200)


@bp.post("/logout")
def logout():
    services.end_session(current_user)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    password_form = ChangePasswordForm(prefix="pw", username=current_user.username)
    # before a choice is saved, the language the page is shown in (browser or header switch)
    prefs_form = PreferencesForm(
        prefix="prefs", locale=current_user.locale or str(get_locale()), timezone=current_user.timezone
    )
    if request.method == "POST" and request.form.get("which") == "password" and password_form.validate():
        if services.change_password(current_user, password_form.current_password.data, password_form.new_password.data):
            flash(_("Your password is changed; your other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
        password_form.current_password.errors.append(_("This is not your current password."))
    if request.method == "POST" and request.form.get("which") == "prefs" and prefs_form.validate():
        services.save_preferences(current_user, prefs_form.locale.data, prefs_form.timezone.data)
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/account.html", password_form=password_form, prefs_form=prefs_form, **account_extra()
    ), status
