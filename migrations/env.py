"""Alembic environment: the URL comes from ops (never from a file), the metadata from ops.models."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import ops.models  # noqa: F401  (registers every table on SQLModel.metadata)
import ops.models_equipment  # noqa: F401
import ops.models_liaison  # noqa: F401
import ops.models_places  # noqa: F401
import ops.models_plans  # noqa: F401
from ops.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    if not url:
        from ops.config import build

        url = build()["DATABASE_URL"]
    return url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=connection.dialect.name == "sqlite"
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
