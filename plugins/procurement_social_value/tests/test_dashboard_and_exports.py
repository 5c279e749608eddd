"""Dashboard figures, the widget, OCDS and CSV exports, the remind command, demo data."""

import json
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner

from coproduce.plugins import db, utcnow
from coproduce.testing import build_cli  # the `coproduce` command, as tests/test_cli.py builds it
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.dashboard import fast_status, value_pence
from coproduce_plugins.procurement_social_value.status import DeliveryReport, Status, assess
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract
from coproduce_plugins.procurement_social_value.tests.test_ocds import validator  # noqa: F401  (fixture)


def test_the_fast_status_agrees_with_the_status_rules():
    rng = random.Random(6)
    start = date(2026, 1, 1)
    for _ in range(5000):
        due = start + timedelta(days=rng.choice([0, 1, 2, 30, 31, 100, 365]))
        today = start + timedelta(days=rng.randint(-5, 400))
        target = rng.choice([1, 3, 10, 1000, 4000])
        reports = [
            (rng.randint(0, target), rng.choice(["pending", "verified", "disputed"])) for _ in range(rng.randint(0, 3))
        ]
        sums = {"pending": 0, "verified": 0, "disputed": 0}
        for quantity, state in reports:
            sums[state] += quantity
        expected = assess(
            Decimal(target) / 1000, start, due, today, [DeliveryReport(Decimal(q) / 1000, s) for q, s in reports]
        ).status
        got = fast_status(
            target, sums["verified"], sums["pending"], any(s == "disputed" for _, s in reports), start, due, today
        )
        assert got is expected, (target, reports, start, due, today)


def test_value_in_pence_rounds_half_up_like_the_money_module():
    from coproduce_plugins.procurement_social_value.money import social_value_pence

    for milli, proxy in [(1, 50), (1500, 21540), (333, 3), (2500, 1), (7, 18)]:
        assert value_pence(milli, proxy) == social_value_pence(Decimal(milli) / 1000, proxy)
    assert value_pence(1000, None) == 0


def test_dashboard_adds_up_committed_delivered_and_verified(app, people):
    enable(app)
    # JS2.1: £215.40 a week. 10 weeks committed; 4 verified + 3 waiting = 7 delivered; 2 disputed.
    make_contract(app, target="10", reports=[("4", "verified"), ("3", "pending"), ("2", "disputed")])
    make_contract(app, reference="C-2", target="5", due_days=-3, reports=[("1", "verified")])  # overdue
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{S}/manage/").get_data(as_text=True)
    assert '<span class="govuk-heading-l" id="total-committed">£3,231</span>' in page  # 15 × 215.40
    assert 'id="total-delivered">£1,723.20</span>' in page  # (7 + 1) × 215.40
    assert 'id="total-verified">£1,077</span>' in page  # (4 + 1) × 215.40
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    overdue = page.split('id="overdue"')[1].split("</table>")[0]
    assert "C-2-1" in overdue and "C-1-1" not in overdue
    status_table = page.split('id="status-table"')[1].split("</table>")[0]
    assert "Disputed" in status_table


@pytest.mark.hook("dashboard_widgets")
def test_the_team_dashboard_shows_the_widget(app, people):
    enable(app)
    make_contract(app, reports=[("4", "verified")])
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get("/t/youth/dashboard").get_data(as_text=True)
    assert "Social value committed: £2,154; verified: £861.60." in page


def test_ocds_export_validates_against_the_release_package_schema(app, people, validator):  # noqa: F811
    enable(app)
    make_contract(app, reports=[("4", "verified"), ("1", "disputed")])
    make_contract(app, reference="C-2", due_days=-1)
    response = app.test_client().get(f"{S}/export/ocds.json")
    assert response.status_code == 200
    package = json.loads(response.data)
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    assert errors == [], [e.message for e in errors]
    milestones = [m for r in package["releases"] for m in r["contracts"][0]["milestones"]]
    assert {m["id"] for m in milestones} == {"C-1-1", "C-2-1"}
    assert {m["status"] for m in milestones} == {"scheduled", "notMet"}


