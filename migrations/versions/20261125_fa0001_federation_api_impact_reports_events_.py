"""federation api: impact reports, events, webhooks, idempotency keys

Create Date: 2026-11-25 18:15:19.131717
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_indexes, create_named_index, create_table_with_id, foreign_key, foreign_keys, quarter_check, timestamps, unique, uuid_column


# revision identifiers, used by Alembic.
revision = 'fa0001'
down_revision = 'c0001'
branch_labels = ('federation_api',)


def upgrade():
    create_table_with_id('federation_idempotency_keys',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer()),
    sa.Column('response_body', sa.LargeBinary()),
    sa.Column('response_headers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    unique('federation_idempotency_keys', 'client_id', 'key')
    )
    create_indexes('federation_idempotency_keys', 'expires_at')

    create_table_with_id('federation_events',
    uuid_column(),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    *foreign_keys('federation_events', organisation_id='organisations'),
    unique('federation_events', 'uuid')
    )
    create_named_index('federation_events', 'org_id', 'organisation_id', 'id')

    create_table_with_id('federation_webhooks',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('secret_encrypted', sa.Text(), nullable=False),
    sa.Column('previous_secret_encrypted', sa.Text()),
    sa.Column('previous_secret_expires_at', sa.DateTime(timezone=True)),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer()),
    *foreign_keys('federation_webhooks', created_by_user_id='users', organisation_id='organisations'),
    )
    create_indexes('federation_webhooks', 'organisation_id')

    create_table_with_id('federation_webhook_deliveries',
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'succeeded', 'failed', name='deliverystate', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True)),
    sa.Column('last_status_code', sa.Integer()),
    sa.Column('last_error', sa.String(length=300)),
    sa.Column('delivered_at', sa.DateTime(timezone=True)),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    foreign_key('federation_webhook_deliveries', 'event_id', 'federation_events', ondelete='CASCADE'),
    foreign_key('federation_webhook_deliveries', 'webhook_id', 'federation_webhooks', ondelete='CASCADE'),
    )
    create_named_index('federation_webhook_deliveries', 'due', 'state', 'next_attempt_at')
    create_indexes('federation_webhook_deliveries', 'webhook_id')

    create_table_with_id('impact_reports',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('mentors_trained', sa.Integer(), nullable=False),
    sa.Column('mentors_active', sa.Integer(), nullable=False),
    sa.Column('mentors_aged_50_plus', sa.Integer(), nullable=False),
    sa.Column('young_people_enrolled', sa.Integer(), nullable=False),
    sa.Column('duos_started', sa.Integer(), nullable=False),
    sa.Column('duos_completed', sa.Integer(), nullable=False),
    sa.Column('mentors_continuing_after_first_duo', sa.Integer(), nullable=False),
    sa.Column('outcome_job', sa.Integer(), nullable=False),
    sa.Column('outcome_training', sa.Integer(), nullable=False),
    sa.Column('outcome_internship', sa.Integer(), nullable=False),
    sa.Column('outcome_dropped_out', sa.Integer(), nullable=False),
    sa.Column('outcome_not_reached', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_user_id', sa.Integer()),
    sa.Column('submitted_by_client_id', sa.String(length=64)),
    *timestamps(),
    quarter_check('impact_reports'),
    *foreign_keys('impact_reports',
        branch_id='branches', organisation_id='organisations', submitted_by_user_id='users'),
    unique('impact_reports', 'organisation_id', 'branch_id', 'year', 'quarter')
    )
    create_indexes('impact_reports', 'branch_id', 'organisation_id')


def downgrade():
    op.drop_table('impact_reports')
    op.drop_table('federation_webhook_deliveries')
    op.drop_table('federation_webhooks')
    op.drop_table('federation_events')
    op.drop_table('federation_idempotency_keys')
