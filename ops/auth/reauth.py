"""Re-authentication before sensitive actions: `@require_recent_auth`.

Use it on any view that changes who may do or see what — changing a user's role
or disabling them, resetting passwords or two-factor sign-in, creating API
tokens, changing the visibility of many records:

    @bp.route("/tokens/new", methods=["GET", "POST"])
    @require_recent_auth
    def token_new(): ...

(put it below the route decorator). When the user's last sign-in or
confirmation is older than OPS_REAUTH_MINUTES, the user is asked for the
password again, plus a code from the authenticator app when enrolled:
- a GET goes to the confirmation page and comes back to the same URL;
- a POST is answered with the confirmation form in place, carrying the posted
  fields along in hidden inputs; once confirmed, the original request goes on
  with exactly what was typed, so nothing is lost. Uploaded files cannot be
  carried: such a POST goes to the confirmation page and back to the page the
  form was on, and the user sends again.
The confirmation form's fields are prefixed `reauth-`; a view's own form ignores
them. Every confirmation, right or wrong, is audited; wrong ones count towards
the account's lockout, like failed sign-ins.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import audit, passwords
from ops.auth import services, two_factor
from ops.auth.forms import ReauthForm
from ops.auth.nav import safe_next
from ops.db import session
from ops.models import utcnow

PREFIX = "reauth"


def last_authenticated_at(row):
    return max(t for t in (row.created_at, row.reauthenticated_at) if t is not None)


def is_recent(user=None) -> bool:
    row = services.current_session_row(user or current_user)
    if row is None:
        return False
    window = timedelta(minutes=current_app.config["REAUTH_MINUTES"])
    return utcnow() - last_authenticated_at(row) <= window


def new_form() -> ReauthForm:
    return ReauthForm(prefix=PREFIX)


def confirm(form: ReauthForm) -> bool:
    """Check the password (and code); on success mark the session as freshly confirmed."""
    user = current_user._get_current_object()
    if user.totp_enabled and not (form.code.data or "").strip():
        # asked before the password is checked, so that this answer says nothing about the password
        form.code.errors.append(_("Type the code your authenticator app shows now."))
        return False
    if not passwords.verify_password(user.password_hash, form.password.data or ""):
        services.count_failure(user, "reauth", "wrong password")
        form.password.errors.append(_("This is not your password."))
        return False
    if user.totp_enabled:
        check = two_factor.check_code(user, form.code.data or "", "reauth_code")
        if not check.ok:
            form.code.errors.append(code_message(check.reason))
            return False
    db = session()
    row = services.current_session_row(user)
    row.reauthenticated_at = utcnow()
    db.add(row)
    audit.record(db, "reauth", user=user, object_type="user", object_id=user.id, detail={"for": request.path})
    db.commit()
    return True


def code_message(reason: str) -> str:
    if reason == "replayed":
        return _("This code was used already. Wait for the next code in your app (at most 30 seconds).")
    return _("This code is not right. Check that your phone's clock is correct and type the code shown now.")


def _replayed_fields() -> list[tuple[str, str]]:
    return [(name, value) for name, value in request.form.items(multi=True) if not name.startswith(PREFIX + "-")]


def _ask_in_place(form: ReauthForm):
    status = 401 if form.errors else 200
    return render_template(
        "auth/reauthenticate.html", form=form, action=request.full_path.rstrip("?"), replay=_replayed_fields()
    ), status


def _page_the_form_was_on() -> str:
    """The same-site page that sent this POST (to go back to after confirming), else home."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return url_for("main.home")
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def require_recent_auth(view):
    """Ask for the password (and code) again when the last confirmation is older than OPS_REAUTH_MINUTES."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if is_recent():
            return view(*args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("auth.reauthenticate", next=request.full_path.rstrip("?")))
        if any(upload.filename for upload in request.files.values()):
            flash(_("Please confirm it is you, then send the file again."), "warning")
            return redirect(url_for("auth.reauthenticate", next=_page_the_form_was_on()))
        form = new_form()
        if f"{PREFIX}-password" in request.form and form.validate() and confirm(form):
            return view(*args, **kwargs)
        return _ask_in_place(form)

    return guarded
