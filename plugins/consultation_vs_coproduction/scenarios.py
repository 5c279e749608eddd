"""Scenario cards for the sorting exercise: load, validate and mark. Flask-free.

People sort each card into informing, consulting or co_producing; score_sort marks the
sort. Problems raise ScenarioError (a QuestionnaireError), one line naming the file and
line: "scenarios.toml line 57: card "park-drawings" has answer ...".
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .questionnaire import QuestionnaireError
from .toml_rules import Checker, Message, as_plain_dict, extract_toml_texts, iter_texts, read_toml

CHOICES = ("informing", "consulting", "co_producing")
STANDARD_PATH = Path(__file__).with_name("scenarios.toml")
MIN_CARDS = 3


class ScenarioError(QuestionnaireError):
    """A scenario deck (file or stored copy) that breaks the rules. str() is one line."""


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    description: str
    easy_read: str


@dataclass(frozen=True)
class Card:
    id: str
    answer: str
    text: str
    easy_read: str
    why: str


@dataclass(frozen=True)
class Deck:
    version: str
    title: str
    intro: str
    easy_read_intro: str
    choices: tuple[Choice, ...]
    cards: tuple[Card, ...]

    def card(self, card_id: str) -> Card:
        return next(c for c in self.cards if c.id == card_id)


@dataclass(frozen=True)
class CardResult:
    card_id: str
    chosen: str | None  # None when the card was not sorted
    answer: str
    correct: bool
    why: str


@dataclass(frozen=True)
class SortSummary:
    right: int
    answered: int
    total: int
    cards: tuple[CardResult, ...]  # in deck order

    @property
    def wrong(self) -> tuple[CardResult, ...]:
        """Cards sorted into the wrong pile (unsorted cards are not included)."""
        return tuple(c for c in self.cards if c.chosen is not None and not c.correct)


def _build(data: Any, c: Checker) -> Deck:
    c.table(data, (), "the scenarios", ("version", "title", "intro", "easy_read_intro", "choices", "cards"))
    texts = c.texts(data, (), "the scenarios", "version", "title", "intro", "easy_read_intro")
    choices = []
    for i, raw in enumerate(c.array(data, "choices", (), "the scenarios", len(CHOICES), len(CHOICES))):
        path, what = ("choices", i), f"choice {i + 1}"
        c.table(raw, path, what, ("id", "label", "description", "easy_read"))
        if raw["id"] != CHOICES[i]:
            c.fail(
                path + ("id",),
                f'{what} has id {raw["id"]!r}, expected "{CHOICES[i]}" (choices: {", ".join(CHOICES)}, in that order)',
            )
        choices.append(
            Choice(raw["id"], *c.texts(raw, path, f'choice "{raw["id"]}"', "label", "description", "easy_read"))
        )
    cards, seen = [], {}
    for i, raw in enumerate(c.array(data, "cards", (), "the scenarios", MIN_CARDS)):
        path = ("cards", i)
        what = c.name(raw, path, "card")
        c.table(raw, path, what, ("id", "answer", "text", "easy_read", "why"))
        c.ident(raw, path, "card", "", seen, "an earlier card")
        if raw["answer"] not in CHOICES:
            c.fail(path + ("answer",), f'{what} has answer "{raw["answer"]}", allowed: {", ".join(CHOICES)}')
        cards.append(Card(raw["id"], raw["answer"], *c.texts(raw, path, what, "text", "easy_read", "why")))
    for choice in CHOICES:
        if not any(card.answer == choice for card in cards):
            c.fail(("cards",), f'no card has the answer "{choice}": every pile needs at least one card')
    return Deck(*texts, tuple(choices), tuple(cards))


def parse_deck(text: str, source: str = "scenarios.toml") -> Deck:
    """Validate TOML text; errors name `source` and the line."""
    data, lines = read_toml(text, source, ScenarioError)
    return _build(data, Checker(source, lines, ScenarioError))


def load_deck(path: str | Path = STANDARD_PATH) -> Deck:
    """Read and validate a scenario file (the standard one by default)."""
    return parse_deck(Path(path).read_text(encoding="utf-8"), str(path))


@functools.cache
def standard_deck() -> Deck:
    """The bundled standard deck, loaded once per process."""
    return load_deck(STANDARD_PATH)


def deck_from_dict(data: dict, source: str = "stored scenarios") -> Deck:
    """Validate a stored (JSON) copy with the same rules as the file."""
    return _build(data, Checker(source, None, ScenarioError))


def deck_to_dict(deck: Deck) -> dict:
    """A plain, JSON-ready dict in the file's shape; deck_from_dict reverses it."""
    return as_plain_dict(deck)


def score_sort(answers: Mapping[str, str | None], deck: Deck | None = None) -> SortSummary:
    """Mark a sort: answers is {card id: chosen pile}; a missing card, None or "" is unsorted.
    An unknown card id or pile raises ValueError."""
    deck = deck or standard_deck()
    ids = {card.id for card in deck.cards}
    unknown = sorted(set(answers) - ids)
    if unknown:
        raise ValueError(f"unknown cards: {', '.join(unknown)}")
    results = []
    for card in deck.cards:
        chosen = answers.get(card.id) or None
        if chosen is not None and chosen not in CHOICES:
            raise ValueError(f'card "{card.id}": "{chosen}" is not one of {", ".join(CHOICES)}')
        results.append(CardResult(card.id, chosen, card.answer, chosen == card.answer, card.why))
    return SortSummary(
        right=sum(r.correct for r in results),
        answered=sum(r.chosen is not None for r in results),
        total=len(results),
        cards=tuple(results),
    )


def iter_messages(deck: Deck) -> Iterator[Message]:
    """Every translatable text of a deck: (text, comment, path) tuples."""
    yield from iter_texts(deck_to_dict(deck))


def extract_scenarios(fileobj, keywords, comment_tags, options):
    """Babel extraction method for scenarios.toml, used like extract_questionnaire:

    [coproduce_plugins.consultation_vs_coproduction.scenarios.extract_scenarios: **/scenarios.toml]
    """
    yield from extract_toml_texts(fileobj, parse_deck, getattr(fileobj, "name", "scenarios.toml"))
