"""Small groups stay hidden: which figures the dashboard and its summary download may show. Flask-free.

The rules (docs/rules.md says them in plain words), with k the team's smallest group (5 by default):

1. A group with 1 to k-1 placed responses over the whole assessment is hidden. Its responses are left
   out of every figure, "All groups shown" included (the totals are coarsened to the shown groups), so
   that subtracting the shown groups from the total gives nothing. Neither its count nor its scores
   appear anywhere; the page only says that small groups are left out.
2. Dates are never free: the assessment's days are cut into periods, in order, each closed as soon as
   every shown group has either none or at least k responses in it, and at least k responses in all
   (a last period that falls short joins the one before it, and so on). A date filter widens to whole
   periods. So every figure on the page, under any filter, is a sum of "atoms" (one shown group in one
   period), and every atom holds none or at least k responses: comparing two date filters, or a group
   with everyone, can only ever isolate k or more responses.
3. Counts by source (web or paper) are shown only for all groups together, not for one group.
Everything is worked out from the tally rows (aggregates.py reads them); nothing here touches a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from .questionnaire import RUNGS
from .scoring import round_half_up

RESIDENT, STAFF = "resident", "staff"


@dataclass(frozen=True)
class Row:
    """A tally row: placed responses on one UK day, in one group, from one source, on one rung."""

    day: date
    group: str
    source: str
    rung: str
    n: int
    score_sum: int


@dataclass(frozen=True)
class DimRow:
    day: date
    group: str
    dimension_id: str
    n: int
    score_sum: int


@dataclass(frozen=True)
class Plan:
    k: int
    shown: tuple[str, ...]  # groups with at least k placed responses
    hidden: tuple[str, ...]  # groups with 1 to k-1: left out of every figure
    periods: tuple[tuple[date, date], ...]  # first and last day of each period, in order

    def window(self, start: date | None, end: date | None) -> tuple[int, int] | None:
        """The periods (first and last index) a date filter covers, widened to whole periods;
        None when no period falls in it."""
        if not self.periods:
            return None
        first = 0 if start is None else next((i for i, p in enumerate(self.periods) if p[1] >= start), None)
        last = (
            len(self.periods) - 1
            if end is None
            else next((i for i in range(len(self.periods) - 1, -1, -1) if self.periods[i][0] <= end), None)
        )
        if first is None or last is None or first > last:
            return None
        return first, last


def mean(total: int, n: int) -> int | None:
    """A mean of whole-number scores, rounded half up (as scoring does)."""
    return round_half_up(Fraction(total, n)) if n else None


def make_plan(rows: Iterable[Row], group_order: Sequence[str], k: int) -> Plan:
    rows = list(rows)
    per_group: dict[str, int] = defaultdict(int)
    per_day: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        per_group[r.group] += r.n
        per_day[r.day][r.group] += r.n
    order = list(group_order) + sorted(set(per_group) - set(group_order))
    shown = tuple(g for g in order if per_group.get(g, 0) >= k)
    hidden = tuple(g for g in order if 0 < per_group.get(g, 0) < k)

    def fine(counts: dict[str, int]) -> bool:
        return sum(counts[g] for g in shown) >= k and all(counts[g] == 0 or counts[g] >= k for g in shown)

    periods: list[tuple[date, date, dict[str, int]]] = []
    first, counts = None, defaultdict(int)
    for day in sorted(per_day):
        used = {g: n for g, n in per_day[day].items() if g in shown}
        if not used:
            continue
        first = first or day
        for g, n in used.items():
            counts[g] += n
        if fine(counts):
            periods.append((first, day, counts))
            first, counts = None, defaultdict(int)
    if first is not None:  # a last stretch too small on its own joins the periods before it
        last = day
        while True:
            if fine(counts) or not periods:
                break
            first, _, before = periods.pop()
            for g, n in before.items():
                counts[g] += n
        if fine(counts):
            periods.append((first, last, counts))
        # else: the shown groups cannot be cut at all (never happens: each shown group has k or more)
    return Plan(k, shown, hidden, tuple((a, b) for a, b, _ in periods))


@dataclass
class GroupFigures:
    id: str
    responses: int | None  # None when hidden
    hidden: bool
    overall: int | None = None
    dimensions: dict[str, int | None] = field(default_factory=dict)
    rungs: dict[str, int] = field(default_factory=dict)


@dataclass
class Figures:
    """Everything the dashboard and its summary download show for one filter."""

    min_group: int
    total: int  # placed responses from the shown groups, in the window
    hidden: bool  # nothing to show: no group in the filter is large enough
    by_period: list[tuple[date, date, int]]
    by_source: dict[str, int]  # only for all groups together; {} under a group filter
    rungs: dict[str, int]
    overall: int | None
    dimensions: dict[str, int | None]
    groups: list[GroupFigures]
    gap: dict[str, int | None]  # staff mean minus resident mean, per dimension
    gap_overall: int | None
    gap_hidden_reason: str | None  # "filtered", "missing", "staff", "resident", "both" or None when shown
    unplaced: int = 0  # set by aggregates.figures: responses with too few answers to place
    window: tuple[date, date] | None = None  # the whole periods shown when dates were chosen
    widened: bool = False  # the chosen dates were widened to whole periods
    trend: list[tuple[date, date, int | None]] = field(default_factory=list)  # overall gap per period
    some_hidden: bool = False  # some groups are left out (too small)

    def group(self, group_id: str) -> GroupFigures | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @property
    def by_day(self) -> list[tuple[date, int]]:
        return [(a, n) for a, _, n in self.by_period]

    @property
    def biggest_gap(self) -> tuple[str, int] | None:
        gaps = [(d, v) for d, v in self.gap.items() if v is not None]
        return max(gaps, key=lambda item: abs(item[1])) if gaps else None


def _group_figures(gid, rows, dim_rows, dimension_ids) -> GroupFigures:
    n = sum(r.n for r in rows)
    fig = GroupFigures(gid, n, hidden=False)
    if n:
        fig.rungs = {rung: sum(r.n for r in rows if r.rung == rung) for rung in RUNGS}
        fig.overall = mean(sum(r.score_sum for r in rows), n)
        fig.dimensions = {
            d: mean(
                sum(r.score_sum for r in dim_rows if r.dimension_id == d),
                sum(r.n for r in dim_rows if r.dimension_id == d),
            )
            for d in dimension_ids
        }
    return fig


def figures(
    rows: Iterable[Row],
    dim_rows: Iterable[DimRow],
    plan: Plan,
    group_order: Sequence[str],
    dimension_ids: Sequence[str],
    *,
    group: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Figures:
    """The figures for one filter, with every rule of the module docstring applied."""
    rows = [r for r in rows if r.group in plan.shown]
    dim_rows = [r for r in dim_rows if r.group in plan.shown]
    span = plan.window(start, end)
    window = (plan.periods[span[0]][0], plan.periods[span[1]][1]) if span else None
    dated = start is not None or end is not None
    widened = bool(dated and window and (window[0] != (start or window[0]) or window[1] != (end or window[1])))
    periods = list(plan.periods[span[0] : span[1] + 1]) if span else []

    def inside(day: date) -> bool:
        return window is not None and window[0] <= day <= window[1]

    rows = [r for r in rows if inside(r.day)]
    dim_rows = [r for r in dim_rows if inside(r.day)]
    order = [g for g in group_order if g in plan.shown or g in plan.hidden]
    order += [g for g in plan.shown + plan.hidden if g not in order]
    if group is not None:
        order = [g for g in order if g == group]
    groups = []
    for gid in order:
        if gid in plan.hidden:
            groups.append(GroupFigures(gid, None, hidden=True))
        else:
            groups.append(
                _group_figures(
                    gid, [r for r in rows if r.group == gid], [r for r in dim_rows if r.group == gid], dimension_ids
                )
            )
    chosen = [r for r in rows if group is None or r.group == group]
    chosen_dims = [r for r in dim_rows if group is None or r.group == group]
    total = sum(r.n for r in chosen)
    hidden = total == 0
    everyone = _group_figures("", chosen, chosen_dims, dimension_ids)
    by_period = [(a, b, sum(r.n for r in chosen if a <= r.day <= b)) for a, b in periods]
    by_source: dict[str, int] = {}
    if group is None and not hidden:
        for r in chosen:
            by_source[r.source] = by_source.get(r.source, 0) + r.n

    staff, residents = (
        next((g for g in groups if g.id == STAFF), None),
        next((g for g in groups if g.id == RESIDENT), None),
    )
    gap: dict[str, int | None] = {}
    gap_overall, reason = None, None
    if group is not None:
        reason = "filtered"
    elif STAFF not in group_order or RESIDENT not in group_order:
        reason = "missing"
    elif (
        staff is None
        or residents is None
        or staff.hidden
        or residents.hidden
        or not staff.responses
        or not residents.responses
    ):
        s_out = staff is None or staff.hidden or not staff.responses
        r_out = residents is None or residents.hidden or not residents.responses
        reason = "both" if s_out and r_out else ("staff" if s_out else "resident")
    else:
        for d in dimension_ids:
            a, b = staff.dimensions.get(d), residents.dimensions.get(d)
            gap[d] = a - b if a is not None and b is not None else None
        gap_overall = staff.overall - residents.overall
    trend = []
    if reason is None:
        for a, b in periods:
            s = [r for r in rows if r.group == STAFF and a <= r.day <= b]
            p = [r for r in rows if r.group == RESIDENT and a <= r.day <= b]
            s_mean, r_mean = (
                mean(sum(r.score_sum for r in s), sum(r.n for r in s)),
                mean(sum(r.score_sum for r in p), sum(r.n for r in p)),
            )
            trend.append((a, b, s_mean - r_mean if s_mean is not None and r_mean is not None else None))
    return Figures(
        min_group=plan.k,
        total=total,
        hidden=hidden,
        by_period=by_period,
        by_source=by_source,
        rungs={} if hidden else everyone.rungs,
        overall=None if hidden else everyone.overall,
        dimensions={} if hidden else everyone.dimensions,
        groups=groups,
        gap=gap,
        gap_overall=gap_overall,
        gap_hidden_reason=reason,
        window=window if dated else None,
        widened=widened,
        trend=trend,
        some_hidden=bool(plan.hidden),
    )
