"""The security parts of the account: two-factor set-up, recovery codes, sessions, re-authentication.

Also the gate that keeps a signed-in user who must use two-factor sign-in, but
whose session was started without it, away from every page until it is set up.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ops.auth import reauth, services, sessions, totp, two_factor
from ops.auth.blueprint import bp
from ops.auth.forms import EnrolForm
from ops.auth.nav import safe_next
from ops.auth.reauth import require_recent_auth
from ops.auth.throttle import attempts_limited
from ops.db import session
from ops.models import utcnow

ENROLMENT_KEY = "enrolment"  # the not yet confirmed secret of a signed-in user
# what a signed-in user who still has to set up two-factor sign-in may open
_OPEN_WHILE_ENROLLING = frozenset(
    {"auth.two_factor_setup", "auth.reauthenticate", "auth.logout", "static", "main.health"}
)


def account_extra() -> dict:
    """Data for templates/auth/_account_extra.html."""
    user = current_user
    return {
        "two_factor_required": two_factor.required_for(user),
        "recovery_left": two_factor.recovery_codes_left(user.id) if user.totp_enabled else 0,
        "session_count": len(sessions.active_sessions(user)),
    }


@bp.before_app_request
def _second_factor_gate():
    if not current_user.is_authenticated or request.endpoint in _OPEN_WHILE_ENROLLING:
        return None
    row = services.current_session_row(current_user)
    if row is None or row.second_factor_at is not None or not two_factor.required_for(current_user):
        return None
    if current_user.totp_enabled:  # enrolled, but this session never proved it: sign in again
        services.end_session(current_user, reason="2fa required")
        flash(_("Please sign in again with your two-factor code."), "info")
        return redirect(url_for("auth.login"))
    flash(_("Your role needs two-factor sign-in. Set it up now to continue."), "warning")
    return redirect(url_for("auth.two_factor_setup"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@require_recent_auth
def two_factor_setup():
    """Set up (or set up again, e.g. on a new phone) two-factor sign-in from the account page."""
    secret = cookie_session.get(ENROLMENT_KEY) or totp.new_secret()
    cookie_session[ENROLMENT_KEY] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_enrolment(current_user, secret, form.code.data)
        if codes is not None:
            cookie_session.pop(ENROLMENT_KEY, None)
            _mark_second_factor()
            return render_template("auth/recovery_codes.html", codes=codes, next_url=url_for("auth.account"))
        form.code.errors.append(
            _(
                "This code does not match. Check that you scanned the code on this page "
                "and that your phone's clock is correct, then type the code shown now."
            )
        )
    return render_template(
        "auth/enrol.html",
        form=form,
        at_sign_in=False,
        again=current_user.totp_enabled,
        **two_factor.enrolment_view(current_user, secret),
    ), (400 if form.errors else 200)


def _mark_second_factor() -> None:
    row = services.current_session_row(current_user)
    row.second_factor_at = utcnow()
    session().add(row)
    session().commit()


@bp.post("/account/recovery-codes")
@require_recent_auth
def recovery_codes_new():
    if not current_user.totp_enabled:
        abort(404)
    codes = two_factor.regenerate_recovery_codes(current_user)
    return render_template("auth/recovery_codes.html", codes=codes, next_url=url_for("auth.account"))


@bp.post("/account/two-factor/off")
@require_recent_auth
def two_factor_off():
    if two_factor.required_for(current_user):
        flash(
            _(
                "Your role needs two-factor sign-in; it cannot be turned off. To move it to a new phone, "
                "use “Set up again”."
            ),
            "error",
        )
        return redirect(url_for("auth.account"))
    two_factor.turn_off(current_user)
    flash(_("Two-factor sign-in is off. Your recovery codes no longer work."), "success")
    return redirect(url_for("auth.account"))


@bp.get("/account/sessions")
def my_sessions():
    return render_template("auth/sessions.html", sessions=sessions.active_sessions(current_user))


@bp.post("/account/sessions/<handle>/end")
def session_end(handle: str):
    this_one = sessions.handle_of(current_user.get_id()) == handle
    if not sessions.end_one(current_user, handle):
        flash(_("That session had ended already."), "info")
        return redirect(url_for("auth.my_sessions"))
    if this_one:
        logout_user()
        cookie_session.clear()
        flash(_("You are signed out."), "info")
        return redirect(url_for("auth.login"))
    flash(_("The session is ended; that device must sign in again."), "success")
    return redirect(url_for("auth.my_sessions"))


@bp.post("/account/sessions/end-others")
def sessions_end_others():
    ended = sessions.end_others(current_user)
    flash(_("%(num)d other sessions ended.", num=ended) if ended else _("There were no other sessions."), "success")
    return redirect(url_for("auth.my_sessions"))


@bp.route("/account/confirm", methods=["GET", "POST"])
@attempts_limited
def reauthenticate():
    """Confirm it is still you (password, and code when enrolled), then go back where you were."""
    target = safe_next(request.values.get("next"))
    form = reauth.new_form()
    if request.method == "POST" and form.validate() and reauth.confirm(form):
        return redirect(target)
    return render_template("auth/reauthenticate.html", form=form, action=None, next_url=target, replay=[]), (
        401 if form.errors else 200
    )
