"""Full-text search over initiatives with the database's own engine: SQLite FTS5 (the initiatives_fts table,
kept in step by triggers) or PostgreSQL's text search (a GIN index; English stemmed, other languages word for
word). Both are made by migrations/0002_initiatives_search.py."""

from __future__ import annotations

import sqlalchemy as sa

from coproduce.plugins import db
from coproduce_plugins.initiatives.similar import WORD

PG_VECTOR = sa.literal_column(
    "to_tsvector(CASE WHEN initiatives_initiative.locale = 'en' THEN 'english'::regconfig "
    "ELSE 'simple'::regconfig END, initiatives_initiative.search_text)"
)


def terms(text: str) -> list[str]:
    """At most 12 distinct words of 3 letters or more; FTS operators are plain words here."""
    return list(dict.fromkeys(w.lower() for w in WORD.findall(text or "") if w.upper() not in ("OR", "AND", "NOT")))[
        :12
    ]


def fts5_query(found: list[str], any_word: bool) -> str:
    """Each word quoted (so nothing is an operator) and matched as a prefix."""
    quoted = ['"' + w.replace('"', '""') + '"*' for w in found]
    return (" OR " if any_word else " ").join(quoted)


def matches(text: str, any_word: bool = False):
    """A condition on initiatives: the text's words are found (every word, or any word)."""
    from coproduce_plugins.initiatives.models import Initiative

    found = terms(text)
    if not found:
        return sa.false() if any_word else sa.true()
    if db.session.get_bind().dialect.name == "postgresql":
        joined = " or ".join(found) if any_word else " ".join(found)
        tsquery = sa.func.websearch_to_tsquery(sa.literal_column("'english'::regconfig"), joined).op("||")(
            sa.func.websearch_to_tsquery(sa.literal_column("'simple'::regconfig"), joined)
        )
        return PG_VECTOR.op("@@")(tsquery)
    fts = sa.table("initiatives_fts", sa.column("rowid"))
    matched = (
        sa.select(fts.c.rowid)
        .select_from(fts)
        .where(sa.literal_column("initiatives_fts").op("MATCH")(fts5_query(found, any_word)))
    )
    return Initiative.id.in_(matched)


def index_drives() -> bool:
    """On SQLite the FTS5 matches should drive the query (so the team's own indexes are set aside with a
    coalesce); PostgreSQL's planner combines the GIN index with the others itself."""
    return db.session.get_bind().dialect.name != "postgresql"
