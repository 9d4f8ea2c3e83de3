"""core: organisations, staff, programmes, outbox

Create Date: 2026-11-25 18:01:32.420736
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_indexes, create_named_index, create_table_with_id, foreign_keys, place_columns, timestamps, token_hash_column, unique, uuid_column


# revision identifiers, used by Alembic.
revision = 'c0001'
down_revision = None


def upgrade():
    create_table_with_id('organisations',
    uuid_column(),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('enterprise_number', sa.String(length=10)),
    sa.Column('website', sa.String(length=300)),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('email', sa.String(length=200)),
    sa.Column('logo', sa.LargeBinary()),
    sa.Column('logo_mime', sa.String(length=40)),
    sa.Column('admitted_at', sa.DateTime(timezone=True)),
    *timestamps(),
    unique('organisations', 'enterprise_number'),
    unique('organisations', 'slug'),
    unique('organisations', 'uuid')
    )
    create_table_with_id('search_outbox',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500)),
    )
    create_named_index('search_outbox', 'available', 'available_at')

    create_table_with_id('users',
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200)),
    sa.Column('totp_secret', sa.String(length=64)),
    sa.Column('is_coalition_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True)),
    *timestamps(),
    unique('users', 'email')
    )
    create_table_with_id('audit_log',
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer()),
    sa.Column('actor_client_id', sa.String(length=64)),
    sa.Column('organisation_id', sa.Integer()),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('target_type', sa.String(length=40)),
    sa.Column('target_id', sa.String(length=64)),
    sa.Column('details', sa.JSON(), nullable=False),
    *foreign_keys('audit_log', actor_user_id='users', organisation_id='organisations'),
    )
    create_indexes('audit_log', 'action', 'actor_user_id', 'at', 'organisation_id')

    create_table_with_id('branches',
    uuid_column(),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300)),
    *place_columns(),
    sa.Column('opened_on', sa.Date()),
    sa.Column('is_new', sa.Boolean(), nullable=False),
    *timestamps(),
    *foreign_keys('branches', organisation_id='organisations'),
    unique('branches', 'uuid')
    )
    create_indexes('branches', 'organisation_id')

    create_table_with_id('invitations',
    token_hash_column(),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer()),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('coalition_admin', sa.Boolean(), nullable=False),
    sa.Column('invited_by_id', sa.Integer()),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True)),
    sa.Column('revoked_at', sa.DateTime(timezone=True)),
    *timestamps(),
    *foreign_keys('invitations', invited_by_id='users', organisation_id='organisations'),
    unique('invitations', 'token_hash')
    )
    create_table_with_id('membership_applications',
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('enterprise_number', sa.String(length=10), nullable=False),
    sa.Column('website', sa.String(length=300)),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='applicationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('rejection_reason', sa.Text()),
    sa.Column('decided_at', sa.DateTime(timezone=True)),
    sa.Column('decided_by_id', sa.Integer()),
    sa.Column('organisation_id', sa.Integer()),
    *timestamps(),
    *foreign_keys('membership_applications', decided_by_id='users', organisation_id='organisations'),
    )
    create_indexes('membership_applications', 'enterprise_number')

    create_table_with_id('organisation_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('org_admin', 'editor', 'referral_officer', 'policy_author', name='role', native_enum=False, length=30), nullable=False),
    *foreign_keys('organisation_roles', organisation_id='organisations', user_id='users'),
    unique('organisation_roles', 'user_id', 'organisation_id', 'role')
    )
    create_indexes('organisation_roles', 'organisation_id', 'user_id')

    create_table_with_id('password_reset_tokens',
    sa.Column('user_id', sa.Integer(), nullable=False),
    token_hash_column(),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True)),
    *timestamps(),
    *foreign_keys('password_reset_tokens', user_id='users'),
    unique('password_reset_tokens', 'token_hash')
    )
    create_indexes('password_reset_tokens', 'user_id')

    create_table_with_id('programmes',
    uuid_column(),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=100)),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('summaries', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('audiences', sa.JSON(), nullable=False),
    sa.Column('formats', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('age_min', sa.Integer()),
    sa.Column('age_max', sa.Integer()),
    sa.Column('duration_weeks', sa.Integer()),
    sa.Column('hours_per_week', sa.Float()),
    sa.Column('cost', sa.String(length=20), nullable=False),
    sa.Column('capacity_status', sa.Enum('open', 'waiting_list', 'full', name='capacitystatus', native_enum=False, length=20), nullable=False),
    sa.Column('places_available', sa.Integer()),
    sa.Column('online_region', sa.String(length=10)),
    sa.Column('apply_url', sa.String(length=300)),
    sa.Column('apply_email', sa.String(length=200)),
    sa.Column('apply_phone', sa.String(length=40)),
    sa.Column('confirmed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'unpublished', 'archived', name='programmestatus', native_enum=False, length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True)),
    sa.Column('unpublished_reason', sa.Text()),
    sa.Column('unpublished_by_coalition', sa.Boolean(), nullable=False),
    *timestamps(),
    *foreign_keys('programmes', organisation_id='organisations'),
    unique('programmes', 'organisation_id', 'external_id'),
    unique('programmes', 'uuid')
    )
    create_indexes('programmes', 'organisation_id', 'status')

    create_table_with_id('programme_locations',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer()),
    *place_columns(),
    *foreign_keys('programme_locations', branch_id='branches', programme_id='programmes'),
    )
    create_indexes('programme_locations', 'programme_id')


def downgrade():
    op.drop_table('programme_locations')
    op.drop_table('programmes')
    op.drop_table('password_reset_tokens')
    op.drop_table('organisation_roles')
    op.drop_table('membership_applications')
    op.drop_table('invitations')
    op.drop_table('branches')
    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_table('search_outbox')
    op.drop_table('organisations')
