"""dummy plugin notes

Revision ID: 0001_dummy
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_dummy"
down_revision = None
branch_labels = ("dummy_plugin",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "dummy_plugin_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_dummy_plugin_note_author_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_dummy_plugin_note_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dummy_plugin_note")),
    )
    with op.batch_alter_table("dummy_plugin_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dummy_plugin_note_team_id"), ["team_id"], unique=False)


def downgrade():
    op.drop_table("dummy_plugin_note")
