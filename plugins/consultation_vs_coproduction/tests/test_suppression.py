"""Small groups stay hidden, not just unlisted (issue 14): secondary suppression across every filter.

The property: take any responses (groups, days, sources, scores), and every figure the dashboard and its
summary download can show under every group filter and every pair of dates. Each figure is about a set
of responses (a population: "staff between these dates"...). Anyone may add and subtract figures, so
the smallest thing they can single out is an "atom": the responses that fall in exactly the same
populations. If every atom holds at least k responses, and no response of a hidden group is in any
population, then no hidden group's count, mean score or rung distribution can be recovered, nor
anything else about fewer than k people. Each figure is first checked against the population it
claims to describe (so a figure that quietly counted a hidden group would fail).
"""

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from coproduce_plugins.consultation_vs_coproduction.questionnaire import RUNGS
from coproduce_plugins.consultation_vs_coproduction.scoring import rung_for_score
from coproduce_plugins.consultation_vs_coproduction.suppression import DimRow, Row, figures, make_plan, mean

GROUPS = ["resident", "staff", "partner", "councillor"]
DIMS = ["options", "power"]
DAY0 = date(2027, 3, 1)

response = st.tuples(
    st.sampled_from(GROUPS),
    st.integers(0, 20),  # day
    st.sampled_from(["web", "paper"]),
    st.integers(0, 100),  # overall score
    st.integers(0, 100),  # options
    st.integers(0, 100),  # power
)


def tallies(responses):
    rows, dims = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for group, day, source, overall, *scores in responses:
        cell = rows[(DAY0 + timedelta(day), group, source, rung_for_score(overall))]
        cell[0] += 1
        cell[1] += overall
        for d, s in zip(DIMS, scores):
            dcell = dims[(DAY0 + timedelta(day), group, d)]
            dcell[0] += 1
            dcell[1] += s
    return [Row(*k, *v) for k, v in rows.items()], [DimRow(*k, *v) for k, v in dims.items()]


def check(population, responses, n, overall=None, dimensions=None, rungs=None):
    """The figure describes exactly `population` (indices into responses)."""
    members = [responses[i] for i in population]
    assert n == len(members)
    if overall is not None or members:
        assert overall == mean(sum(m[3] for m in members), len(members))
    if dimensions is not None and members:
        for number, d in enumerate(DIMS):
            assert dimensions[d] == mean(sum(m[4 + number] for m in members), len(members))
    if rungs is not None and members:
        assert rungs == {r: sum(1 for m in members if rung_for_score(m[3]) == r) for r in RUNGS}


def everything_shown(responses, k):
    """Every population any page or summary download shows, as frozensets of response indices."""
    rows, dim_rows = tallies(responses)
    plan = make_plan(rows, GROUPS, k)
    days = sorted({DAY0 + timedelta(r[1]) for r in responses})
    edges = [None] + sorted({d + timedelta(s) for d in days for s in (-1, 0, 1)})
    populations = set()
    for group in [None] + GROUPS:
        for start in edges:
            for end in edges:
                if start and end and start > end:
                    continue
                figs = figures(rows, dim_rows, plan, GROUPS, DIMS, group=group, start=start, end=end)
                if figs.window:
                    lo, hi = figs.window
                elif start or end:
                    assert figs.total == 0 and not figs.by_period
                    continue
                else:
                    lo, hi = date.min, date.max

                def pop(groups, a=lo, b=hi):
                    return frozenset(
                        i
                        for i, r in enumerate(responses)
                        if r[0] in groups and r[0] in plan.shown and a <= DAY0 + timedelta(r[1]) <= b
                    )

                chosen = {group} if group else set(GROUPS)
                everyone = pop(chosen)
                check(everyone, responses, figs.total, figs.overall, figs.dimensions or None, figs.rungs or None)
                if figs.total:
                    populations.add(everyone)
                for source, n in figs.by_source.items():
                    assert n == sum(1 for i in everyone if responses[i][2] == source)
                for a, b, n in figs.by_period:
                    p = pop(chosen, a, b)
                    assert n == len(p)
                    populations.add(p)
                for g in figs.groups:
                    if g.hidden:
                        assert g.responses is None and g.overall is None and not g.dimensions and not g.rungs
                        continue
                    p = pop({g.id})
                    check(p, responses, g.responses, g.overall, g.dimensions or None, g.rungs or None)
                    populations.add(p)
                for a, b, value in figs.trend:
                    s, p = pop({"staff"}, a, b), pop({"resident"}, a, b)
                    populations.update([s, p])
                    if value is not None:
                        assert value == mean(sum(responses[i][3] for i in s), len(s)) - mean(
                            sum(responses[i][3] for i in p), len(p)
                        )
    return plan, {p for p in populations if p}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(response, max_size=45), st.sampled_from([3, 5]))
