"""project packs full-text search: public_text, an FTS5 table kept in step by triggers (SQLite), a GIN index (PostgreSQL)

Revision ID: 0003_project_pack_search
Revises: 0002_i15_consent_wording
Create Date: 2026-12-02 05:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003_project_pack_search"
down_revision = "0002_i15_consent_wording"
branch_labels = None
depends_on = None

# Every row both ways: English stemmed ("gardens" finds "garden"), and word for word for the languages
# PostgreSQL has no configuration for (Welsh, Polish, Urdu). coproduce.search.FullTextIndex.vector_sql()
# gives the same expression, which the queries use.
PG_VECTOR = "(to_tsvector('english'::regconfig, public_text) || to_tsvector('simple'::regconfig, public_text))"
# What the public sees of a project in words (models.Project.refresh_search keeps it).
PUBLIC_FIELDS = ("title", "summary", "background", "goals", "set_in_stone", "up_for_grabs")


def upgrade():
    with op.batch_alter_table("project_pack_project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_text", sa.Text(), server_default="", nullable=False))
    joined = " || ' ' || ".join(f"coalesce({name}, '')" for name in PUBLIC_FIELDS)
    op.execute(f"UPDATE project_pack_project SET public_text = {joined}")  # nosec B608
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_project_pack_project_search ON project_pack_project USING gin ({PG_VECTOR})")
        return
    op.execute(
        "CREATE VIRTUAL TABLE project_pack_fts USING fts5(public_text, content='project_pack_project', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER project_pack_fts_insert AFTER INSERT ON project_pack_project BEGIN "
        "INSERT INTO project_pack_fts(rowid, public_text) VALUES (new.id, new.public_text); END"
    )
    op.execute(
        "CREATE TRIGGER project_pack_fts_delete AFTER DELETE ON project_pack_project BEGIN "
        "INSERT INTO project_pack_fts(project_pack_fts, rowid, public_text) VALUES ('delete', old.id, old.public_text); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER project_pack_fts_update AFTER UPDATE OF public_text ON project_pack_project BEGIN "
        "INSERT INTO project_pack_fts(project_pack_fts, rowid, public_text) VALUES ('delete', old.id, old.public_text); "
        "INSERT INTO project_pack_fts(rowid, public_text) VALUES (new.id, new.public_text); END"
    )
    op.execute("INSERT INTO project_pack_fts(project_pack_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_project_pack_project_search")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER project_pack_fts_{trigger}")
        op.execute("DROP TABLE project_pack_fts")
    with op.batch_alter_table("project_pack_project", schema=None) as batch_op:
        batch_op.drop_column("public_text")
