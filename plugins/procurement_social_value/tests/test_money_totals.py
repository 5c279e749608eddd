"""The dashboard's £ totals are exact and equal the sums of the rows in its own CSV, to the penny."""

import csv
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.dashboard import build_dashboard
from coproduce_plugins.procurement_social_value.exports import csv_lines, csv_rows
from coproduce_plugins.procurement_social_value.money import parse_pence, value_pence
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract


def exported(app):
    """The team's full CSV (what the dashboard's download gives) as a list of dicts."""
    with app.app_context():
        team_id = get_team("youth").id
        text = "".join(csv_lines(csv_rows(team_id, utcnow().date(), only_published=False)))
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def column_total(rows, column):
    return sum(parse_pence(row[column]) for row in rows if row[column])


def test_a_team_with_commitments_but_no_reports_has_nothing_verified(app, people):
    enable(app)
    make_contract(app, reference="C-1")
    make_contract(app, reference="C-2")
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{S}/manage/").get_data(as_text=True)
    assert 'id="total-verified">£0</span>' in page
    assert 'id="total-delivered">£0</span>' in page


def test_fractions_of_a_penny_do_not_add_up_into_extra_pennies(app, people):
    # JS2.1 is worth £215.40 a week: 0.002 weeks is 43.08p, rounded to 43p for each commitment.
    enable(app)
    for n in range(3):
        make_contract(app, reference=f"C-{n}", target="0.002", reports=[("0.002", "verified")])
    with app.app_context():
        board = build_dashboard(get_team("youth").id, utcnow().date())
    assert board.totals.committed == 129 and board.totals.verified == 129
    rows = exported(app)
    assert column_total(rows, "social_value_committed_gbp") == 129
    assert column_total(rows, "social_value_verified_gbp") == 129


quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(5000), places=3)
state = st.sampled_from(["pending", "verified", "disputed"])
commitment = st.tuples(
    quantities,
    st.sampled_from(["JS2.1", "JS1.1", "EN2.1", "EN2.2"]),
    st.lists(st.tuples(quantities, state), max_size=3),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(commitment, min_size=0, max_size=4))
def test_dashboard_totals_equal_the_sums_of_the_exported_rows(app, people, commitments):
    from coproduce_plugins.procurement_social_value.models import Commitment, Contract

    enable(app)
    with app.app_context():
        for contract in db.session.execute(db.select(Contract)).scalars():
            db.session.delete(contract)
        db.session.commit()
    for n, (target, code, reports) in enumerate(commitments):
        make_contract(
            app,
            reference=f"H-{n}",
            target=str(target),
            code=code,
            reports=[(str(q), s) for q, s in reports],
            published=n % 2 == 0,
        )
    with app.app_context():
        board = build_dashboard(get_team("youth").id, utcnow().date())
        assert board.totals.commitments == db.session.execute(db.select(db.func.count(Commitment.id))).scalar_one()
        # Each kept value is the rule applied by hand: the target once, each report once, rounded half up.
        for c in db.session.execute(db.select(Commitment)).scalars():
            proxy = c.measure.proxy_pence
            assert c.committed_pence == value_pence(c.target_milli, proxy)
            assert c.verified_pence == sum(
                value_pence(r.quantity_milli, proxy) for r in c.reports if r.verification == "verified"
            )
            assert c.counted_pence == sum(
                value_pence(r.quantity_milli, proxy) for r in c.reports if r.verification != "disputed"
            )
    rows = exported(app)
    assert board.totals.committed == column_total(rows, "social_value_committed_gbp")
    assert board.totals.delivered == column_total(rows, "social_value_delivered_gbp")
    assert board.totals.verified == column_total(rows, "social_value_verified_gbp")
