"""The application factory and the `ops` command that serves it: the top floor, which only wires."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from ops import cli, db, errors, extensions, identifier_index, logs, places, web  # noqa: F401 (identifier_index: its flush listener)
from ops import config as config_module
from ops.admin import routes as admin_routes
from ops.api import routes as api_routes
from ops.api import routes_liaison as api_liaison
from ops.apitokens import routes as apitokens_routes
from ops.auditors import routes as auditors_routes
from ops.auth import routes as auth_routes
from ops.equipment import routes as equipment_routes
from ops.equipment import routes_import as equipment_import
from ops.equipment import routes_report as equipment_report
from ops.events import routes as events_routes
from ops.hits import routes as hits_routes
from ops.importer import routes as importer_routes
from ops.inbox import routes as inbox_routes
from ops.liaison import routes as liaison_routes
from ops.liaison import routes_counterparts as liaison_counterparts
from ops.liaison import routes_messages as liaison_messages
from ops.main import routes as main_routes
from ops.operations import routes as operations_routes
from ops.operations import routes_actions as operations_actions
from ops.placeregister import routes as placeregister_routes
from ops.plans import routes as plans_routes
from ops.search import routes as search_routes
from ops.watch import routes as watch_routes

# Each feature's blueprint, with the view modules that attach their routes to it when imported.
BLUEPRINTS = (
    (main_routes.bp, main_routes),
    (auth_routes.bp, auth_routes),
    (admin_routes.bp, admin_routes),
    (placeregister_routes.bp, placeregister_routes),
    (operations_routes.bp, operations_routes, operations_actions),
    (importer_routes.bp, importer_routes),
    (search_routes.bp, search_routes),
    (auditors_routes.bp, auditors_routes),
    (api_routes.bp, api_routes, api_liaison),
    (apitokens_routes.bp, apitokens_routes),
    (equipment_routes.bp, equipment_routes, equipment_report, equipment_import),
    (events_routes.bp, events_routes),
    (inbox_routes.bp, inbox_routes),
    (hits_routes.bp, hits_routes),
    (watch_routes.bp, watch_routes),
    (plans_routes.bp, plans_routes),
    (liaison_routes.bp, liaison_routes, liaison_messages, liaison_counterparts),
)


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, error handlers, CLI. Nothing else."""
    settings = config_module.build(config)
    app = Flask(
        __name__,
        template_folder=settings["TEMPLATE_FOLDER"],
        static_folder=settings["STATIC_FOLDER"],
        instance_path=settings["INSTANCE_PATH"],
    )
    app.config.update(settings)
    logs.init_app(app)
    db.init_app(app)
    places.init_app(app)  # vocab's place names read the register in the database
    extensions.init_app(app)
    web.init_app(app)  # before the blueprints: it installs the URL converter their rules use
    for blueprint, *_views in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.init_app(app)
    cli.init_app(app)
    return app


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True)
def main() -> None:
    """ops: operations log of interagency mobile teams and border liaison offices."""
