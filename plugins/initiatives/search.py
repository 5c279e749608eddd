"""Full-text search over initiatives. For now: every word (or any word) found in the lower-cased search text."""

from __future__ import annotations

from coproduce.plugins import db
from coproduce_plugins.initiatives.similar import WORD


def terms(text: str) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in WORD.findall(text or "") if w.upper() != "OR"))[:12]


def matching_ids(team_id: int, text: str, any_word: bool = False):
    """A select of the ids of the team's initiatives matching the text."""
    from coproduce_plugins.initiatives.models import Initiative

    found = terms(text)
    query = db.select(Initiative.id).where(Initiative.team_id == team_id)
    if not found:
        return query.where(db.false()) if any_word else query
    conditions = [Initiative.search_text.contains(w, autoescape=True) for w in found]
    return query.where(db.or_(*conditions) if any_word else db.and_(*conditions))
