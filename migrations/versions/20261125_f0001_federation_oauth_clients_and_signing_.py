"""federation: OAuth clients, signing keys, revoked tokens, used assertion ids

Create Date: 2026-11-25 18:10:52.368708
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_indexes, create_table_with_id, foreign_keys, timestamps, unique


# revision identifiers, used by Alembic.
revision = 'f0001'
down_revision = 'c0001'
branch_labels = ('federation',)


def upgrade():
    create_table_with_id('oauth_assertion_jtis',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('jti_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    unique('oauth_assertion_jtis', 'client_id', 'jti_hash')
    )
    create_indexes('oauth_assertion_jtis', 'expires_at')

    create_table_with_id('oauth_revoked_tokens',
    sa.Column('jti_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=False),
    unique('oauth_revoked_tokens', 'jti_hash')
    )
    create_indexes('oauth_revoked_tokens', 'expires_at')

    create_table_with_id('oauth_signing_keys',
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('alg', sa.String(length=10), nullable=False),
    sa.Column('private_key_pem', sa.String(length=4000), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('active', 'retiring', 'retired', name='keystate', native_enum=False, length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retiring_at', sa.DateTime(timezone=True)),
    unique('oauth_signing_keys', 'kid')
    )
    create_indexes('oauth_signing_keys', 'state')

    create_table_with_id('oauth_clients',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_endpoint_auth_method', sa.Enum('private_key_jwt', 'client_secret_basic', name='authmethod', native_enum=False, length=30), nullable=False),
    sa.Column('client_secret_hash', sa.String(length=64)),
    sa.Column('jwks', sa.JSON()),
    sa.Column('allowed_algs', sa.JSON(), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True)),
    sa.Column('last_used_at', sa.DateTime(timezone=True)),
    sa.Column('created_by_id', sa.Integer()),
    *timestamps(),
    *foreign_keys('oauth_clients', created_by_id='users', organisation_id='organisations'),
    unique('oauth_clients', 'client_id')
    )
    create_indexes('oauth_clients', 'organisation_id')


def downgrade():
    op.drop_table('oauth_clients')
    op.drop_table('oauth_signing_keys')
    op.drop_table('oauth_revoked_tokens')
    op.drop_table('oauth_assertion_jtis')
