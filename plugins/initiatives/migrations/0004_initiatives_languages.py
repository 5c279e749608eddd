"""initiatives in every language: translations and content_language on initiatives and themes

Revision ID: 0004_initiatives_languages
Revises: 0003_initiatives_map_index
Create Date: 2026-12-02 08:30:00

Existing rows are stamped with the site's default language, except what residents sent through the
public form (they hold an edit link): those were written in the page's language, kept in `locale`.
"""

import sqlalchemy as sa
from alembic import op

from coproduce.plugins import CONTENT_LANGUAGES, add_translation_columns

revision = "0004_initiatives_languages"
down_revision = "0003_initiatives_map_index"
branch_labels = None
depends_on = None

TABLES = ("initiatives_initiative", "initiatives_theme")


def upgrade():
    for table in TABLES:
        add_translation_columns(op, table)
    op.execute(
        sa.text(
            "UPDATE initiatives_initiative SET content_language = locale "
            "WHERE edit_token_hash IS NOT NULL AND locale IN :languages"
        ).bindparams(sa.bindparam("languages", value=list(CONTENT_LANGUAGES), expanding=True))
    )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("content_language")
            batch.drop_column("translations")
