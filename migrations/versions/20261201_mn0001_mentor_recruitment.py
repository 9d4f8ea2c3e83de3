"""mentor recruitment: programmes' mentor needs, mentor interests, their history and counts

Create Date: 2026-12-01 12:12:44

What a programme asks of mentors is a JSON column of `programmes` (nullable: no server
default needed). A volunteer's interest and its history are deleted together (ON DELETE
CASCADE); the counts keep a plain branch number (0: none), not a foreign key, so that
removing a branch leaves past figures as they were.
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_counts_table, create_indexes, create_table_with_id, foreign_key, foreign_keys, quarter_check, timestamps, unique, uuid_column


# revision identifiers, used by Alembic.
revision = 'mn0001'
down_revision = 'pb0001'


def upgrade():
    create_counts_table('mentor_interest_counts',
    quarter_check('mentor_interest_counts'),
    *foreign_keys('mentor_interest_counts', programme_id='programmes'),
    programme_id=sa.Integer(), branch_id=sa.Integer(), year=sa.Integer(), quarter=sa.Integer(),
    age_band=sa.String(length=10), status=sa.String(length=20),
    )
    create_table_with_id('mentor_interests',
    uuid_column(),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer()),
    sa.Column('status', sa.Enum('new', 'contacted', 'in_training', 'active', 'first_duo_ended', 'continuing', 'stopped', 'declined', 'withdrawn', name='intereststatus', native_enum=False, length=20), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40)),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('experience_fields', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True)),
    *timestamps(),
    foreign_key('mentor_interests', 'branch_id', 'branches', ondelete='SET NULL'),
    *foreign_keys('mentor_interests', programme_id='programmes'),
    unique('mentor_interests', 'uuid')
    )
    create_indexes('mentor_interests', 'programme_id', 'status')

    create_table_with_id('mentor_interest_changes',
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer()),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('before', sa.String(length=200)),
    sa.Column('after', sa.String(length=200)),
    *foreign_keys('mentor_interest_changes', actor_user_id='users'),
    foreign_key('mentor_interest_changes', 'interest_id', 'mentor_interests', ondelete='CASCADE'),
    )
    create_indexes('mentor_interest_changes', 'interest_id')

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentor_needs', sa.JSON()))


def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('mentor_needs')

    op.drop_table('mentor_interest_changes')
    op.drop_table('mentor_interests')
    op.drop_table('mentor_interest_counts')
