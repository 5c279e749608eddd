"""Words and likeness between initiatives, free of Flask: for "is it one of these?" and "similar initiatives"."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
# Words too common in initiative names to tell two apart.
COMMON = frozenset(
    "the and for with our your group club community project centre center local people free from this that "
    "you all are who what".split()
)


def words(text: str) -> set[str]:
    return {w for w in WORD.findall((text or "").lower()) if w not in COMMON}


def likeness(a: set[str], b: set[str]) -> float:
    """Jaccard likeness of two word sets, 0 to 1."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def ranked(target: set[str], candidates, key, limit: int = 5, at_least: float = 0.15) -> list:
    """The candidates most like the target words, best first, above a floor."""
    scored = [(likeness(target, key(c)), c) for c in candidates]
    scored = [pair for pair in scored if pair[0] >= at_least]
    scored.sort(key=lambda pair: -pair[0])
    return [c for _, c in scored[:limit]]
