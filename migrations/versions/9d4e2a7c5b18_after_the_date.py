"""after the date is set: advances, event reports, reminders sent, tour result settings

Revision ID: 9d4e2a7c5b18
Revises: 3c9a1f2e7b40
Create Date: 2026-11-26 00:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9d4e2a7c5b18'
down_revision = '3c9a1f2e7b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tour') as batch_op:
        batch_op.add_column(sa.Column('advance_reminder_days', sa.String(length=50),
                                      nullable=False, server_default='14,5'))
        batch_op.add_column(sa.Column('cost_per_rescue_usd', sa.Integer(), nullable=False,
                                      server_default='3000'))
    op.create_table(
        'event_advance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('host_name', sa.String(length=200), nullable=False),
        sa.Column('host_phone', sa.String(length=50), nullable=False),
        sa.Column('building', sa.String(length=200), nullable=False),
        sa.Column('room', sa.String(length=100), nullable=False),
        sa.Column('arrival_time', sa.Time(), nullable=True),
        sa.Column('setup_time', sa.Time(), nullable=True),
        sa.Column('projector', sa.Boolean(), nullable=False),
        sa.Column('microphone', sa.Boolean(), nullable=False),
        sa.Column('captions', sa.Boolean(), nullable=False),
        sa.Column('parking', sa.Text(), nullable=False),
        sa.Column('accessibility', sa.Text(), nullable=False),
        sa.Column('interpreter', sa.String(length=10), nullable=False),
        sa.Column('lodging', sa.String(length=20), nullable=False),
        sa.Column('meals', sa.Text(), nullable=False),
        sa.Column('expected_audience', sa.Integer(), nullable=True),
        sa.Column('consent_acknowledged', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id'),
    )
    op.create_table(
        'event_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=30), nullable=False),
        sa.Column('attendance', sa.Integer(), nullable=False),
        sa.Column('funds_cents', sa.Integer(), nullable=False),
        sa.Column('signups', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id'),
    )
    op.create_table(
        'reminder_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=30), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['request.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id', 'step'),
    )


def downgrade():
    op.drop_table('reminder_sent')
    op.drop_table('event_report')
    op.drop_table('event_advance')
    with op.batch_alter_table('tour') as batch_op:
        batch_op.drop_column('cost_per_rescue_usd')
        batch_op.drop_column('advance_reminder_days')
