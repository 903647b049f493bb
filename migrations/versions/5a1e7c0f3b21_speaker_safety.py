"""speaker safety: consent, public naming, emergency contact, name timing, check-ins

Revision ID: 5a1e7c0f3b21
Revises: 8f3b2c6d1e57
Create Date: 2026-11-26 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1e7c0f3b21'
down_revision = '8f3b2c6d1e57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_consent', sa.String(length=20), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('recording_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('livestream_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('public_naming', sa.String(length=20), nullable=False, server_default='display-name'))
        batch_op.add_column(sa.Column('first_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('pseudonym', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('emergency_contact', sa.String(length=500), nullable=False, server_default=''))

    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_shown_days_before', sa.Integer(), nullable=True))

    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_check_in_assignment_id_assignment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('missed_check_in_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_missed_check_in_alert_assignment_id_assignment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_missed_check_in_alert')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_missed_check_in_alert_assignment_id'))
    )


def downgrade():
    op.drop_table('missed_check_in_alert')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_assignment_id'))
    op.drop_table('check_in')

    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.drop_column('name_shown_days_before')

    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.drop_column('emergency_contact')
        batch_op.drop_column('pseudonym')
        batch_op.drop_column('first_name')
        batch_op.drop_column('public_naming')
        batch_op.drop_column('livestream_consent')
        batch_op.drop_column('recording_consent')
        batch_op.drop_column('photo_consent')
