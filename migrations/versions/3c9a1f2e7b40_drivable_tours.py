"""drivable tours: same-day clock, home base, weekly driving cap, speakers' own pace

Revision ID: 3c9a1f2e7b40
Revises: 5a1e7c0f3b21
Create Date: 2026-11-26 00:10:00

Existing tours get the format's defaults and no weekly cap (what they were solved with);
existing speakers keep the tour's pace.
"""
from alembic import op
import sqlalchemy as sa


revision = '3c9a1f2e7b40'
down_revision = '5a1e7c0f3b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.add_column(sa.Column('same_day_km', sa.Double(), nullable=False, server_default='100'))
        batch_op.add_column(sa.Column('same_day_speed_kmh', sa.Double(), nullable=False, server_default='50'))
        batch_op.add_column(sa.Column('turnaround_minutes', sa.Integer(), nullable=False, server_default='45'))
        batch_op.add_column(sa.Column('travel_from_home', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('max_km_per_week', sa.Double(), nullable=True))

    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_events_per_week', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_consecutive_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_km_per_week', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('uncapped', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.drop_column('uncapped')
        batch_op.drop_column('max_km_per_week')
        batch_op.drop_column('max_consecutive_days')
        batch_op.drop_column('max_events_per_week')

    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.drop_column('max_km_per_week')
        batch_op.drop_column('travel_from_home')
        batch_op.drop_column('turnaround_minutes')
        batch_op.drop_column('same_day_speed_kmh')
        batch_op.drop_column('same_day_km')
