"""federation events: the database stamps each with its writing transaction's id

Create Date: 2026-12-01 22:40:00

On PostgreSQL `txid` defaults to the id of the transaction that inserts the row (the
platform wrote that expression into every INSERT before; with a default, the events of
one transaction go in one statement). SQLite keeps its default of 0.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fe0004"
down_revision = "sd0001"

WRITING_TRANSACTION = sa.text("(pg_current_xact_id()::text)::bigint")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("federation_events", "txid", server_default=WRITING_TRANSACTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("federation_events", "txid", server_default="0")