def test_ocds_export_without_published_contracts_is_404(app, people):
    enable(app)
    assert app.test_client().get(f"{S}/export/ocds.json").status_code == 404


@pytest.mark.hook("register_cli_commands")
def test_remind_lists_due_and_overdue_commitments_per_manager(app, people):
    enable(app)
    make_contract(app, reference="SOON", due_days=10, manager=("Ann", "ann@example.org"))
    make_contract(app, reference="LATE", due_days=-5, manager=("Ann", "ann@example.org"))
    make_contract(app, reference="LATER", due_days=90, manager=("Bob", "bob@example.org"))
    make_contract(app, reference="DONE", due_days=5, reports=[("10", "verified")], manager=("Bob", "bob@example.org"))
    result = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--team", "youth"])
    assert result.exit_code == 0, result.output
    assert "Ann <ann@example.org>: 2 commitments" in result.output
    assert "SOON SOON-1" in result.output and "due in 10 days" in result.output
    assert "LATE LATE-1" in result.output and "overdue by 5 days" in result.output
    assert "[Overdue]" in result.output
    assert "Bob" not in result.output and "LATER" not in result.output and "DONE" not in result.output
    bad = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--team", "nope"])
    assert bad.exit_code != 0


@pytest.mark.hook("demo_data")
def test_demo_data_has_every_status_and_needs(app, people):
    from coproduce_plugins.procurement_social_value.demo import create_demo
    from coproduce_plugins.procurement_social_value.models import Commitment, Need
    from coproduce_plugins.procurement_social_value.store import assessment

    enable(app)
    with app.app_context():
        team = get_team("youth")
        create_demo(team, utcnow().date())
        statuses = {assessment(c, utcnow().date()).status for c in db.session.execute(db.select(Commitment)).scalars()}
        assert statuses == set(Status)
        assert db.session.execute(db.select(db.func.count(Need.id))).scalar_one() >= 5
    page = app.test_client().get(f"{S}/").get_data(as_text=True)
    assert "Kindred Care Co-operative" in page and "IT-2026-003" not in page


def test_sql_statuses_and_running_sums_agree_with_the_rules(app, people):
    """The dashboard's SQL CASE and the sums kept on commitments give what status.py gives."""
    import sqlalchemy as sa

    from coproduce_plugins.procurement_social_value.dashboard import commitment_sums, per_commitment
    from coproduce_plugins.procurement_social_value.models import Commitment
    from coproduce_plugins.procurement_social_value.store import assessment

    enable(app)
    rng = random.Random(11)
    for n in range(60):
        reports = [
            (str(rng.randint(0, 6)), rng.choice(["pending", "verified", "disputed"])) for _ in range(rng.randint(0, 3))
        ]
        start = rng.choice([-400, -100, -31, -30, -2, 0])
        due = max(start, rng.choice([-2, -1, 0, 1, 29, 30, 31, 100, 200]))
        make_contract(
            app, reference=f"R-{n}", target=str(rng.choice([1, 4, 10])), reports=reports, start_days=start, due_days=due
        )
    with app.app_context():
        today = utcnow().date()
        team_id = get_team("youth").id
        expected = {
            c.id: assessment(c, today).status.value for c in db.session.execute(sa.select(Commitment)).scalars()
        }
        p = per_commitment(team_id, today)
        got = dict(db.session.execute(sa.select(p.c.id, p.c.status)).all())
        assert got == expected
        assert len(set(got.values())) >= 5
        live = {row[0]: tuple(row[1:]) for row in db.session.execute(sa.select(commitment_sums(team_id)))}
        kept = {
            c.id: (c.verified_milli, c.pending_milli, c.disputed_milli, c.disputes)
            for c in db.session.execute(sa.select(Commitment)).scalars()
            if c.reports
        }
        assert kept == live
