"""merge the parts' branches

Create Date: 2026-11-25 19:12:39.593415
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'merge0001'
down_revision = ('a0001', 'f0001', 'fa0001', 'sp0001')


def upgrade():
    pass


def downgrade():
    pass
