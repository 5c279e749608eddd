"""Team-written text in every language: assessments' titles, initiatives and own groups; questions' wording

Revision ID: 0003_readiness_i18_content_lang
Revises: 0002_i14_rules
Create Date: 2026-12-02 08:00:00

Existing assessments and adapted questionnaires are in the site's default language. A team's snapshot
of the standard questionnaire holds the standard's English wording (the catalogs translate it). An
assessment's own groups (ids "other-<n>" in `groups`) get their names, one on each line, in the new
`other_groups` column, which holds them in every language from now on.
"""

import json

import sqlalchemy as sa
from alembic import op

from coproduce.plugins import add_translation_columns

revision = "0003_readiness_i18_content_lang"  # unique among every branch, within 32 characters
down_revision = "0002_i14_rules"
branch_labels = None
depends_on = None

TABLES = ("consultation_vs_coproduction_assessment", "consultation_vs_coproduction_version")


def upgrade():
    for table in TABLES:
        add_translation_columns(op, table)
    version = sa.table(
        "consultation_vs_coproduction_version",
        sa.column("is_standard", sa.Boolean),
        sa.column("content_language", sa.String),
    )
    op.execute(sa.update(version).where(version.c.is_standard.is_(True)).values(content_language="en"))
    with op.batch_alter_table("consultation_vs_coproduction_assessment") as batch:
        batch.add_column(sa.Column("other_groups", sa.Text(), nullable=True))
    assessment = sa.table(
        "consultation_vs_coproduction_assessment",
        sa.column("id", sa.Integer),
        sa.column("groups", sa.JSON),
        sa.column("other_groups", sa.Text),
    )
    bind = op.get_bind()
    for aid, groups in bind.execute(sa.select(assessment.c.id, assessment.c.groups)):
        groups = json.loads(groups) if isinstance(groups, str) else list(groups or [])
        names = [g.get("label", "") for g in groups if str(g.get("id", "")).startswith("other-")]
        if names:
            bind.execute(sa.update(assessment).where(assessment.c.id == aid).values(other_groups="\n".join(names)))


def downgrade():
    with op.batch_alter_table("consultation_vs_coproduction_assessment") as batch:
        batch.drop_column("other_groups")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("content_language")
            batch.drop_column("translations")
