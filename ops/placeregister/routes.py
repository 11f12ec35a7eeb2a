"""The register's pages: the list, a new place, one place's form. System administrators only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy
from ops.placeregister import services
from ops.placeregister.blueprint import bp
from ops.placeregister.forms import NewPlaceForm, PlaceForm


def _data(form) -> services.PlaceData:
    return services.PlaceData(
        name_uz=form.name_uz.data.strip(),
        name_ru=form.name_ru.data.strip(),
        name_en=" ".join(form.name_en.data.split()),
        kind=form.kind.data,
        region=form.region.data,
        lat=form.lat.data,
        lon=form.lon.data,
        country=form.country.data,
        counterpart_name=(form.counterpart_name.data or "").strip(),
        counterpart_country=form.counterpart_country.data or None,
        counterpart_lat=form.counterpart_lat.data,
        counterpart_lon=form.counterpart_lon.data,
        is_active=form.is_active.data,
    )


def _status(form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _refused(form, error: services.PlaceError) -> None:
    getattr(form, error.field).errors.append(error.message)


@bp.get("/")
def index():
    policy.require(current_user, "manage_places")
    return render_template(
        "placeregister/index.html",
        places=services.all_places(),
        teams_by_place=services.teams_by_place(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(current_user, "manage_places")
    form = NewPlaceForm(teams=services.all_teams())
    if form.validate_on_submit():
        try:
            services.create_place(current_user, form.code.data, _data(form), form.teams.data)
        except services.PlaceError as error:
            _refused(form, error)
        else:
            flash(_("Place %(code)s added to the register.", code=form.code.data), "success")
            return redirect(url_for("placeregister.index"))
    return render_template("placeregister/form.html", form=form, place=None), _status(form)


@bp.route("/<int:place_id>", methods=["GET", "POST"])
def edit(place_id: int):
    policy.require(current_user, "manage_places")
    place = services.get_place(place_id)
    if place is None:
        abort(404)
    teams = services.all_teams()
    form = PlaceForm(obj=place, teams=teams) if request.method == "GET" else PlaceForm(teams=teams)
    if request.method == "GET":
        form.teams.data = services.team_ids_at(place.id)
        form.counterpart_country.data = place.counterpart_country or ""
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
            services.update_place(current_user, place, _data(form), form.teams.data, version)
        except services.PlaceError as error:
            _refused(form, error)
        except (services.StalePlaceError, ValueError):
            flash(_("Someone else saved this place after you opened it: make your change again."), "error")
            return redirect(url_for("placeregister.edit", place_id=place_id))
        else:
            flash(_("Place %(code)s saved.", code=place.code), "success")
            return redirect(url_for("placeregister.index"))
    return render_template("placeregister/form.html", form=form, place=place), _status(form)
