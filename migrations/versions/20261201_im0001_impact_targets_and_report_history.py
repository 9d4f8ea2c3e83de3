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
    op.create_table('impact_report_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_client_id', sa.String(length=64), nullable=True),
    sa.Column('figure', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Integer(), nullable=False),
    sa.Column('new_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_user_id'], ['users.id'], name=op.f('fk_impact_report_changes_changed_by_user_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['impact_reports.id'], name=op.f('fk_impact_report_changes_report_id_impact_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_report_changes'))
    )
    with op.batch_alter_table('impact_report_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_report_changes_report_id'), ['report_id'], unique=False)

    targets = op.create_table('impact_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_targets')),
    sa.UniqueConstraint('code', name=op.f('uq_impact_targets_code'))
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(targets, [
        {"code": code, "baseline": 0.0, "target": float(value), "starts_on": date(2024, 1, 1),
         "deadline": date(2027, 12, 31), "created_at": now, "updated_at": now}
        for code, value in SEED
    ])


def downgrade():
    op.drop_table('impact_targets')
    with op.batch_alter_table('impact_report_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_report_changes_report_id'))
    op.drop_table('impact_report_changes')
