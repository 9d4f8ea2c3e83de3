"""search zero-result counts

Create Date: 2026-11-25 18:15:32.785666
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_table_with_id, unique


# revision identifiers, used by Alembic.
revision = 'sp0001'
down_revision = 'c0001'
branch_labels = ('searchpages',)


def upgrade():
    create_table_with_id('search_zero_results',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('query', sa.String(length=100), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    unique('search_zero_results', 'day', 'lang', 'query')
    )


def downgrade():
    op.drop_table('search_zero_results')
