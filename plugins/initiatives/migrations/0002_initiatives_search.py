"""initiatives full-text search: an FTS5 table kept in step by triggers (SQLite), a GIN index (PostgreSQL)

Revision ID: 0002_initiatives_search
Revises: 0001_initiatives
Create Date: 2026-12-01 22:55:00

"""

from alembic import op

revision = "0002_initiatives_search"
down_revision = "0001_initiatives"
branch_labels = None
depends_on = None

# English text is stemmed ("repairs" finds "repair"); other languages are matched word for word.
PG_VECTOR = "to_tsvector(CASE WHEN locale = 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END, search_text)"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_initiatives_initiative_search ON initiatives_initiative USING gin ({PG_VECTOR})")
        return
    op.execute(
        "CREATE VIRTUAL TABLE initiatives_fts USING fts5(search_text, content='initiatives_initiative', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER initiatives_fts_insert AFTER INSERT ON initiatives_initiative BEGIN "
        "INSERT INTO initiatives_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER initiatives_fts_delete AFTER DELETE ON initiatives_initiative BEGIN "
        "INSERT INTO initiatives_fts(initiatives_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER initiatives_fts_update AFTER UPDATE OF search_text ON initiatives_initiative BEGIN "
        "INSERT INTO initiatives_fts(initiatives_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO initiatives_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute("INSERT INTO initiatives_fts(initiatives_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_initiatives_initiative_search")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER initiatives_fts_{trigger}")
    op.execute("DROP TABLE initiatives_fts")
