"""mentor recruitment: programmes' mentor needs, mentor interests, their history and counts

Create Date: 2026-12-01 12:12:44

What a programme asks of mentors is a JSON column of `programmes` (nullable: no server
default needed). A volunteer's interest and its history are deleted together (ON DELETE
CASCADE); the counts keep a plain branch number (0: none), not a foreign key, so that
removing a branch leaves past figures as they were.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mn0001'
down_revision = 'pb0001'


def upgrade():
    op.create_table('mentor_interest_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_mentor_interest_counts_quarter')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_mentor_interest_counts_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_interest_counts')),
    sa.UniqueConstraint('programme_id', 'branch_id', 'year', 'quarter', 'age_band', 'status', name=op.f('uq_mentor_interest_counts_programme_id'))
    )
    op.create_table('mentor_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('new', 'contacted', 'in_training', 'active', 'first_duo_ended', 'continuing', 'stopped', 'declined', 'withdrawn', name='intereststatus', native_enum=False, length=20), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('experience_fields', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_mentor_interests_branch_id_branches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_mentor_interests_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_interests')),
    sa.UniqueConstraint('uuid', name=op.f('uq_mentor_interests_uuid'))
    )
    with op.batch_alter_table('mentor_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_interests_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_interests_status'), ['status'], unique=False)

    op.create_table('mentor_interest_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('before', sa.String(length=200), nullable=True),
    sa.Column('after', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_mentor_interest_changes_actor_user_id_users')),
    sa.ForeignKeyConstraint(['interest_id'], ['mentor_interests.id'], name=op.f('fk_mentor_interest_changes_interest_id_mentor_interests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_interest_changes'))
    )
    with op.batch_alter_table('mentor_interest_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_interest_changes_interest_id'), ['interest_id'], unique=False)

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentor_needs', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('mentor_needs')

    with op.batch_alter_table('mentor_interest_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_interest_changes_interest_id'))

    op.drop_table('mentor_interest_changes')
    with op.batch_alter_table('mentor_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_interests_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_interests_programme_id'))

    op.drop_table('mentor_interests')
    op.drop_table('mentor_interest_counts')
