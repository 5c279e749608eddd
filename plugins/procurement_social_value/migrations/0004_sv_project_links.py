"""procurement_social_value: commitments and needs may name the team's project they belong to

Revision ID: 0004_sv_project_links
Revises: 0003_sv_proxy_history
Create Date: 2026-12-02 05:00:00

A plain integer: projects belong to another plugin (project packs), so there is no foreign key; the plugin
checks the id against the team's own projects (the project_choices hook) when it is chosen.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_sv_project_links"
down_revision = "0003_sv_proxy_history"
branch_labels = None
depends_on = None

P = "procurement_social_value_"


def upgrade():
    for table in ("commitment", "need"):
        with op.batch_alter_table(P + table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{P}{table}_project_id"), ["project_id"], unique=False)


def downgrade():
    for table in ("need", "commitment"):
        with op.batch_alter_table(P + table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{P}{table}_project_id"))
            batch_op.drop_column("project_id")
