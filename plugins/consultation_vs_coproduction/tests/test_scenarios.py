"""Scenario cards: the standard deck, marking a sort, validation errors with lines, extraction."""

import io
import json
import re
import tomllib

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from coproduce_plugins.consultation_vs_coproduction.questionnaire import QuestionnaireError
from coproduce_plugins.consultation_vs_coproduction.scenarios import (
    CHOICES,
    STANDARD_PATH,
    ScenarioError,
    deck_from_dict,
    deck_to_dict,
    extract_scenarios,
    iter_messages,
    load_deck,
    parse_deck,
    score_sort,
    standard_deck,
)

TEXT = STANDARD_PATH.read_text(encoding="utf-8")
RAW = tomllib.loads(TEXT)
NON_TEXT_KEYS = {"id", "version", "answer"}


def raw_texts(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key not in NON_TEXT_KEYS:
                yield value
            else:
                yield from raw_texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from raw_texts(item)


def line_of(text, needle, after=0):
    for number, line in enumerate(text.splitlines(), 1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found after line {after}")


def replace_line(text, number, new):
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def error_for(text):
    with pytest.raises(ScenarioError) as caught:
        parse_deck(text, "scenarios.toml")
    assert isinstance(caught.value, QuestionnaireError) and "\n" not in str(caught.value)
    return caught.value, str(caught.value)


# -- the standard deck -----------------------------------------------------------------


def test_standard_deck():
    deck = standard_deck()
    assert deck == load_deck() and deck.version == "standard-1"
    assert len(deck.cards) >= 12 and len({c.id for c in deck.cards}) == len(deck.cards)
    assert [c.id for c in deck.choices] == list(CHOICES)
    counts = {choice: sum(c.answer == choice for c in deck.cards) for choice in CHOICES}
    assert min(counts.values()) >= 4, counts
    assert all(c.text and c.easy_read and c.why for c in deck.cards)


def test_dict_round_trip():
    data = deck_to_dict(standard_deck())
    assert json.loads(json.dumps(data)) == data and deck_from_dict(data) == standard_deck()


# -- marking a sort ---------------------------------------------------------------------


def test_all_right():
    deck = standard_deck()
    summary = score_sort({c.id: c.answer for c in deck.cards})
    assert (summary.right, summary.answered, summary.total) == (len(deck.cards),) * 3
    assert all(r.correct for r in summary.cards) and summary.wrong == ()


def test_some_wrong_some_unsorted():
    answers = {
        "bin-day-letter": "informing",
        "library-options": "co_producing",
        "park-drawings": "consulting",
        "youth-budget": "",
        "peer-support": None,
    }
    summary = score_sort(answers)
    assert (summary.right, summary.answered, summary.total) == (2, 3, 15)
    assert [r.card_id for r in summary.wrong] == ["library-options"]
    library = next(r for r in summary.cards if r.card_id == "library-options")
    assert (library.chosen, library.answer, library.correct) == ("co_producing", "consulting", False)
    assert library.why == standard_deck().card("library-options").why
    youth = next(r for r in summary.cards if r.card_id == "youth-budget")
    assert youth.chosen is None and not youth.correct and youth.why
    assert [r.card_id for r in summary.cards] == [c.id for c in standard_deck().cards]


def test_nothing_sorted():
    summary = score_sort({})
    assert (summary.right, summary.answered) == (0, 0) and summary.total == len(standard_deck().cards)


def test_bad_answers():
    with pytest.raises(ValueError, match="unknown cards: no-such-card"):
        score_sort({"no-such-card": "informing"})
    with pytest.raises(ValueError, match='card "bin-day-letter": "involving" is not one of'):
        score_sort({"bin-day-letter": "involving"})


def test_score_sort_with_another_deck():
    data = deck_to_dict(standard_deck())
    data["cards"] = data["cards"][:3]
    deck = deck_from_dict(data, "team deck")
    assert score_sort({"bin-day-letter": "informing"}, deck).total == 3


# -- validation errors ------------------------------------------------------------------


def test_bad_answer_names_the_card_and_line():
    line = line_of(TEXT, "answer =", after=line_of(TEXT, 'id = "park-drawings"'))
    error, message = error_for(replace_line(TEXT, line, 'answer = "co_designing"'))
    assert message == (
        f'scenarios.toml line {line}: card "park-drawings" has answer "co_designing", '
        "allowed: informing, consulting, co_producing"
    )


def test_duplicate_card_id():
    first, line = line_of(TEXT, 'id = "bin-day-letter"'), line_of(TEXT, 'id = "repairs-report"')
    error, message = error_for(replace_line(TEXT, line, 'id = "bin-day-letter"'))
    assert error.line == line and f"already used by an earlier card at line {first}" in message


def test_missing_why_points_at_the_card():
    why = line_of(TEXT, "why =", after=line_of(TEXT, 'id = "street-light-vote"'))
    broken = replace_line(TEXT, why, "")
    header = line_of(TEXT, 'id = "street-light-vote"') - 1
    error, message = error_for(broken)
    assert message == f'scenarios.toml line {header}: card "street-light-vote" has no "why"'


def test_syntax_error_line():
    line = line_of(TEXT, 'id = "youth-budget"')
    error, message = error_for(replace_line(TEXT, line, 'id = youth-budget"'))
    assert error.line == line and re.match(rf"scenarios\.toml line {line}: TOML syntax error: ", message)


def test_every_pile_needs_a_card():
    data = deck_to_dict(standard_deck())
    data["cards"] = [c for c in data["cards"] if c["answer"] != "informing"]
    with pytest.raises(ScenarioError, match=r'^stored scenarios: no card has the answer "informing"'):
        deck_from_dict(data)


# -- translatable texts -----------------------------------------------------------------


def test_extraction_yields_every_text_on_its_line():
    found = list(extract_scenarios(io.BytesIO(TEXT.encode()), [], [], {}))
    assert sorted(m for _, _, m, _ in found) == sorted(raw_texts(RAW))
    lines = TEXT.splitlines()
    assert all(m in lines[n - 1] for n, _, m, _ in found)
    assert sorted(m.text for m in iter_messages(standard_deck())) == sorted(raw_texts(RAW))


def test_pybabel_mapping_pulls_every_text():
    cfg = "[coproduce_plugins.consultation_vs_coproduction.scenarios.extract_scenarios: **/scenarios.toml]\n"
    method_map, options_map = parse_mapping_cfg(io.StringIO(cfg))
    found = list(extract_from_dir(STANDARD_PATH.parent, method_map, options_map))
    assert {m[2] for m in found} == set(raw_texts(RAW))
