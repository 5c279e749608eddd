"""procurement_social_value: contracts can be archived instead of deleted

Revision ID: 0002_sv_contract_archived
Revises: 0001_procurement_social_value
Create Date: 2026-12-01 23:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002_sv_contract_archived"
down_revision = "0001_procurement_social_value"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("procurement_social_value_contract") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("procurement_social_value_contract") as batch:
        batch.drop_column("archived_at")
