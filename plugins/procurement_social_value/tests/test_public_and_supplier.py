"""Public pages, the supplier's private link, community checks and their moderation, rate limits."""

import re
from datetime import timedelta

from coproduce.plugins import AuditEvent, db, utcnow
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, date_fields, enable, make_contract


def make_link(app, contract_id, days=30):
    from coproduce_plugins.procurement_social_value.models import Contract
    from coproduce_plugins.procurement_social_value.store import create_link

    with app.app_context():
        link, token = create_link(db.session.get(Contract, contract_id), None, days)
        db.session.commit()
        return link.id, token


def report_data(commitment_id, quantity="3"):
    today = utcnow().date()
    return {
        "commitment": str(commitment_id),
        "quantity": quantity,
        "note": "Three trainees started",
        **date_fields("period_start", today - timedelta(20)),
        **date_fields("period_end", today),
    }


def test_supplier_reports_through_the_private_link_without_an_account(app, people):
    from coproduce_plugins.procurement_social_value.models import DeliveryReport, SupplierLink

    enable(app)
    ids = make_contract(app)
    link_id, token = make_link(app, ids["contract"])
    client = app.test_client()
    page = client.get(f"{S}/supplier/{ids['contract']}/{token}")
    assert page.status_code == 200 and "Report social value delivered" in page.get_data(as_text=True)
    response = client.post(f"{S}/supplier/{ids['contract']}/{token}", data=report_data(ids["commitment"]))
    assert response.status_code == 302
    with app.app_context():
        report = db.session.execute(db.select(DeliveryReport)).scalar_one()
        assert report.source == "supplier" and report.verification == "pending" and str(report.quantity) == "3.000"
        link = db.session.get(SupplierLink, link_id)
        assert token not in link.token_hash and len(link.token_hash) == 64 and link.last_used_at
        assert (
            db.session.execute(
                db.select(AuditEvent).where(AuditEvent.action == "procurement_social_value.report_added")
            )
            .scalar_one()
            .details["source"]
            == "supplier"
        )


def test_expired_revoked_unknown_and_wrong_contract_links_are_refused_clearly(app, people):
    from coproduce_plugins.procurement_social_value.models import DeliveryReport, SupplierLink

    enable(app)
    ids = make_contract(app)
    other = make_contract(app, reference="C-2")
    client = app.test_client()

    _, token = make_link(app, ids["contract"])
    wrong = client.post(f"{S}/supplier/{other['contract']}/{token}", data=report_data(other["commitment"]))
    assert wrong.status_code == 403 and "different contract" in wrong.get_data(as_text=True)

    expired_id, expired = make_link(app, ids["contract"])
    with app.app_context():
        db.session.get(SupplierLink, expired_id).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page = client.post(f"{S}/supplier/{ids['contract']}/{expired}", data=report_data(ids["commitment"]))
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)

    revoked_id, revoked = make_link(app, ids["contract"])
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert member.post(f"{S}/manage/links/{revoked_id}/revoke").status_code == 302
    page = client.post(f"{S}/supplier/{ids['contract']}/{revoked}", data=report_data(ids["commitment"]))
    assert page.status_code == 410 and "switched this link off" in page.get_data(as_text=True)

    unknown = client.get(f"{S}/supplier/{ids['contract']}/not-a-real-token")
    assert unknown.status_code == 404 and "does not work" in unknown.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(DeliveryReport.id))).scalar_one() == 0


def test_a_link_cannot_report_on_another_contracts_commitment(app, people):
    from coproduce_plugins.procurement_social_value.models import DeliveryReport

    enable(app)
    ids = make_contract(app)
    other = make_contract(app, reference="C-2")
    _, token = make_link(app, ids["contract"])
    response = app.test_client().post(f"{S}/supplier/{ids['contract']}/{token}", data=report_data(other["commitment"]))
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(DeliveryReport.id))).scalar_one() == 0


def test_member_creates_a_link_shown_once(app, people):
    from coproduce_plugins.procurement_social_value.models import SupplierLink

    enable(app)
    ids = make_contract(app)
    member = app.test_client()
    sign_in(member, "member@example.org")
    page = member.post(f"{S}/manage/contracts/{ids['contract']}/links", data={"days": "7"}).get_data(as_text=True)
    url = re.search(r'<code id="supplier-link">([^<]+)</code>', page).group(1)
    token = url.rsplit("/", 1)[1]
    with app.app_context():
        link = db.session.execute(db.select(SupplierLink)).scalar_one()
        assert link.token_hash != token and (link.expires_at - utcnow()).days == 6
    assert app.test_client().get(url.split("coproduce.test", 1)[1]).status_code == 200
    assert token not in member.get(f"{S}/manage/contracts/{ids['contract']}").get_data(as_text=True)


