"""initiatives: an index covering the map's grouping of points

Revision ID: 0003_initiatives_map_index
Revises: 0002_initiatives_search
Create Date: 2026-12-01 23:25:00

"""

from alembic import op

revision = "0003_initiatives_map_index"
down_revision = "0002_initiatives_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_initiatives_initiative_team_status_point",
        "initiatives_initiative",
        ["team_id", "status", "lon", "lat"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_initiatives_initiative_team_status_point", table_name="initiatives_initiative")
