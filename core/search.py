"""Full-text search with the database's own engine, for any plugin's table: SQLite FTS5 or PostgreSQL's text search.

A plugin keeps one text column of what may be found (`search_text`, say) and makes its index in a migration
(written out there, since revisions never import coproduce):

- SQLite: a table `<name>_fts` using fts5, an external-content table over the plugin's table
  (`content='<table>', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'`), kept in step by
  triggers after insert, delete and update of the column;
- PostgreSQL: a GIN index `ix_<table>_search` on exactly `FullTextIndex.vector_sql()`.

`FullTextIndex.matches(text)` is then a condition on the table's rows. Whatever a person types, the query is
built from the words in it only (at most 12, of 3 letters or more, each quoted), so quotes, `NEAR`, `*`, brackets
or 10 KB of text give results or none, never an error.

Languages: PostgreSQL stems the languages it has a configuration for (of ours, English only: it has none for
Welsh, Polish or Urdu); other text is matched word for word ('simple'). A table with a locale column picks the
configuration per row; one without indexes each row both ways, stemmed English and word for word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from coproduce.extensions import db

#: A word: letters or digits of any script, 3 or more (a longer run than 60 is no word anyone searches for).
WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
LONGEST_WORD = 60
#: PostgreSQL's text search configuration for each locale that has one; others are matched word for word.
PG_CONFIGS = {"en": "english"}
#: Words the engines read as operators; here they are dropped.
OPERATORS = frozenset({"OR", "AND", "NOT"})
MOST_WORDS = 12
MOST_CHARACTERS = 1000


def search_terms(text: str | None) -> list[str]:
    """At most 12 distinct lower-case words of 3 letters or more from the text; operators are dropped."""
    found = WORD.findall((text or "")[:MOST_CHARACTERS])
    kept = (w.lower() for w in found if len(w) <= LONGEST_WORD and w.upper() not in OPERATORS)
    return list(dict.fromkeys(kept))[:MOST_WORDS]


def fts5_query(words: list[str], any_word: bool = False) -> str:
    """An FTS5 query: each word quoted (so nothing is an operator) and matched as a prefix."""
    quoted = ['"' + w.replace('"', '""') + '"*' for w in words]
    return (" OR " if any_word else " ").join(quoted)


def _regconfig(name: str) -> str:
    return f"'{name}'::regconfig"


@dataclass(frozen=True)
class FullTextIndex:
    """The full-text index of one table: `table` (its id is the FTS rowid), the `column` searched, the FTS5
    table `fts` (SQLite), and optionally a `locale_column` holding each row's language."""

    table: str
    fts: str
    column: str = "search_text"
    locale_column: str | None = None

    def vector_sql(self) -> str:
        """The PostgreSQL expression the GIN index is built on (a migration must use exactly this)."""
        if self.locale_column:
            cases = " ".join(
                f"WHEN {self.locale_column} = '{locale}' THEN {_regconfig(config)}"
                for locale, config in sorted(PG_CONFIGS.items())
            )
            config = f"CASE {cases} ELSE {_regconfig('simple')} END"
            return f"to_tsvector({config}, {self.column})"
        stemmed = " || ".join(f"to_tsvector({_regconfig(c)}, {self.column})" for c in sorted(set(PG_CONFIGS.values())))
        return f"({stemmed} || to_tsvector({_regconfig('simple')}, {self.column}))"

    def _qualified_vector(self):
        sql = self.vector_sql()
        for name in filter(None, (self.column, self.locale_column)):
            sql = re.sub(rf"(?<![\w.']){name}(?![\w'])", f"{self.table}.{name}", sql)
        return sa.literal_column(sql)

    def matches(self, id_column, text: str | None, any_word: bool = False):
        """A condition on the table's rows (`id_column` is its primary key): the text's words are found, every
        word (or any word). No words at all: every row (or none, with any_word)."""
        words = search_terms(text)
        if not words:
            return sa.false() if any_word else sa.true()
        if db.session.get_bind().dialect.name == "postgresql":
            joined = " or ".join(words) if any_word else " ".join(words)
            configs = [*sorted(set(PG_CONFIGS.values())), "simple"]
            queries = [sa.func.websearch_to_tsquery(sa.literal_column(_regconfig(c)), joined) for c in configs]
            combined: sa.ColumnElement = queries[0]
            for more in queries[1:]:
                combined = combined.op("||")(more)
            return self._qualified_vector().op("@@")(combined)
        fts = sa.table(self.fts, sa.column("rowid"))
        found = (
            sa.select(fts.c.rowid)
            .select_from(fts)
            .where(sa.literal_column(self.fts).op("MATCH")(fts5_query(words, any_word)))
        )
        return id_column.in_(found)


def index_drives() -> bool:
    """True on SQLite, where a query should let the FTS5 matches drive it (set the table's other indexes aside,
    with a coalesce on the team column); PostgreSQL's planner combines the GIN index with the others itself."""
    return db.session.get_bind().dialect.name != "postgresql"
