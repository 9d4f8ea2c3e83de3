"""outbox rows keep the X-Request-ID of the request that wrote them

Create Date: 2026-12-01 10:30:00

The indexer's log line for each row it settles then names the request that caused it
(coalition/observability/tracing.py). Rows written before this revision have none.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "op0001"
down_revision = "c0002"


def upgrade():
    with op.batch_alter_table("search_outbox") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=128)))


def downgrade():
    with op.batch_alter_table("search_outbox") as batch:
        batch.drop_column("request_id")
