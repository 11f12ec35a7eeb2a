"""Alembic, driven from Python so that `ops db upgrade` needs no alembic.ini in the working directory."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from ops.config import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    # Feature branches each add a revision on the same parent until the lead
    # relinearises them; "head" then means every branch's head.
    command.upgrade(alembic_config(database_url), "heads" if revision == "head" else revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
