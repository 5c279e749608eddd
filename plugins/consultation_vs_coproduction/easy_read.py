"""The result's guidance in easy read, for people who answered the easy read version.

Flask-free: the texts are English msgids (marked for the extractor with _l, which returns them as they are);
result.html translates them. Easy read here means short sentences, one idea each, everyday words, no idioms:
the same rules as the easy read questions in questionnaire.toml. Each text has a translation in every catalog,
written as easy read in that language, not word for word.

The guidance follows the five rungs (every part's guidance bands are the rungs under rules 2), and the four
requirements that can hold the work below a rung (scoring.REQUIREMENTS), so it fits the standard questionnaire
and every team's adapted copy alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scoring import Result, rung_for_score


def _l(text: str) -> str:  # marks a msgid for extraction; the text itself is returned
    return text


# What would move the work up from each rung (at the top rung: how to stay there).
RUNG_NEXT_STEP = {
    "informing": _l("Ask people what they think before you decide. Then tell them what you did with their ideas."),
    "consulting": _l("Do not just ask people to pick from your list. Let them change the choices and add their own."),
    "involving": _l("Make the choices with people, not for them. Plan the next step together."),
    "co_designing": _l("Share the last word. Let the group decide together. Give the group money and staff time."),
    "co_producing": _l("Keep sharing power, money and decisions. Check this at each new step. Let new people join in."),
}

# What a part's score means, by the rung it points to.
PART_MEANING = {
    "informing": _l("In this part, the council decides. Then it tells people."),
    "consulting": _l("In this part, the council asks people what they think. Then the council decides."),
    "involving": _l("In this part, people help with the work. But staff are still in charge."),
    "co_designing": _l("In this part, people and staff plan together. Staff still have the last word."),
    "co_producing": _l("In this part, people and staff share the power. They decide together."),
}

# One thing to try in a part, by the rung its score points to.
PART_NEXT_STEP = {
    "informing": _l("Before the next decision, ask people what they think. Do it while things can still change."),
    "consulting": _l("Next time, make the choices with people. Start with a blank page."),
    "involving": _l("Let the group choose together. Say first which choices are theirs to make."),
    "co_designing": _l("Agree that the group makes the final choice, not only staff."),
    "co_producing": _l("Write down how you did it. Then the next project can work the same way."),
}

# Why the work is held below a rung, and what would lift it: (rung, part) of scoring.REQUIREMENTS.
CAPS = {
    ("involving", "options"): (
        _l("The choices were made before people came. Picking from a list is being asked, not sharing the work."),
        _l("Let people change the choices and add their own. Do this before anything is picked."),
    ),
    ("co_designing", "options"): (
        _l("People did not help make the choices. So the work is not planned together yet."),
        _l("Make the choices together with people. Do not only ask them to add to yours."),
    ),
    ("co_producing", "power"): (
        _l("Decisions are not fully shared yet. Staff, managers or councillors still have the last word."),
        _l("Write down which decisions the group makes. Agree that nobody else can change them."),
    ),
    ("co_producing", "ownership"): (
        _l("The council still keeps the money, time and staff. They are not shared yet."),
        _l("Give the group a budget and staff time. Help people to keep taking part."),
    ),
}


@dataclass(frozen=True)
class EasyGuidance:
    """The easy read texts (msgids) for one result."""

    cap_reason: str | None  # why the work is held below the rung its score points to
    next_step: str | None  # what would move it up (at the top: how to stay there)
    parts: dict[str, tuple[str, str]]  # part id: (what the score means, one thing to try)


def guidance(result: Result) -> EasyGuidance:
    cap = CAPS.get((result.cap.rung, result.cap.dimension)) if result.cap is not None else None
    if cap is not None:
        next_step: str | None = cap[1]
    elif result.rules >= 2:
        next_step = RUNG_NEXT_STEP[result.overall_rung] if result.overall_rung else None
    else:  # the first rules: the lowest part says what to do next
        move_up = result.move_up
        next_step = PART_NEXT_STEP[rung_for_score(move_up.score)] if move_up and move_up.score is not None else None
    parts = {
        d.dimension_id: (PART_MEANING[rung_for_score(d.score)], PART_NEXT_STEP[rung_for_score(d.score)])
        for d in result.dimensions
        if d.score is not None
    }
    return EasyGuidance(cap[0] if cap else None, next_step, parts)
