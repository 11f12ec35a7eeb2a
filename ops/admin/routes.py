"""Agencies and teams (system administrators); users of the own agency (agency administrators)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy, vocab
from ops.admin import services
from ops.admin.blueprint import bp
from ops.admin.forms import AgencyEditForm, AgencyForm, TeamEditForm, TeamForm, UserCreateForm, UserEditForm
from ops.auth import two_factor
from ops.auth.reauth import require_recent_auth
from ops.db import session
from ops.formutil import choices, pairs
from ops.models import Agency, User

DUPLICATE_MESSAGES = {
    "code": lambda: _("This code is already used."),
    "name": lambda: _("This name is already used."),
    "username": lambda: _("This user name is already taken."),
}

PROGRAMME_ORGANISATION_ROLES = frozenset({"admin", "programme_officer"})


def _duplicate(form, error: services.DuplicateError) -> None:
    getattr(form, error.field).errors.append(DUPLICATE_MESSAGES[error.field]())


def _status(form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _stale() -> None:
    flash(_("Someone else saved this after you opened it. Their version is shown; make your change again."), "error")


@bp.route("/agencies", methods=["GET", "POST"])
def agencies():
    policy.require(current_user, "manage_orgs")
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            settings = form.settings()
            services.create_agency(current_user, form.code.data, settings.pop("name"), **settings)
        except services.DuplicateError as error:
            _duplicate(form, error)
        except services.OrgError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_("Agency %(code)s created.", code=form.code.data), "success")
            return redirect(url_for("admin.agencies"))
    return render_template("admin/agencies.html", form=form, agencies=services.all_agencies()), _status(form)


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
def agency_edit(agency_id: int):
    policy.require(current_user, "manage_orgs")
    agency = services.agency_of(agency_id) or abort(404)
    form = AgencyEditForm(obj=agency) if request.method == "GET" else AgencyEditForm()
    if form.validate_on_submit():
        try:
            services.update_agency(current_user, agency, form.settings(), _version(form))
        except services.DuplicateError as error:
            _duplicate(form, error)
        except services.OrgError as error:
            getattr(form, error.field).errors.append(error.message)
        except services.StaleError:
            _stale()
            return redirect(url_for("admin.agency_edit", agency_id=agency_id))
        else:
            flash(_("Agency %(code)s saved.", code=agency.code), "success")
            return redirect(url_for("admin.agencies"))
    people = services.agency_users(agency.id) if agency.is_foreign_partner else []
    return render_template("admin/agency_form.html", form=form, agency=agency, people=people), _status(form)


@bp.route("/teams", methods=["GET", "POST"])
def teams():
    policy.require(current_user, "manage_orgs")
    form = TeamForm()
    if form.validate_on_submit():
        try:
            names = form.names()
            services.create_team(current_user, form.code.data, names.pop("name"), form.kind.data, **names)
        except services.DuplicateError as error:
            _duplicate(form, error)
        else:
            flash(_("Team %(code)s created.", code=form.code.data), "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/teams.html", form=form, teams=services.all_teams()), _status(form)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
def team_edit(team_id: int):
    policy.require(current_user, "manage_orgs")
    team = services.team_of(team_id) or abort(404)
    form = TeamEditForm(obj=team) if request.method == "GET" else TeamEditForm()
    if form.validate_on_submit():
        try:
            services.update_team(current_user, team, {**form.names(), "kind": form.kind.data}, _version(form))
        except services.DuplicateError as error:
            _duplicate(form, error)
        except services.StaleError:
            _stale()
            return redirect(url_for("admin.team_edit", team_id=team_id))
        else:
            flash(_("Team %(code)s saved.", code=team.code), "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=team), _status(form)


def _version(form) -> int:
    try:
        return int(form.version.data or 0)
    except ValueError:
        return 0  # a tampered version is a stale one


@bp.route("/agencies/<int:agency_id>/users/new", methods=["GET", "POST"])
@require_recent_auth
def partner_user_new(agency_id: int):
    """A foreign counterpart office has no administrator of its own: system administrators make its people."""
    policy.require(current_user, "manage_orgs")
    agency = services.agency_of(agency_id)
    if agency is None or not agency.is_foreign_partner:
        abort(404)
    return _create_user_page(_with_team_choices(UserCreateForm(), agency.id), agency.id, agency)


def _create_user_page(form: UserCreateForm, agency_id: int, agency: Agency | None = None):
    """A new user of the agency from a valid form, the password shown once; else the form again.

    `agency` is the counterpart office the page belongs to, if any (its Cancel goes back there)."""
    if form.validate_on_submit():
        try:
            user, password = services.create_user(
                current_user,
                agency_id=agency_id,
                username=form.username.data,
                full_name=form.full_name.data.strip(),
                role=form.role.data,
                team_ids=form.teams.data,
            )
        except services.DuplicateError as error:
            _duplicate(form, error)
        else:
            return render_template("admin/password_once.html", user=user, password=password)
    return render_template("admin/user_form.html", form=form, user=None, agency=agency), _status(form)


def _with_team_choices(form, agency_id: int | None = None):
    form.teams.choices = pairs((team.id, f"{team.code} — {vocab.local_name(team)}") for team in services.all_teams())
    # a programme organisation has administrators and programme officers; a law-enforcement agency never the
    # latter; a counterpart office leads and analysts only
    agency = session().get(Agency, agency_id or current_user.agency_id)
    if agency.is_foreign_partner:
        allowed = policy.FOREIGN_PARTNER_ROLES
    elif agency.is_programme:
        allowed = PROGRAMME_ORGANISATION_ROLES
    else:
        allowed = set(vocab.ROLES) - {"programme_officer"}
    form.role.choices = choices({code: label for code, label in vocab.ROLES.items() if code in allowed})
    return form


@bp.get("/users")
def users():
    policy.require(current_user, "manage_users")
    agency = session().get(Agency, current_user.agency_id)
    return render_template("admin/users.html", users=services.agency_users(current_user.agency_id), agency=agency)


@bp.route("/users/new", methods=["GET", "POST"])
@require_recent_auth
def user_new():
    policy.require(current_user, "manage_users")
    return _create_user_page(_with_team_choices(UserCreateForm()), current_user.agency_id)


def _users_page(user: User) -> str:
    """The list the user belongs on: the own agency's users, or a counterpart office's page."""
    if user.agency_id == current_user.agency_id:
        return url_for("admin.users")
    return url_for("admin.agency_edit", agency_id=user.agency_id)


def _own_agency_user(user_id: int) -> User:
    return policy.load(session(), User, user_id, current_user, "manage_users")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_recent_auth
def user_edit(user_id: int):
    policy.require(current_user, "manage_users")
    user = _own_agency_user(user_id)
    form = _with_team_choices(UserEditForm(obj=user) if request.method == "GET" else UserEditForm(), user.agency_id)
    if request.method == "GET":
        form.teams.data = services.user_team_ids(user.id)
    if form.validate_on_submit():
        if user.id == current_user.id and not form.is_active.data:
            form.is_active.errors.append(_("You cannot disable your own account."))
        else:
            services.update_user(
                current_user,
                user,
                full_name=form.full_name.data.strip(),
                role=form.role.data,
                team_ids=form.teams.data,
                is_active=form.is_active.data,
            )
            flash(_("User %(name)s saved.", name=user.username), "success")
            return redirect(_users_page(user))
    return render_template("admin/user_form.html", form=form, user=user), _status(form)


@bp.post("/users/<int:user_id>/reset-password")
@require_recent_auth
def user_reset_password(user_id: int):
    policy.require(current_user, "manage_users")
    user = _own_agency_user(user_id)
    password = services.reset_password(current_user, user)
    return render_template("admin/password_once.html", user=user, password=password)


@bp.post("/users/<int:user_id>/unlock")
def user_unlock(user_id: int):
    policy.require(current_user, "manage_users")
    user = _own_agency_user(user_id)
    services.unlock_user(current_user, user)
    flash(_("User %(name)s unlocked.", name=user.username), "success")
    return redirect(_users_page(user))


@bp.post("/users/<int:user_id>/reset-two-factor")
@require_recent_auth
def user_reset_two_factor(user_id: int):
    """Lost phone and recovery codes: clear the enrolment; the user sets it up again at the next sign-in."""
    policy.require(current_user, "manage_users")
    user = _own_agency_user(user_id)
    two_factor.reset_by_admin(current_user, user)
    flash(_("Two-factor sign-in of %(name)s is reset; their sessions ended.", name=user.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))