def test_supplier_link_and_public_forms_are_rate_limited(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True)
    enable(app)
    ids = make_contract(app)
    client = app.test_client()
    statuses = [client.get(f"{S}/supplier/{ids['contract']}/guess-{n}").status_code for n in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    needs = [client.post(f"{S}/needs/new", data={"title": ""}).status_code for _ in range(11)]
    assert needs[:10] == [200] * 10 and needs[10] == 429


def test_community_checks_are_held_until_a_member_approves_them(app, people):
    from coproduce_plugins.procurement_social_value.models import CommunityCheck

    enable(app)
    ids = make_contract(app)
    public = app.test_client()
    assert public.post(f"{S}/commitments/{ids['commitment']}/check", data={}).status_code == 200
    for comment in ("The new apprentices are on site every day", "Rubbish, nobody local was hired"):
        response = public.post(
            f"{S}/commitments/{ids['commitment']}/check",
            data={"happened": "yes", "met_need": "unsure", "comment": comment},
        )
        assert response.status_code == 302
    page = public.get(f"{S}/contracts/{ids['contract']}").get_data(as_text=True)
    assert "apprentices are on site" not in page and "nobody local" not in page
    with app.app_context():
        first, second = [
            c.id for c in db.session.execute(db.select(CommunityCheck).order_by(CommunityCheck.id)).scalars()
        ]
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert "apprentices are on site" in member.get(f"{S}/manage/moderation").get_data(as_text=True)
    member.post(f"{S}/manage/checks/{first}/moderate", data={"decision": "shown"})
    member.post(f"{S}/manage/checks/{second}/moderate", data={"decision": "rejected"})
    page = public.get(f"{S}/contracts/{ids['contract']}").get_data(as_text=True)
    assert "apprentices are on site" in page and "nobody local" not in page
    assert "Nothing is waiting" in member.get(f"{S}/manage/moderation").get_data(as_text=True)
    citizen = app.test_client()
    sign_in(citizen, "citizen@example.org")
    assert citizen.post(f"{S}/manage/checks/{second}/moderate", data={"decision": "shown"}).status_code == 403


def test_unpublished_contracts_stay_off_the_public_page_and_exports(app, people):
    enable(app)
    make_contract(app, published=True, reference="PUB-1")
    hidden = make_contract(app, published=False, reference="HIDDEN-1")
    public = app.test_client()
    page = public.get(f"{S}/").get_data(as_text=True)
    assert "PUB-1" in page and "HIDDEN-1" not in page
    assert public.get(f"{S}/contracts/{hidden['contract']}").status_code == 404
    assert "HIDDEN-1" not in public.get(f"{S}/export/contracts.csv").get_data(as_text=True)
    assert "HIDDEN-1" not in public.get(f"{S}/export/ocds.json").get_data(as_text=True)
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert "HIDDEN-1" in member.get(f"{S}/manage/export/contracts.csv").get_data(as_text=True)


def test_csv_export_neutralises_formulas(app, people):
    from coproduce_plugins.procurement_social_value.models import Contract

    enable(app)
    ids = make_contract(app, reports=[("4", "verified")])
    with app.app_context():
        db.session.get(Contract, ids["contract"]).title = '=HYPERLINK("http://evil")'
        db.session.commit()
    text = app.test_client().get(f"{S}/export/contracts.csv").get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("contract_id,contract_title")
    assert "'=HYPERLINK" in lines[1]
    assert ",4,4,0,on_track," in lines[1]
    assert "861.60" in lines[1]  # 4 weeks at £215.40 verified


def test_help_page_lists_every_status_rule(app, people):
    from coproduce_plugins.procurement_social_value.status import STATUS_RULES

    enable(app)
    page = app.test_client().get(f"{S}/help").get_data(as_text=True)
    rules = page.split('id="status-rules"')[1].split("</ol>")[0]
    assert rules.count("<li>") == len(STATUS_RULES)
    assert "On the due date itself a commitment is not yet overdue." in rules


def test_the_supplier_sees_past_reports_the_councils_decisions_and_reasons_and_what_is_due_next(app, people):
    enable(app)
    ids = make_contract(app, reports=[("4", "pending")], due_days=20, target="10")
    later = make_contract(app, reference="C-2", due_days=200)
    _, token = make_link(app, ids["contract"])
    officer = app.test_client()
    sign_in(officer, "member@example.org")
    (report_id,) = ids["reports"]
    officer.post(f"{S}/manage/reports/{report_id}/decide", data={"verdict": "disputed", "reason": "No payroll seen"})
    page = app.test_client().get(f"{S}/supplier/{ids['contract']}/{token}").get_data(as_text=True)
    past = page.split('id="past-reports"')[1]
    assert f'id="report-{report_id}"' in past
    assert "Disputed" in past and "No payroll seen" in past
    due = page.split('id="due-next"')[1].split('id="past-reports"')[0]
    assert "C-1-1" in due and "4 of 10" not in due  # a disputed report does not count
    assert "0 of 10" in due
    assert "C-2" not in page  # another contract's commitments are not on this supplier's page
    assert later["contract"] != ids["contract"]
