"""The glossary beside the catalogs (core/translations/glossary.csv): every term in every language, and the catalogs
use its words: wherever a message is exactly a glossary term (in any module, with or without a context), its
translation is the glossary's."""

from __future__ import annotations

import csv
from pathlib import Path

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "core" / "translations" / "glossary.csv"
LOCALES = ("cy", "pl", "ur")


def glossary() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def catalogs():
    for po in sorted(
        [*REPO.glob("core/translations/*/LC_MESSAGES/*.po"), *REPO.glob("plugins/*/translations/*/LC_MESSAGES/*.po")]
    ):
        with po.open("rb") as f:
            yield po.relative_to(REPO), po.parent.parent.name, read_po(f)


def test_the_glossary_has_every_term_in_every_language():
    rows = glossary()
    assert list(rows[0]) == ["en", *LOCALES, "note"]
    assert len(rows) >= 25
    terms = [row["en"] for row in rows]
    assert len(terms) == len(set(terms)), "a term is in the glossary twice"
    for row in rows:
        missing = [column for column in ("en", *LOCALES, "note") if not row[column].strip()]
        assert not missing, f"{row['en']!r} has no {', '.join(missing)}"
    for needed in ("co-production", "consultation", "set in stone", "up for grabs", "owner", "member", "social value"):
        assert needed in terms


def test_the_catalogs_use_the_glossarys_words():
    words = {row["en"].casefold(): row for row in glossary()}
    problems, checked = [], 0
    for path, locale, catalog in catalogs():
        for message in catalog:
            if not isinstance(message.id, str) or not message.string or message.id.casefold() not in words:
                continue
            checked += 1
            wanted = words[message.id.casefold()][locale]
            if message.string.casefold() != wanted.casefold():
                problems.append(f"{path}: {message.id!r} is {message.string!r}, the glossary says {wanted!r}")
    assert checked >= 60
    assert problems == [], "\n".join(problems)
