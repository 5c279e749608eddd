"""Changing a proxy value keeps past £ figures: each is valued at the proxy in force for its period."""

from datetime import timedelta

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, date_fields, enable, make_contract
from coproduce_plugins.procurement_social_value.tests.test_report_bounds import error_beside


def owner(app):
    client = app.test_client()
    sign_in(client, "owner@example.org")
    return client


def measure_id(app, code="JS2.1"):
    from coproduce_plugins.procurement_social_value.models import Measure

    with app.app_context():
        return db.session.execute(db.select(Measure.id).where(Measure.code == code)).scalar_one()


def change_proxy(client, mid, proxy, source, applies_from):
    data = {"title": "Weeks of apprenticeship", "unit": "weeks", "proxy": proxy, "proxy_source": source}
    data.update(date_fields("proxy_from", applies_from) if applies_from else {})
    return client.post(f"{S}/manage/framework/{mid}/edit", data=data)


def test_changing_a_proxy_value_does_not_rewrite_past_figures(app, people):
    from coproduce_plugins.procurement_social_value.models import ProxyValue

    enable(app)
    # 10 weeks at £215.40 from 100 days ago; 4 weeks verified for the month to today.
    ids = make_contract(app, target="10", reports=[("4", "verified")])
    client = owner(app)
    page = client.get(f"{S}/manage/").get_data(as_text=True)
    assert 'id="total-committed">£2,154</span>' in page and 'id="total-verified">£861.60</span>' in page

    tomorrow = utcnow().date() + timedelta(days=1)
    response = change_proxy(client, measure_id(app), "300", "Council's values for 2027", tomorrow)
    assert response.status_code == 302
    page = client.get(f"{S}/manage/").get_data(as_text=True)
    assert 'id="total-committed">£2,154</span>' in page  # the commitment started before the change
    assert 'id="total-verified">£861.60</span>' in page  # the report's period ended before it
    proxies = page.split('id="proxy-table"')[1].split("</table>")[0]
    assert "£215.40" in proxies and "£300" not in proxies  # only the value used is listed
    with app.app_context():
        history = db.session.execute(db.select(ProxyValue).order_by(ProxyValue.id)).scalars().all()
        js = [p for p in history if p.measure_id == measure_id(app)]
        assert [p.pence for p in js] == [21540, 30000] and js[1].source == "Council's values for 2027"
    rows = client.get(f"{S}/manage/export/contracts.csv").get_data(as_text=True)
    assert "proxy_value_gbp" in rows.splitlines()[0] and ",215.40," in rows
    assert ids


def test_a_proxy_applying_from_the_past_revalues_what_falls_after_it(app, people):
    enable(app)
    make_contract(app, target="10", start_days=-100, reports=[("4", "verified")])
    client = owner(app)
    # From 10 days ago: the report (its period ends today) is revalued; the target (started 100 days ago) is not.
    change_proxy(client, measure_id(app), "100", "Corrected values", utcnow().date() - timedelta(days=10))
    page = client.get(f"{S}/manage/").get_data(as_text=True)
    assert 'id="total-committed">£2,154</span>' in page
    assert 'id="total-verified">£400</span>' in page
    proxies = page.split('id="proxy-table"')[1].split("</table>")[0]
    assert "£215.40" in proxies and "£100" in proxies and "Corrected values" in proxies


def test_a_changed_proxy_needs_a_source_and_a_date(app, people):
    enable(app)
    client = owner(app)
    response = change_proxy(client, measure_id(app), "300", "", None)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Say where the new proxy value comes from" in error_beside(page, "proxy_source")
    assert "Enter the date" in error_beside(page, "proxy_from")
