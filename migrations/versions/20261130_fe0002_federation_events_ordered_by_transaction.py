"""federation events ordered by (txid, id): the writing transaction's id replaces the lock

Create Date: 2026-11-30 10:10:00

Events written before this revision keep txid 0: they come first, in id order, as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fe0002"
down_revision = "merge0001"


def upgrade():
    with op.batch_alter_table("federation_events") as batch:
        batch.add_column(sa.Column("txid", sa.BigInteger(), server_default="0", nullable=False))
    op.drop_index("ix_federation_events_org_id", table_name="federation_events")
    op.create_index(
        "ix_federation_events_feed", "federation_events", ["organisation_id", "txid", "id"]
    )


def downgrade():
    op.drop_index("ix_federation_events_feed", table_name="federation_events")
    op.create_index("ix_federation_events_org_id", "federation_events", ["organisation_id", "id"])
    with op.batch_alter_table("federation_events") as batch:
        batch.drop_column("txid")
