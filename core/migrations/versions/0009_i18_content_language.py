"""team-written text in every language: the language of the team's own name and description

Revision ID: 0006_i18_content_language
Revises: 0005_i16_background_job
Create Date: 2026-12-02

"""

from alembic import op

from coproduce.content import add_translation_columns

revision = "0006_i18_content_language"
down_revision = "0005_i16_background_job"
branch_labels = None
depends_on = None


def upgrade():
    # The team table has had its `translations` column from the start; existing names and
    # descriptions are in the site's default language.
    add_translation_columns(op, "team", translations=False)


def downgrade():
    with op.batch_alter_table("team") as batch:
        batch.drop_column("content_language")
