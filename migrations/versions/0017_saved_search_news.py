"""saved searches watched for new records: the flag that sends them to the inbox

Revision ID: 0017_saved_search_news
Revises: 0016_release_answers
Create Date: 2026-12-01 07:20:00

- `savedsearch.news`: "Tell me about new records". When on, an approval or an import
  that brings records matching the search (read by its owner) writes one inbox item.
  Off for every search saved before (nobody asked for items they never chose).

Plain ADD/DROP COLUMN (no batch copy).
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_saved_search_news"
down_revision = "0016_release_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("savedsearch", sa.Column("news", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("savedsearch", "news")
