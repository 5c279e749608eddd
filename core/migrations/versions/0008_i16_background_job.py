"""background jobs: PDF builds, large exports and imports run by the worker

Revision ID: 0005_i16_background_job
Revises: 0004_i16_notifications
Create Date: 2026-12-02

"""

from alembic import op
import sqlalchemy as sa

revision = "0005_i16_background_job"
down_revision = "0004_i16_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "background_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("input_key", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_mime", sa.String(length=120), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("link_text", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_background_job_team_id_team"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_background_job_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_job")),
        sa.UniqueConstraint("token", name=op.f("uq_background_job_token")),
    )
    with op.batch_alter_table("background_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_background_job_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_background_job_finished_at"), ["finished_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_background_job_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_background_job_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("background_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_background_job_user_id"))
        batch_op.drop_index(batch_op.f("ix_background_job_status"))
        batch_op.drop_index(batch_op.f("ix_background_job_finished_at"))
        batch_op.drop_index(batch_op.f("ix_background_job_created_at"))
    op.drop_table("background_job")
