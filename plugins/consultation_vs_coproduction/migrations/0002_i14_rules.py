"""Store the scoring rules with each response; give adapted questionnaires their own version name

Revision ID: 0002_i14_rules
Revises: 0001_readiness
Create Date: 2026-12-01 23:00:00

Responses made before this revision were all scored under the first rules (1). Adapted copies made
before it kept the standard version's name in their data (copy_version's rename was never saved), so
their exports named the wrong version: each gets the name it should have had, "team-<team>-<id>".
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002_i14_rules"
down_revision = "0001_readiness"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation_vs_coproduction_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules", sa.Integer(), server_default="1", nullable=False))
    version = sa.table(
        "consultation_vs_coproduction_version",
        sa.column("id", sa.Integer),
        sa.column("team_id", sa.Integer),
        sa.column("is_standard", sa.Boolean),
        sa.column("data", sa.JSON),
    )
    bind = op.get_bind()
    for vid, team_id, data in bind.execute(
        sa.select(version.c.id, version.c.team_id, version.c.data).where(version.c.is_standard.is_(False))
    ):
        data = json.loads(data) if isinstance(data, str) else dict(data or {})
        wanted = f"team-{team_id}-{vid}"
        if data.get("version") != wanted:
            data["version"] = wanted
            bind.execute(sa.update(version).where(version.c.id == vid).values(data=data))


def downgrade():
    with op.batch_alter_table("consultation_vs_coproduction_response", schema=None) as batch_op:
        batch_op.drop_column("rules")
