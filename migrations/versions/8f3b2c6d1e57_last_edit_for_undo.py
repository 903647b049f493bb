"""last_edit: the last hand edit of each tour's proposal, for undo

Revision ID: 8f3b2c6d1e57
Revises: 5c1e9a7d2b40
Create Date: 2026-11-26 00:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "8f3b2c6d1e57"
down_revision = "5c1e9a7d2b40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "last_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("edited_by", sa.String(length=254), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["request.id"],
            name=op.f("fk_last_edit_request_id_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["tour_id"], ["tour.id"], name=op.f("fk_last_edit_tour_id_tour")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_last_edit")),
        sa.UniqueConstraint("tour_id", name=op.f("uq_last_edit_tour_id")),
    )


def downgrade():
    op.drop_table("last_edit")
