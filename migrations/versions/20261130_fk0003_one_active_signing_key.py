"""at most one active signing key (a partial unique index)

Create Date: 2026-11-30 10:45:00

Where two workers made the first key at once before this revision, the older active keys
become retiring: they keep verifying the tokens they signed until those expire.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fk0003"
down_revision = "fe0002"

ACTIVE = sa.text("state = 'active'")


def upgrade():
    op.execute(
        "UPDATE oauth_signing_keys SET state = 'retiring', retiring_at = CURRENT_TIMESTAMP "
        "WHERE state = 'active' AND id <> (SELECT max(id) FROM oauth_signing_keys "
        "WHERE state = 'active')"
    )
    op.create_index(
        "uq_oauth_signing_keys_one_active",
        "oauth_signing_keys",
        ["state"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


def downgrade():
    op.drop_index("uq_oauth_signing_keys_one_active", table_name="oauth_signing_keys")
