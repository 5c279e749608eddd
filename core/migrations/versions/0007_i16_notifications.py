"""notification choices and the waiting items each person was told about

Revision ID: 0004_i16_notifications
Revises: 0003_i16_outgoing_mail
Create Date: 2026-12-01

"""

from alembic import op
import sqlalchemy as sa

revision = "0004_i16_notifications"
down_revision = "0003_i16_outgoing_mail"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_choice",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_choice_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_choice")),
    )
    op.create_table(
        "waiting_notice",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item_url", sa.String(length=500), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_waiting_notice_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "item_url", name=op.f("pk_waiting_notice")),
    )
    with op.batch_alter_table("waiting_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waiting_notice_sent_at"), ["sent_at"], unique=False)


def downgrade():
    with op.batch_alter_table("waiting_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waiting_notice_sent_at"))
    op.drop_table("waiting_notice")
    op.drop_table("notification_choice")
