"""accounts prove their email address before they do anything

Revision ID: 0003_i13a_email_confirmed
Revises: 0002_core
Create Date: 2026-12-01

"""

from alembic import op
import sqlalchemy as sa

revision = "0003_i13a_email_confirmed"
down_revision = "0002_core"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True))
    # Accounts that exist already were made by a site admin, the command line or the demo: confirmed.
    user = sa.table("user", sa.column("created_at", sa.DateTime(timezone=True)), sa.column("email_confirmed_at"))
    op.execute(user.update().values(email_confirmed_at=user.c.created_at))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("email_confirmed_at")
