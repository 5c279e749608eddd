"""consents: the wording version each was given to, and when names went on the public page

Revision ID: 0002_i15_consent_wording
Revises: 0001_project_pack
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

revision = "0002_i15_consent_wording"
down_revision = "0001_project_pack"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("project_pack_contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_wording", sa.String(length=40), nullable=True))
    with op.batch_alter_table("project_pack_offer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_wording", sa.String(length=40), nullable=True))
    with op.batch_alter_table("project_pack_project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owners_public_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("owners_public_wording", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("project_pack_project", schema=None) as batch_op:
        batch_op.drop_column("owners_public_wording")
        batch_op.drop_column("owners_public_at")
    with op.batch_alter_table("project_pack_offer", schema=None) as batch_op:
        batch_op.drop_column("consent_wording")
    with op.batch_alter_table("project_pack_contact", schema=None) as batch_op:
        batch_op.drop_column("consent_wording")
