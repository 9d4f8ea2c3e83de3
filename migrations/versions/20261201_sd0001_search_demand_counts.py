"""search: searches near a place, counted per day and area

Create Date: 2026-12-01 14:00:01

Only the day, the country, the area (province or department) and a count: no search is
stored one by one.
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_counts_table


# revision identifiers, used by Alembic.
revision = 'sd0001'
down_revision = 'im0001'


def upgrade():
    create_counts_table('search_demand_counts', day=sa.Date(), country=sa.String(length=2), area=sa.String(length=60))


def downgrade():
    op.drop_table('search_demand_counts')
