"""merge the parts' branches

Revision ID: merge0001
Revises: a0001, f0001, fa0001, sp0001
Create Date: 2026-11-25 19:12:39.593415

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'merge0001'
down_revision = ('a0001', 'f0001', 'fa0001', 'sp0001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
