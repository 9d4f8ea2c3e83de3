"""impact monitoring: the coalition's targets (seeded) and the history of report corrections

Create Date: 2026-12-01 14:00:00

The five targets are seeded from the project's figures (ESF+ scale-up): 1,000 additional
trained mentors aged 50+, 2,500 young people mentored, 5,200 enrolled, 3 new branches,
more than 80 % of mentors continuing after their first duo; baselines 0, from the start of
2024 to the end of 2027 — the coalition admin edits them on the dashboard.
"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa
from migration_columns import create_indexes, create_table_with_id, foreign_key, foreign_keys, timestamps, unique


# revision identifiers, used by Alembic.
revision = 'im0001'
down_revision = 'r0001'

SEED = [
    ("mentors_aged_50_plus_trained", 1000),
    ("young_people_mentored", 2500),
    ("young_people_enrolled", 5200),
    ("new_branches", 3),
    ("mentor_continuation_rate", 80),
]


def upgrade():
    create_table_with_id('impact_report_changes',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_user_id', sa.Integer()),
    sa.Column('changed_by_client_id', sa.String(length=64)),
    sa.Column('figure', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Integer(), nullable=False),
    sa.Column('new_value', sa.Integer(), nullable=False),
    *foreign_keys('impact_report_changes', changed_by_user_id='users'),
    foreign_key('impact_report_changes', 'report_id', 'impact_reports', ondelete='CASCADE'),
    )
    create_indexes('impact_report_changes', 'report_id')

    targets = create_table_with_id('impact_targets',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    *timestamps(),
    unique('impact_targets', 'code')
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(targets, [
        {"code": code, "baseline": 0.0, "target": float(value), "starts_on": date(2024, 1, 1),
         "deadline": date(2027, 12, 31), "created_at": now, "updated_at": now}
        for code, value in SEED
    ])


def downgrade():
    op.drop_table('impact_targets')
    op.drop_table('impact_report_changes')
