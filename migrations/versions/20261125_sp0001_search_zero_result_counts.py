"""search zero-result counts

Create Date: 2026-11-25 18:15:32.785666
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_counts_table


# revision identifiers, used by Alembic.
revision = 'sp0001'
down_revision = 'c0001'
branch_labels = ('searchpages',)


def upgrade():
    create_counts_table('search_zero_results', day=sa.Date(), lang=sa.String(length=2), query=sa.String(length=100))


def downgrade():
    op.drop_table('search_zero_results')
