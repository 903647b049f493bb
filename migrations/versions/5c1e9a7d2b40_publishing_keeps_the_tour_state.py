"""publishing keeps the tour's state: a tour once set to "published" is open again

Publishing used to set a tour's state to "published", which closed it to requests before its
deadline. Taking requests now follows the state (open) and the deadline only, and whether a
schedule was published is its versions; such tours become "open", their deadline still applies.

Revision ID: 5c1e9a7d2b40
Revises: 107d35c30bb8
Create Date: 2026-11-26 00:05:00

"""
from alembic import op


revision = "5c1e9a7d2b40"
down_revision = "107d35c30bb8"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE tour SET state = 'open' WHERE state = 'published'")


def downgrade():
    # Which open tours had been "published" is not kept; the old state is not restored.
    pass
