"""policy briefs: briefs, co-authoring organisations, sections, revisions, comments, signatures

Create Date: 2026-12-01 10:20:18

New tables only (no column added to an existing one, so no server default is needed).
"""
from alembic import op
import sqlalchemy as sa
from migration_columns import create_indexes, create_table_with_id, foreign_keys, timestamps, unique


# revision identifiers, used by Alembic.
revision = 'pb0001'
down_revision = 'op0001'


def upgrade():
    create_table_with_id('policy_briefs',
    sa.Column('translation_group', sa.Uuid(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer()),
    sa.Column('status', sa.Enum('draft', 'review', 'sign_off', 'published', 'withdrawn', name='briefstatus', native_enum=False, length=20), nullable=False),
    sa.Column('frozen_figures', sa.JSON()),
    sa.Column('slug', sa.String(length=120)),
    sa.Column('published_document', sa.Text()),
    sa.Column('content_hash', sa.String(length=64)),
    sa.Column('published_at', sa.DateTime(timezone=True)),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True)),
    sa.Column('withdrawal_reason', sa.Text()),
    *timestamps(),
    *foreign_keys('policy_briefs', created_by_id='users', lead_organisation_id='organisations'),
    unique('policy_briefs', 'slug')
    )
    create_indexes('policy_briefs', 'lead_organisation_id', 'translation_group')

    create_table_with_id('policy_brief_coauthors',
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('invited', 'accepted', 'declined', 'cancelled', name='coauthorstatus', native_enum=False, length=20), nullable=False),
    sa.Column('invited_by_id', sa.Integer()),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_by_id', sa.Integer()),
    sa.Column('answered_at', sa.DateTime(timezone=True)),
    *foreign_keys('policy_brief_coauthors',
        answered_by_id='users', brief_id='policy_briefs', invited_by_id='users',
        organisation_id='organisations'),
    unique('policy_brief_coauthors', 'brief_id', 'organisation_id')
    )
    create_indexes('policy_brief_coauthors', 'brief_id', 'organisation_id')

    create_table_with_id('policy_brief_sections',
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('head', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True)),
    sa.Column('removed_by_id', sa.Integer()),
    *foreign_keys('policy_brief_sections', brief_id='policy_briefs', removed_by_id='users'),
    )
    create_indexes('policy_brief_sections', 'brief_id')

    create_table_with_id('policy_brief_signatures',
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer()),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voided_at', sa.DateTime(timezone=True)),
    *foreign_keys('policy_brief_signatures',
        brief_id='policy_briefs', organisation_id='organisations', user_id='users'),
    )
    create_indexes('policy_brief_signatures', 'brief_id', 'organisation_id')

    create_table_with_id('policy_brief_comments',
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer()),
    sa.Column('author_id', sa.Integer()),
    sa.Column('organisation_id', sa.Integer()),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('quote_exact', sa.Text()),
    sa.Column('quote_prefix', sa.String(length=64), nullable=False),
    sa.Column('quote_suffix', sa.String(length=64), nullable=False),
    sa.Column('revision_number', sa.Integer()),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True)),
    sa.Column('resolved_by_id', sa.Integer()),
    *foreign_keys('policy_brief_comments',
        author_id='users', organisation_id='organisations', parent_id='policy_brief_comments',
        resolved_by_id='users', section_id='policy_brief_sections'),
    )
    create_indexes('policy_brief_comments', 'section_id')

    create_table_with_id('policy_brief_revisions',
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer()),
    sa.Column('organisation_id', sa.Integer()),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('parent', sa.Integer()),
    sa.Column('base', sa.Integer()),
    sa.Column('merged', sa.Boolean(), nullable=False),
    sa.Column('restored_from', sa.Integer()),
    *foreign_keys('policy_brief_revisions',
        author_id='users', organisation_id='organisations', section_id='policy_brief_sections'),
    unique('policy_brief_revisions', 'section_id', 'number')
    )
    create_indexes('policy_brief_revisions', 'section_id')


def downgrade():
    op.drop_table('policy_brief_revisions')
    op.drop_table('policy_brief_comments')
    op.drop_table('policy_brief_signatures')
    op.drop_table('policy_brief_sections')
    op.drop_table('policy_brief_coauthors')
    op.drop_table('policy_briefs')
