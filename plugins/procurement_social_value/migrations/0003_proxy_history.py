"""procurement_social_value: proxy values with a source and a date they apply from; values kept per report

Revision ID: 0003_sv_proxy_history
Revises: 0002_sv_contract_archived
Create Date: 2026-12-01 23:30:00

Each measure's current proxy value becomes the first entry of its history, applying from the start
(1 January 1900), so every figure keeps the value it had before the upgrade. The values kept on
reports and commitments are then worked out as store.refresh_sums does.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_sv_proxy_history"
down_revision = "0002_sv_contract_archived"
branch_labels = None
depends_on = None

P = "procurement_social_value_"


def upgrade():
    op.create_table(
        P + "proxy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("pence", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("applies_from", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["measure_id"], [P + "measure.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(P + "proxy_measure_from", P + "proxy", ["measure_id", "applies_from"], unique=False)
    op.create_index(op.f("ix_" + P + "proxy_team_id"), P + "proxy", ["team_id"], unique=False)
    with op.batch_alter_table(P + "commitment") as batch:
        batch.add_column(sa.Column("committed_pence", sa.BigInteger(), server_default="0", nullable=False))
        batch.add_column(sa.Column("counted_pence", sa.BigInteger(), server_default="0", nullable=False))
        batch.add_column(sa.Column("verified_pence", sa.BigInteger(), server_default="0", nullable=False))
        batch.add_column(sa.Column("proxy_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(P + "commitment_proxy_fk", P + "proxy", ["proxy_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table(P + "report") as batch:
        batch.add_column(sa.Column("value_pence", sa.BigInteger(), server_default="0", nullable=False))
        batch.add_column(sa.Column("proxy_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(P + "report_proxy_fk", P + "proxy", ["proxy_id"], ["id"], ondelete="SET NULL")

    # History starts with today's values, applying from the start; then the kept values.
    op.execute(
        sa.text(
            f"INSERT INTO {P}proxy (team_id, measure_id, pence, source, applies_from, created_at) "  # nosec B608
            f"SELECT team_id, id, proxy_pence, 'The value held before proxy history was kept', "
            f"DATE '1900-01-01', CURRENT_TIMESTAMP FROM {P}measure"
            if op.get_bind().dialect.name != "sqlite"
            else f"INSERT INTO {P}proxy (team_id, measure_id, pence, source, applies_from, created_at) "  # nosec B608
            f"SELECT team_id, id, proxy_pence, 'The value held before proxy history was kept', "
            f"'1900-01-01', CURRENT_TIMESTAMP FROM {P}measure"
        )
    )
    first = f"(SELECT x.id FROM {P}proxy x WHERE x.measure_id = {{measure}} ORDER BY x.id LIMIT 1)"  # nosec B608
    pence = f"(SELECT x.pence FROM {P}proxy x WHERE x.id = {{proxy}})"  # nosec B608
    op.execute(
        sa.text(
            f"UPDATE {P}report SET proxy_id = "  # nosec B608
            + first.format(measure=f"(SELECT c.measure_id FROM {P}commitment c WHERE c.id = {P}report.commitment_id)")  # nosec B608
        )
    )
    op.execute(
        sa.text(
            f"UPDATE {P}report SET value_pence = "  # nosec B608
            f"COALESCE((quantity_milli * {pence.format(proxy=P + 'report.proxy_id')} + 500) / 1000, 0)"
        )
    )
    op.execute(sa.text(f"UPDATE {P}commitment SET proxy_id = " + first.format(measure=f"{P}commitment.measure_id")))  # nosec B608

    def total(states):
        return (
            f"COALESCE((SELECT SUM(r.value_pence) FROM {P}report r WHERE r.commitment_id = {P}commitment.id "  # nosec B608
            f"AND r.verification IN ({states})), 0)"
        )

    op.execute(
        sa.text(
            f"UPDATE {P}commitment SET "  # nosec B608
            f"committed_pence = COALESCE((target_milli * {pence.format(proxy=P + 'commitment.proxy_id')} + 500) / 1000, 0), "
            f"verified_pence = {total(chr(39) + 'verified' + chr(39))}, "
            f"counted_pence = {total(chr(39) + 'verified' + chr(39) + ', ' + chr(39) + 'pending' + chr(39))}"
        )
    )


def downgrade():
    with op.batch_alter_table(P + "report") as batch:
        batch.drop_constraint(P + "report_proxy_fk", type_="foreignkey")
        batch.drop_column("proxy_id")
        batch.drop_column("value_pence")
    with op.batch_alter_table(P + "commitment") as batch:
        batch.drop_constraint(P + "commitment_proxy_fk", type_="foreignkey")
        batch.drop_column("proxy_id")
        batch.drop_column("verified_pence")
        batch.drop_column("counted_pence")
        batch.drop_column("committed_pence")
    op.drop_index(op.f("ix_" + P + "proxy_team_id"), table_name=P + "proxy")
    op.drop_index(P + "proxy_measure_from", table_name=P + "proxy")
    op.drop_table(P + "proxy")
