"""the register of crossing points and places; agencies and teams named in three languages; foreign partners

Revision ID: 0011_places
Revises: 0008
Create Date: 2026-12-01 03:40:00

- `place`: the register that replaces the list in code (ops/vocab.py's PLACES until now), seeded
  from ops.place_seed with the same codes, so existing records (operation.place_code, equipment's
  place_code) keep their place. Today's kinds map onto the register's:

      bcp     -> road_crossing
      rail    -> rail_crossing   (except TAS_YUZHNY, a station in Tashkent: inland_checkpoint)
      airport -> airport
      postal  -> postal_centre
      road    -> inland_checkpoint

  (river_port is new.) Every seeded place is in Uzbekistan; the crossing points with a known
  counterpart across the border carry its name, country and approximate coordinates.
- `placeteam`: the teams based at a place.
- agency: name_uz, name_ru, name_en (filled with today's name), country ("UZ"), is_foreign_partner
  (false), receive_language ("en"); team: name_uz, name_ru, name_en (filled with today's name);
  both: version (administrators' concurrent edits are detected).
  Plain ADD COLUMN on both databases (a batch copy of agency or team would drop tables that rows
  point at).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from ops import place_seed

revision = "0011_places"
down_revision = "0010_counting"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime

AGENCY_COLUMNS = ("name_uz", "name_ru", "name_en", "country", "is_foreign_partner", "receive_language", "version")
TEAM_COLUMNS = ("name_uz", "name_ru", "name_en", "version")


def _place_table():
    return op.create_table(
        "place",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("code", STR(length=32), nullable=False),
        sa.Column("name_uz", STR(length=160), nullable=False),
        sa.Column("name_ru", STR(length=160), nullable=False),
        sa.Column("name_en", STR(length=160), nullable=False, unique=True),
        sa.Column("kind", STR(length=24), nullable=False),
        sa.Column("region", STR(length=80), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("country", STR(length=2), nullable=False),
        sa.Column("counterpart_name", STR(length=160), nullable=False, server_default=""),
        sa.Column("counterpart_country", STR(length=2), nullable=True),
        sa.Column("counterpart_lat", sa.Float(), nullable=True),
        sa.Column("counterpart_lon", sa.Float(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", WHEN(), nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_at", WHEN(), nullable=False, server_default=sa.func.current_timestamp()),
    )


def upgrade() -> None:
    place = _place_table()
    op.create_index("ix_place_code", "place", ["code"], unique=True)
    op.bulk_insert(place, place_seed.register_rows())
    op.create_table(
        "placeteam",
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_placeteam_place_id", "placeteam", ["place_id"])
    for table in ("agency", "team"):
        for language in ("uz", "ru", "en"):
            op.add_column(table, sa.Column(f"name_{language}", STR(length=120), nullable=False, server_default=""))
        op.execute(f"UPDATE {table} SET name_uz = name, name_ru = name, name_en = name")
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("agency", sa.Column("country", STR(length=2), nullable=False, server_default="UZ"))
    op.add_column("agency", sa.Column("is_foreign_partner", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("agency", sa.Column("receive_language", STR(length=2), nullable=False, server_default="en"))


def downgrade() -> None:
    for column in AGENCY_COLUMNS:
        op.drop_column("agency", column)
    for column in TEAM_COLUMNS:
        op.drop_column("team", column)
    op.drop_index("ix_placeteam_place_id", table_name="placeteam")
    op.drop_table("placeteam")
    op.drop_index("ix_place_code", table_name="place")
    op.drop_table("place")