def test_no_hidden_group_and_nothing_under_k_can_be_worked_out(responses, k):
    plan, populations = everything_shown(responses, k)
    sizes = defaultdict(int)
    for group in [r[0] for r in responses]:
        sizes[group] += 1
    assert set(plan.hidden) == {g for g, n in sizes.items() if n < k}
    hidden = {i for i, r in enumerate(responses) if r[0] in plan.hidden}
    assert not any(p & hidden for p in populations)  # a hidden group's responses count nowhere
    atoms = defaultdict(set)
    for i in range(len(responses)):
        signature = frozenset(n for n, p in enumerate(populations) if i in p)
        if signature:
            atoms[signature].add(i)
    assert all(len(atom) >= k for atom in atoms.values()), sorted(len(a) for a in atoms.values())


def test_the_subtraction_the_issue_names_no_longer_works():
    """Everyone minus the shown groups used to give the hidden group; now it gives nothing."""
    responses = [("staff", 0, "web", 80, 80, 80)] * 6 + [("resident", 0, "web", 30, 30, 30)] * 6
    responses += [("partner", 0, "web", 0, 0, 0)] * 2
    rows, dim_rows = tallies(responses)
    plan = make_plan(rows, GROUPS, 5)
    figs = figures(rows, dim_rows, plan, GROUPS, DIMS)
    shown = [g for g in figs.groups if not g.hidden]
    assert figs.total - sum(g.responses for g in shown) == 0
    assert figs.rungs["informing"] - sum(g.rungs["informing"] for g in shown) == 0
    assert figs.group("partner").hidden and figs.group("partner").responses is None


def test_comparing_date_filters_cannot_single_out_a_day():
    # 5 staff on day 0 and 1 more on day 1: a filter ending on day 0 must not show 5 next to 6
    responses = [("staff", 0, "web", 50, 50, 50)] * 5 + [("staff", 1, "web", 100, 100, 100)]
    rows, dim_rows = tallies(responses)
    plan = make_plan(rows, GROUPS, 5)
    assert plan.periods == ((DAY0, DAY0 + timedelta(1)),)  # one period: day 1 alone is too small
    narrow = figures(rows, dim_rows, plan, GROUPS, DIMS, start=DAY0, end=DAY0)
    assert narrow.total == 6 and narrow.widened and narrow.window == (DAY0, DAY0 + timedelta(1))


def test_the_page_and_summary_download_hide_a_small_group_and_its_difference(app, people):
    import csv
    import io

    from coproduce.plugins import db
    from coproduce.testing.fixtures import sign_in
    from coproduce_plugins.consultation_vs_coproduction.aggregates import record_response
    from coproduce_plugins.consultation_vs_coproduction.models import Assessment
    from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
    from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

    q = standard_questionnaire()

    def at(rung):
        return {x.id: next(o.id for o in x.options if o.rung == rung) for d in q.dimensions for x in d.questions}

    enable(app)
    aid = make_assessment(app)
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        for group, rung, n in (
            ("staff", "co_producing", 6),
            ("resident", "consulting", 6),
            ("partner", "informing", 3),
        ):
            for _ in range(n):
                record_response(assessment, q, at(rung), group=group)
        db.session.commit()
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{BASE}/assessments/{aid}").text
    assert "12 responses" in page and "15 responses" not in page and "Partner organisation (3)" not in page
    assert "all responses (CSV)" not in page  # per-response downloads are for owners
    summary = client.get(f"{BASE}/assessments/{aid}/summary.csv")
    rows = list(csv.reader(io.StringIO(summary.get_data(as_text=True))))
    by_group = {r[0]: r for r in rows[1:]}
    assert by_group["All groups shown"][3] == "12"
    assert by_group["Partner organisation"][3] == "Hidden" and set(by_group["Partner organisation"][4:-1]) == {""}
    rung_col = rows[0].index("Responses on the rung: Informing")
    assert by_group["All groups shown"][rung_col] == "0"  # the partners' informing answers are nowhere
    assert client.get(f"{BASE}/assessments/{aid}/responses.csv").status_code == 403
