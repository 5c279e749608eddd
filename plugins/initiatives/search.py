"""Full-text search over initiatives, through core's FullTextIndex: SQLite FTS5 (the initiatives_fts table, kept
in step by triggers) or PostgreSQL's text search (a GIN index; English stemmed, other languages word for word).
Both are made by migrations/0002_initiatives_search.py."""

from __future__ import annotations

from coproduce.plugins import FullTextIndex, index_drives

INDEX = FullTextIndex(table="initiatives_initiative", fts="initiatives_fts", locale_column="locale")

__all__ = ["INDEX", "index_drives", "matches"]


def matches(text: str, any_word: bool = False):
    """A condition on initiatives: the text's words are found (every word, or any word)."""
    from coproduce_plugins.initiatives.models import Initiative

    return INDEX.matches(Initiative.id, text, any_word)
