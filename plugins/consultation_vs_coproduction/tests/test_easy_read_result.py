"""A person who answers in easy read gets the result and its guidance in easy read too, in their language."""

from coproduce_plugins.consultation_vs_coproduction import easy_read
from coproduce_plugins.consultation_vs_coproduction.questionnaire import RUNGS, standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.scoring import REQUIREMENTS
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()


def at(rung, **overrides):
    return {
        q.id: next(o.id for o in q.options if o.rung == overrides.get(d.id, rung))
        for d in Q.dimensions
        for q in d.questions
    }


def result_page(client, answers, version="easy", lang="en"):
    started = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": version})
    base = started.headers["Location"].rsplit("/", 1)[0]
    for number, dimension in enumerate(Q.dimensions, 1):
        data = {q.id: answers[q.id] for q in dimension.questions if q.id in answers}
        assert client.post(f"{base}/{number}", data=data).status_code == 302
    client.post(f"{base}/{len(Q.dimensions) + 1}", data={"comment": ""})
    assert client.post(f"{base}/check").status_code == 302
    return client.get(f"{base}/result?lang={lang}").text


def standard_guidance(text: str) -> list[str]:
    """The standard (not easy read) guidance texts that appear in a page."""
    texts = [r.description for r in Q.rungs] + [r.next_step for r in Q.rungs]
    texts += [t for req in REQUIREMENTS for t in (req.reason, req.lift)]
    texts += [t for d in Q.dimensions for b in d.guidance for t in (b.meaning, b.misconception, b.next_step)]
    return [t for t in texts if t in text.replace("&#39;", "'")]


def test_every_rung_and_every_cap_has_easy_read_guidance():
    assert set(easy_read.RUNG_NEXT_STEP) == set(RUNGS)
    assert set(easy_read.PART_MEANING) == set(RUNGS) == set(easy_read.PART_NEXT_STEP)
    assert {(r.rung, r.dimension) for r in REQUIREMENTS} == set(easy_read.CAPS)
    for text in [
        *easy_read.RUNG_NEXT_STEP.values(),
        *easy_read.PART_MEANING.values(),
        *easy_read.PART_NEXT_STEP.values(),
    ]:
        sentences = [s for s in text.replace("?", ".").split(".") if s.strip()]
        assert all(len(s.split()) <= 15 for s in sentences), f"a long sentence for easy read: {text!r}"


def test_an_easy_read_result_is_in_easy_read(app, people):
    enable(app)
    make_assessment(app)
    text = result_page(app.test_client(), at("co_producing", power="co_designing"))
    held = next(r for r in REQUIREMENTS if r.dimension == "power")
    reason, lift = easy_read.CAPS[(held.rung, held.dimension)]
    assert Q.rung("co_designing").easy_read in text
    assert "Why it is not higher" in text and reason in text.replace("&#39;", "'")
    assert "What would make it better" in text and lift in text.replace("&#39;", "'")
    assert easy_read.PART_MEANING["co_producing"] in text and easy_read.PART_NEXT_STEP["co_designing"] in text
    for d in Q.dimensions:
        assert d.easy_read in text
    assert standard_guidance(text) == []
    assert "A common mix-up" not in text


def test_the_top_rung_in_easy_read_says_how_to_stay_there(app, people):
    enable(app)
    make_assessment(app)
    text = result_page(app.test_client(), at("co_producing"))
    assert "How to stay at the top" in text and easy_read.RUNG_NEXT_STEP["co_producing"] in text
    assert standard_guidance(text) == []


def test_too_few_answers_in_easy_read(app, people):
    enable(app)
    make_assessment(app)
    text = result_page(app.test_client(), {"options-1": "b"})
    assert "We need more answers" in text
    assert "To place the work on the ladder" not in text


def test_the_standard_result_keeps_its_own_guidance(app, people):
    enable(app)
    make_assessment(app)
    text = result_page(app.test_client(), at("co_producing", power="co_designing"), version="standard")
    assert "What holds it at this rung" in text and "Why it is not higher" not in text
    assert "A common mix-up" in text
    assert not any(t in text for t in easy_read.PART_MEANING.values())


def test_easy_read_guidance_in_welsh_polish_and_urdu(app, people):
    enable(app)
    make_assessment(app)
    english = result_page(app.test_client(), at("involving"))
    for lang in ("cy", "pl", "ur"):
        page = result_page(app.test_client(), at("involving"), lang=lang)
        assert easy_read.PART_MEANING["involving"] not in page, lang
        assert easy_read.RUNG_NEXT_STEP["involving"] not in page, lang
        assert len(page) > len(english) * 0.8
