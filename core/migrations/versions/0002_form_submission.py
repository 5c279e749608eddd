"""one-time keys of public forms

Revision ID: 0002_core
Revises: 0001_core
Create Date: 2026-11-30

"""

from alembic import op
import sqlalchemy as sa

revision = "0002_core"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submission",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=500), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_form_submission")),
    )
    with op.batch_alter_table("form_submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_submission_received_at"), ["received_at"], unique=False)


def downgrade():
    with op.batch_alter_table("form_submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submission_received_at"))
    op.drop_table("form_submission")
