"""accounts: last TOTP step used (replay protection), invitation language

Create Date: 2026-11-25 18:20:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0001'
down_revision = 'c0001'
branch_labels = ('accounts',)


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='fr', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger()))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('language')
