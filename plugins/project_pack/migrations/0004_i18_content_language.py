"""project packs in every language: translations and content_language on what the public reads

Revision ID: 0004_i18_content_language
Revises: 0003_project_pack_search
Create Date: 2026-12-02

"""

from alembic import op

from coproduce.plugins import add_translation_columns

revision = "0004_i18_content_language"
down_revision = "0003_project_pack_search"
branch_labels = None
depends_on = None

TABLES = (
    "project_pack_project",
    "project_pack_document",
    "project_pack_skill_need",
    "project_pack_log_entry",
    "project_pack_criterion",
    "project_pack_evidence",
)


def upgrade():
    # Existing text is in the site's default language; other languages come as teams write them.
    for table in TABLES:
        add_translation_columns(op, table)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("content_language")
            batch.drop_column("translations")
