"""The perception gap in words: what the difference between staff and residents means. Flask-free.

The gap is the staff mean score minus the resident mean score (0-100 scale), so it is positive when staff
rate the work higher. The explanation follows its direction and size:
  |gap| < CLOSE (5)             much the same
  CLOSE <= |gap| < WIDE (15)    a little higher, said for whichever side is higher
  |gap| >= WIDE                 a wide gap, said for whichever side is higher
The trend compares the first and the last period with a gap: it is narrowing or widening when the size
of the gap changed by CLOSE points or more, or the gap changed sides; otherwise it is steady.
Texts are English source strings (msgids); views translate them.
"""

from __future__ import annotations

from collections.abc import Sequence

CLOSE, WIDE = 5, 15


def _l(text: str) -> str:  # marks a msgid for extraction; the text itself is returned
    return text


MEANING = {
    "same": _l("Staff and residents see this work in much the same way. Keep checking as the work goes on."),
    "staff_little": _l(
        "Staff rate the work a little higher than residents do. Ask residents what they see that staff may not."
    ),
    "staff_wide": _l(
        "Staff believe power is shared more than residents feel it is. Talk about the gap together, "
        "starting with the part where it is biggest."
    ),
    "residents_little": _l(
        "Residents rate the work a little higher than staff do. Ask residents what they value in it, "
        "so that staff keep doing it."
    ),
    "residents_wide": _l(
        "Residents feel the work is shared more than staff think it is. Find out what residents value, "
        "and check whether staff are underselling the work or expect more of it than residents need."
    ),
}

TREND = {
    "narrowing": _l("The gap is narrowing: it was %(first)s in the first period and is %(last)s in the latest."),
    "widening": _l("The gap is widening: it was %(first)s in the first period and is %(last)s in the latest."),
    "flipped": _l("The gap has changed sides: it was %(first)s in the first period and is %(last)s in the latest."),
    "steady": _l("The gap is steady: it was %(first)s in the first period and is %(last)s in the latest."),
}


def kind(gap: int) -> str:
    size = abs(gap)
    if size < CLOSE:
        return "same"
    side = "staff" if gap > 0 else "residents"
    return f"{side}_{'wide' if size >= WIDE else 'little'}"


def meaning(gap: int | None) -> str | None:
    """What a gap means, in words that follow its direction and size."""
    return None if gap is None else MEANING[kind(gap)]


def trend(gaps: Sequence[int | None]) -> tuple[str, int, int] | None:
    """(trend kind, first gap, last gap) over the periods with a gap; None with fewer than two."""
    known = [g for g in gaps if g is not None]
    if len(known) < 2:
        return None
    first, last = known[0], known[-1]
    if first * last < 0 and (abs(first) >= CLOSE or abs(last) >= CLOSE):
        return "flipped", first, last
    change = abs(last) - abs(first)
    if change <= -CLOSE:
        return "narrowing", first, last
    if change >= CLOSE:
        return "widening", first, last
    return "steady", first, last


def signed(gap: int) -> str:
    """+12, -3 or 0: the gap with its sign, as tables show it."""
    return f"+{gap}" if gap > 0 else str(gap)


def summary(figs) -> dict:
    """What the gap's words need, for a suppression.Figures: meaning, trend kind and its text and figures."""
    found = trend([g for _, _, g in figs.trend])
    return {
        "meaning": meaning(figs.gap_overall),
        "trend": found[0] if found else None,
        "trend_text": TREND[found[0]] if found else None,
        "first": signed(found[1]) if found else None,
        "last": signed(found[2]) if found else None,
    }
