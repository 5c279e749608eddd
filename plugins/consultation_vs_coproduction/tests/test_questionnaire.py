"""The questionnaire file: its content rules, validation errors with line numbers, dicts, extraction."""

import copy
import io
import json
import re
import tomllib

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from coproduce_plugins.consultation_vs_coproduction import questionnaire as qmod
from coproduce_plugins.consultation_vs_coproduction.questionnaire import (
    RUNG_BANDS,
    RUNGS,
    STANDARD_PATH,
    QuestionnaireError,
    extract_questionnaire,
    iter_messages,
    load_questionnaire,
    parse_questionnaire,
    questionnaire_from_dict,
    questionnaire_to_dict,
    standard_questionnaire,
)

TEXT = STANDARD_PATH.read_text(encoding="utf-8")
RAW = tomllib.loads(TEXT)
NON_TEXT_KEYS = {"id", "version", "rung", "weight", "min", "max"}


def raw_texts(data):
    """Every string in the raw TOML that is not an id, version or rung: what translators must see."""
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
    """1-based number of the first line after line `after` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found after line {after}")


def replace_line(text, number, new):
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def delete_lines(text, first, last):
    lines = text.splitlines()
    del lines[first - 1 : last]
    return "\n".join(lines) + "\n"


def error_for(text):
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "questionnaire.toml")
    message = str(caught.value)
    assert "\n" not in message
    return caught.value, message


# -- the standard questionnaire ------------------------------------------------------


def test_standard_loads_with_the_seven_dimensions():
    q = standard_questionnaire()
    assert (q.version, q.rules) == ("standard-2", 2)
    assert [d.id for d in q.dimensions] == ["options", "power", "parameters", "ownership", "reach", "evidence", "roles"]
    assert [r.id for r in q.rungs] == list(RUNGS)
    assert load_questionnaire() == q


@pytest.mark.parametrize("dimension", [d["id"] for d in RAW["dimensions"]])
def test_each_standard_question_offers_one_situation_per_rung(dimension):
    d = standard_questionnaire().dimension(dimension)
    assert 3 <= len(d.questions) <= 5
    assert [(b.id, b.min, b.max) for b in d.guidance] == list(RUNG_BANDS)
    for question in d.questions:
        assert sorted(o.rung for o in question.options) == sorted(RUNGS)
        assert [o.id for o in question.options] == ["a", "b", "c", "d", "e"]
        assert question.weight in (1, 2)
        assert all(o.easy_read and o.text for o in question.options) and question.easy_read


def test_question_ids_are_unique_and_prefixed_by_their_dimension():
    ids = [(d.id, q.id) for d in standard_questionnaire().dimensions for q in d.questions]
    assert len({qid for _, qid in ids}) == len(ids)
    assert all(qid.startswith(did + "-") for did, qid in ids)


def test_lookups():
    q = standard_questionnaire()
    assert q.question("power-3").option("b").rung == "co_designing"
    assert q.rung("co_producing").label == "Co-producing"
    with pytest.raises(KeyError):
        q.question("power-9")


# -- validation errors name the file and the line ------------------------------------


def test_bad_rung_names_the_question_option_and_line():
    line = line_of(TEXT, "rung =", after=line_of(TEXT, 'id = "b"', after=line_of(TEXT, 'id = "power-3"')))
    _, message = error_for(replace_line(TEXT, line, 'rung = "coproducing"'))
    assert message == (
        f'questionnaire.toml line {line}: question "power-3" option "b" has rung "coproducing", '
        "allowed: informing, consulting, involving, co_designing, co_producing"
    )


def test_duplicate_question_id_points_at_the_second_and_names_the_first():
    first, second = line_of(TEXT, 'id = "power-1"'), line_of(TEXT, 'id = "power-2"')
    error, message = error_for(replace_line(TEXT, second, 'id = "power-1"'))
    assert error.line == second
    assert message.startswith(f"questionnaire.toml line {second}: ")
    assert f'has id "power-1", already used by a question in dimension "power" at line {first}' in message


def test_duplicate_question_id_across_dimensions():
    line = line_of(TEXT, 'id = "roles-2"')
    error, message = error_for(replace_line(TEXT, line, 'id = "options-1"'))
    assert error.line == line and 'already used by a question in dimension "options"' in message


def test_duplicate_option_id():
    question = line_of(TEXT, 'id = "reach-2"')
    line = line_of(TEXT, 'id = "c"', after=question)
    error, message = error_for(replace_line(TEXT, line, 'id = "a"'))
    assert error.line == line
    assert 'question "reach-2" option 3 has id "a", already used by an earlier option' in message


def test_missing_text_points_at_its_table():
    option = line_of(TEXT, 'id = "d"', after=line_of(TEXT, 'id = "evidence-2"'))
    easy = line_of(TEXT, "easy_read =", after=option)
    header = option - 1
    assert TEXT.splitlines()[header - 1] == "[[dimensions.questions.options]]"
    error, message = error_for(delete_lines(TEXT, easy, easy))
    assert error.line == header
    assert message == f'questionnaire.toml line {header}: question "evidence-2" option "d" has no "easy_read"'


def test_empty_text_points_at_its_line():
    line = line_of(TEXT, "text =", after=line_of(TEXT, 'id = "ownership-3"'))
    error, message = error_for(replace_line(TEXT, line, 'text = "   "'))
    assert error.line == line and 'question "ownership-3" has an empty or non-text "text"' in message


def test_dimension_with_two_questions():
    start = line_of(TEXT, 'id = "parameters-3"') - 1  # its [[dimensions.questions]] header
    end = line_of(TEXT, "[[dimensions.guidance]]", after=start) - 1
    broken = delete_lines(TEXT, start, end)
    header = line_of(broken, 'id = "parameters"') - 1
    error, message = error_for(broken)
    assert error.line == header
    assert message == f'questionnaire.toml line {header}: dimension "parameters" has 2 questions, needs 3 to 5'


def test_toml_syntax_error_reports_tomllib_line():
    line = line_of(TEXT, 'id = "reach-1"') + 2
    error, message = error_for(replace_line(TEXT, line, "this is not toml"))
    assert error.line == line
    assert re.fullmatch(rf"questionnaire\.toml line {line}: TOML syntax error: .+ \(column \d+\)", message)


def test_toml_syntax_error_at_end_of_file():
    error, message = error_for(TEXT + 'next_step = "unfinished\n')
    assert error.line == TEXT.count("\n") + 1 and "TOML syntax error" in message


def test_toml_redefined_key_reports_its_line():
    line = line_of(TEXT, 'title = "Open options"')
    error, _ = error_for(replace_line(TEXT, line, 'title = "Open options"\ntitle = "Twice"'))
    assert error.line == line + 1


@pytest.mark.parametrize(
    "needle, new, expected",
    [
        ("weight = 2", "wieght = 2", 'question "options-1" has an unknown field "wieght"'),
        ("[[dimensions.guidance]]", "[[dimensions.guidence]]", 'dimension "options" has an unknown field "guidence"'),
        ("weight = 2", "weight = 0", 'question "options-1" has weight 0: use a number more than 0'),
        ("weight = 2", 'weight = "heavy"', "question \"options-1\" has weight 'heavy'"),
        ("weight = 2", "weight = nan", 'question "options-1" has weight nan'),
        ("min = 13", "min = 14", 'dimension "options" guidance band "consulting" starts at 14, expected 13'),
        ("max = 100", "max = 99", 'dimension "options" guidance stops at 99, must reach 100'),
        ("max = 12", "max = 12.5", 'dimension "options" guidance band "informing" max must be a whole number'),
        ("rules = 2", "rules = 3", "the questionnaire has rules 3, allowed: 1, 2"),
        ('id = "options-2"', 'id = "Options 2"', "question 2 of dimension \"options\" has id 'Options 2'"),
        ('id = "consulting"', 'id = "asking"', "rung 2 has id 'asking', expected \"consulting\""),
        ('version = "standard-2"', 'version = ""', 'the questionnaire has an empty or non-text "version"'),
    ],
)
def test_field_errors_point_at_the_field_line(needle, new, expected):
    line = line_of(TEXT, needle)
    error, message = error_for(replace_line(TEXT, line, new))
    assert error.line == line, message
    assert message.startswith(f"questionnaire.toml line {line}: ") and expected in message


def test_load_names_the_file_path(tmp_path):
    path = tmp_path / "questionnaire.toml"
    path.write_text(TEXT.replace('rung = "informing"', 'rung = "telling"', 1), encoding="utf-8")
    with pytest.raises(
        QuestionnaireError, match=rf"^{re.escape(str(path))} line \d+: question \"options-1\" option \"c\""
    ):
        load_questionnaire(path)


# -- stored copies (dicts) ------------------------------------------------------------


def test_dict_round_trip_is_json_ready():
    q = standard_questionnaire()
    data = questionnaire_to_dict(q)
    assert json.loads(json.dumps(data)) == data
    assert questionnaire_from_dict(data) == q


def test_a_teams_adapted_copy_is_valid():
    data = questionnaire_to_dict(standard_questionnaire())
    power = data["dimensions"][1]
    power["questions"][0]["text"] = "Who has the final say on the youth centre?"
    power["questions"][0]["weight"] = 3.5
    del power["questions"][3]
    added = copy.deepcopy(data["dimensions"][0]["questions"][1]) | {"id": "youth-1", "text": "A new question?"}
    data["dimensions"][4]["questions"].append(added)
    q = questionnaire_from_dict(json.loads(json.dumps(data)), "team youth-services")
    assert q.question("power-1").weight == 3.5 and len(q.dimension("power").questions) == 3
    assert q.question("youth-1").text == "A new question?"
    assert "A new question?" in {m.text for m in iter_messages(q)}


def test_stored_copy_errors_name_the_source_without_a_line():
    data = questionnaire_to_dict(standard_questionnaire())
    data["dimensions"][1]["questions"][2]["options"][1]["rung"] = "coproducing"
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire_from_dict(data, "team 7 questionnaire")
    assert caught.value.line is None
    assert str(caught.value) == (
        'team 7 questionnaire: question "power-3" option "b" has rung "coproducing", '
        "allowed: informing, consulting, involving, co_designing, co_producing"
    )


def test_stored_copy_needs_three_questions_per_dimension():
    data = questionnaire_to_dict(standard_questionnaire())
    del data["dimensions"][6]["questions"][1:]
    with pytest.raises(
        QuestionnaireError, match=r'^stored questionnaire: dimension "roles" has 1 questions, needs 3 to 5$'
    ):
        questionnaire_from_dict(data)


# -- translatable texts --------------------------------------------------------------


def test_extraction_yields_every_text_on_its_own_line():
    found = list(extract_questionnaire(io.BytesIO(TEXT.encode()), [], [], {}))
    assert sorted(m for _, _, m, _ in found) == sorted(raw_texts(RAW))
    lines = TEXT.splitlines()
    for lineno, funcname, message, comments in found:
        assert funcname is None and message in lines[lineno - 1]
        assert len(comments) == 1 and comments[0]
    assert 'dimension "power", question "power-3", option "b", easy read' in [
        c[0] for _, _, m, c in found if m == "We look for an answer together. If we cannot agree, staff decide."
    ]


def test_iter_messages_matches_the_file():
    assert sorted(m.text for m in iter_messages(standard_questionnaire())) == sorted(raw_texts(RAW))


def test_extraction_refuses_a_broken_file():
    with pytest.raises(QuestionnaireError, match=r"line \d+: question \"options-1\""):
        list(
            extract_questionnaire(io.BytesIO(TEXT.replace('rung = "consulting"', 'rung = "x"', 1).encode()), [], [], {})
        )


def test_pybabel_mapping_pulls_every_text():
    # Babel splits a mapping section at its first colon, so the method is written with dots.
    cfg = (
        "[coproduce_plugins.consultation_vs_coproduction.questionnaire.extract_questionnaire: **/questionnaire.toml]\n"
    )
    method_map, options_map = parse_mapping_cfg(io.StringIO(cfg))
    found = list(extract_from_dir(STANDARD_PATH.parent, method_map, options_map))
    assert {m[2] for m in found} == set(raw_texts(RAW))
    assert {m[0] for m in found} == {"questionnaire.toml"}


def test_the_module_colon_form_does_not_work_in_a_mapping_file():
    cfg = (
        "[coproduce_plugins.consultation_vs_coproduction.questionnaire:extract_questionnaire: **/questionnaire.toml]\n"
    )
    method_map, _ = parse_mapping_cfg(io.StringIO(cfg))
    assert method_map == [
        ("extract_questionnaire: **/questionnaire.toml", "coproduce_plugins.consultation_vs_coproduction.questionnaire")
    ]


def test_line_map_skips_multiline_strings():
    lines = qmod.LineMap('a = """\nb = 1\n"""\n[[x]]\nb = 2\n[[x]]\nb = 3\n')
    assert lines.line_for(("b",)) == 1  # unknown: falls back to the first line
    assert lines.line_for(("x", 1, "b")) == 7 and lines.line_for(("x", 0)) == 4
