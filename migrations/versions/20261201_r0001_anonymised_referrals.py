"""anonymised referrals: referrals between members and their every move

Create Date: 2026-12-01 13:51:24

No column holds who the young person is. The content columns (languages, goals,
availability, note, the pseudonyms) are nullable: they are emptied by the purge, while
the counts stay. A referral's moves are deleted with it (ON DELETE CASCADE: erasure); a
removed branch leaves its referrals without one (SET NULL).
"""
import sqlalchemy as sa
from alembic import op
from migration_columns import create_indexes, create_named_index, create_table_with_id, foreign_key, foreign_keys, timestamps, unique, uuid_column

# revision identifiers, used by Alembic.
revision = 'r0001'
down_revision = 'mn0001'


def referral_status():
    """A referral's states (FHIR Task's), as `referrals.status` and each move hold them."""
    return sa.Enum('requested', 'accepted', 'rejected', 'cancelled', 'in-progress', 'on-hold', 'completed', 'failed', name='referral_status', native_enum=False, length=20)


def upgrade():
    create_table_with_id('referrals',
    uuid_column(),
    sa.Column('code', sa.String(length=11), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('receiver_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer()),
    sa.Column('status', referral_status(), nullable=False),
    sa.Column('reason', sa.String(length=30)),
    sa.Column('outcome', sa.String(length=30)),
    sa.Column('ended_at', sa.DateTime(timezone=True)),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('area', sa.String(length=60)),
    sa.Column('distance_km', sa.Integer()),
    sa.Column('languages', sa.JSON()),
    sa.Column('goals', sa.JSON()),
    sa.Column('availability', sa.JSON()),
    sa.Column('note', sa.Text()),
    sa.Column('sender_pseudonym', sa.String(length=64)),
    sa.Column('receiver_pseudonym', sa.String(length=64)),
    sa.Column('pseudonym_key_id', sa.String(length=20)),
    sa.Column('consent_given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_given_by', sa.String(length=20), nullable=False),
    sa.Column('consent_text_version', sa.String(length=20), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True)),
    *timestamps(),
    foreign_key('referrals', 'branch_id', 'branches', ondelete='SET NULL'),
    *foreign_keys('referrals', programme_id='programmes', receiver_id='organisations', sender_id='organisations'),
    unique('referrals', 'code'),
    unique('referrals', 'uuid')
    )
    create_named_index('referrals', 'duplicates', 'sender_id', 'sender_pseudonym', 'programme_id')
    create_indexes('referrals', 'ended_at')
    create_named_index('referrals', 'inbox', 'receiver_id', 'status')
    create_named_index('referrals', 'outbox', 'sender_id', 'status')
    create_indexes('referrals', 'programme_id')

    create_table_with_id('referral_transitions',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('from_status', referral_status()),
    sa.Column('to_status', referral_status(), nullable=False),
    sa.Column('reason', sa.String(length=30)),
    sa.Column('outcome', sa.String(length=30)),
    sa.Column('side', sa.Enum('sender', 'receiver', 'platform', name='referral_side', native_enum=False, length=10), nullable=False),
    sa.Column('actor_user_id', sa.Integer()),
    sa.Column('client_id', sa.String(length=64)),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    foreign_key('referral_transitions', 'actor_user_id', 'users', ondelete='SET NULL'),
    foreign_key('referral_transitions', 'referral_id', 'referrals', ondelete='CASCADE'),
    )
    create_indexes('referral_transitions', 'referral_id')


def downgrade():
    op.drop_table('referral_transitions')
    op.drop_table('referrals')
