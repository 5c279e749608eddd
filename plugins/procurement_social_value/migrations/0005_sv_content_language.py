"""procurement_social_value in every language: translations and content_language on what the public reads

Revision ID: 0005_sv_content_language
Revises: 0004_sv_project_links
Create Date: 2026-12-02 08:00:00

Contracts' titles, commitments' descriptions, measures' titles and units, and needs' titles and
descriptions. Existing rows are stamped with the site's default language.
"""

from alembic import op

from coproduce.plugins import add_translation_columns

revision = "0005_sv_content_language"
down_revision = "0004_sv_project_links"
branch_labels = None
depends_on = None

P = "procurement_social_value_"
TABLES = ("measure", "contract", "commitment", "need")


def upgrade():
    for table in TABLES:
        add_translation_columns(op, P + table)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(P + table) as batch:
            batch.drop_column("content_language")
            batch.drop_column("translations")
