"""ops: the operations log of interagency mobile teams and border liaison offices."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ops import config as config_module


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

    from ops import cli, db, errors, extensions, logs, web

    logs.init_app(app)
    db.init_app(app)
    extensions.init_app(app)
    web.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


PROJECT_ROOT = Path(__file__).resolve().parent.parent
