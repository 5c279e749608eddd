"""A delivery report's period and quantity are checked: nothing in the future, outside the contract, or too large."""

from datetime import timedelta

import pytest

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, date_fields, enable, make_contract
from coproduce_plugins.procurement_social_value.tests.test_public_and_supplier import make_link, report_data


def report_count(app):
    from coproduce_plugins.procurement_social_value.models import DeliveryReport

    with app.app_context():
        return db.session.execute(db.select(db.func.count(DeliveryReport.id))).scalar_one()


def error_beside(page: str, field: str) -> str:
    """The text of the error message shown beside a field (GOV.UK pattern), or ''."""
    marker = f'id="{field}-error"'
    if marker not in page:
        return ""
    return page.split(marker, 1)[1].split("</p>", 1)[0]


def supplier_post(app, ids, **overrides):
    _, token = make_link(app, ids["contract"])
    data = {**report_data(ids["commitment"]), **overrides}
    return app.test_client().post(f"{S}/supplier/{ids['contract']}/{token}", data=data)


def test_a_supplier_cannot_report_a_period_in_the_future(app, people):
    enable(app)
    ids = make_contract(app)
    today = utcnow().date()
    response = supplier_post(app, ids, **date_fields("period_end", today + timedelta(days=10)))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "future" in error_beside(page, "period_end")
    assert report_count(app) == 0


def test_a_supplier_cannot_report_a_period_before_the_contract_started(app, people):
    enable(app)
    ids = make_contract(app, start_days=-10)
    today = utcnow().date()
    response = supplier_post(app, ids, **date_fields("period_start", today - timedelta(days=40)))
    assert response.status_code == 200
    assert "contract" in error_beside(response.get_data(as_text=True), "period_start")
    assert report_count(app) == 0


def test_an_officer_cannot_report_a_future_period_either(app, people):
    enable(app)
    ids = make_contract(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    today = utcnow().date()
    data = {**report_data(ids["commitment"]), **date_fields("period_end", today + timedelta(days=1))}
    response = client.post(f"{S}/manage/commitments/{ids['commitment']}/report", data=data)
    assert response.status_code == 200
    assert "future" in error_beside(response.get_data(as_text=True), "period_end")
    assert report_count(app) == 0


@pytest.mark.parametrize("quantity", ["999999999999", "1000000000000"])
def test_a_huge_quantity_is_refused_and_the_dashboard_still_works(app, people, quantity):
    # JS1.1 is worth £9,400 a person: a trillion people would be worth more than any contract could be.
    enable(app)
    ids = make_contract(app, code="JS1.1")
    response = supplier_post(app, ids, quantity=quantity)
    assert response.status_code == 200
    assert "most" in error_beside(response.get_data(as_text=True), "quantity")
    assert report_count(app) == 0
    client = app.test_client()
    sign_in(client, "member@example.org")
    assert client.get(f"{S}/manage/").status_code == 200


def test_a_quantity_within_the_measure_bound_is_accepted(app, people):
    enable(app)
    ids = make_contract(app, code="JS1.1")
    response = supplier_post(app, ids, quantity="250")
    assert response.status_code == 302
    assert report_count(app) == 1


def test_the_dashboard_survives_the_largest_reports_accepted(app, people):
    """Reports at the bound, stored directly, still add up on both databases."""
    from coproduce_plugins.procurement_social_value.checks import quantity_limit
    from coproduce_plugins.procurement_social_value.models import Measure

    enable(app)
    with app.app_context():
        proxy = db.session.execute(db.select(Measure.proxy_pence).where(Measure.code == "JS1.1")).scalar_one()
        most = quantity_limit(proxy)
    ids = make_contract(app, code="JS1.1", target=str(most), reports=[(str(most), "verified")] * 3)
    client = app.test_client()
    sign_in(client, "member@example.org")
    assert client.get(f"{S}/manage/").status_code == 200
    assert client.get(f"{S}/manage/export/contracts.csv").status_code == 200
    assert ids


def test_an_officer_cannot_set_a_target_past_the_measure_bound(app, people):
    from coproduce_plugins.procurement_social_value.models import Commitment, Measure

    enable(app)
    ids = make_contract(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    with app.app_context():
        measure = db.session.execute(db.select(Measure).where(Measure.code == "JS1.1")).scalar_one()
    data = {
        "measure": str(measure.id),
        "need": "",
        "target": "999999999",
        "description": "",
        **date_fields("due_date", utcnow().date() + timedelta(days=30)),
    }
    response = client.post(f"{S}/manage/contracts/{ids['contract']}/commitments/new", data=data)
    assert response.status_code == 200
    assert "most accepted" in error_beside(response.get_data(as_text=True), "target")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Commitment.id))).scalar_one() == 1
