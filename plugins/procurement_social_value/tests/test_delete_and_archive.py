"""Deleting asks first and is audited; checked reports are never deleted; archiving keeps history out of sight."""

from coproduce.plugins import AuditEvent, db
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract


def counts(app):
    from coproduce_plugins.procurement_social_value.models import Commitment, Contract, DeliveryReport

    with app.app_context():
        return tuple(
            db.session.execute(db.select(db.func.count(model.id))).scalar_one()
            for model in (Contract, Commitment, DeliveryReport)
        )


def member(app):
    client = app.test_client()
    sign_in(client, "member@example.org")
    return client


def test_a_contract_with_verified_reports_cannot_be_deleted(app, people):
    enable(app)
    ids = make_contract(app, reports=[("4", "verified"), ("1", "pending")])
    client = member(app)
    response = client.post(f"{S}/manage/contracts/{ids['contract']}/delete")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This cannot be deleted" in page and "Archive the contract" in page
    assert counts(app) == (1, 1, 2)


def test_a_commitment_with_a_verified_report_cannot_be_deleted(app, people):
    enable(app)
    ids = make_contract(app, reports=[("4", "verified")])
    response = member(app).post(f"{S}/manage/commitments/{ids['commitment']}/delete")
    assert response.status_code == 200
    assert "This cannot be deleted" in response.get_data(as_text=True)
    assert counts(app) == (1, 1, 1)


def test_deleting_asks_for_confirmation_first_and_is_audited(app, people):
    enable(app)
    ids = make_contract(app, reports=[("2", "pending")])
    client = member(app)
    manage = client.get(f"{S}/manage/contracts/{ids['contract']}").get_data(as_text=True)
    # The manage page links to a confirmation page; it holds no one-click delete form.
    assert f'action="{S}/manage/contracts/{ids["contract"]}/delete"' not in manage
    assert f'href="{S}/manage/contracts/{ids["contract"]}/delete"' in manage
    ask = client.get(f"{S}/manage/contracts/{ids['contract']}/delete")
    assert ask.status_code == 200
    page = ask.get_data(as_text=True)
    assert "Delete contract C-1?" in page and "1 delivery report, none of them checked yet" in page
    assert counts(app) == (1, 1, 1)
    done = client.post(f"{S}/manage/contracts/{ids['contract']}/delete")
    assert done.status_code == 302
    assert counts(app) == (0, 0, 0)
    with app.app_context():
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "procurement_social_value.contract_deleted")
        ).scalar_one()
        assert event.details["reports"] == 1 and event.details["commitments"] == 1


def test_an_archived_contract_leaves_public_pages_exports_and_dashboard_and_keeps_its_history(app, people):
    enable(app)
    kept = make_contract(app, reference="KEEP", reports=[("4", "verified")])
    gone = make_contract(app, reference="OLD", reports=[("3", "verified")])
    client = member(app)
    before = client.get(f"{S}/manage/").get_data(as_text=True)
    assert client.post(f"{S}/manage/contracts/{gone['contract']}/archive").status_code == 302
    public = app.test_client()
    assert "OLD" not in public.get(f"{S}/").get_data(as_text=True)
    assert public.get(f"{S}/contracts/{gone['contract']}").status_code == 404
    assert public.get(f"{S}/contracts/{kept['contract']}").status_code == 200
    assert "OLD" not in public.get(f"{S}/export/contracts.csv").get_data(as_text=True)
    assert "OLD" not in public.get(f"{S}/export/ocds.json").get_data(as_text=True)
    assert "OLD" not in client.get(f"{S}/manage/export/contracts.csv").get_data(as_text=True)
    after = client.get(f"{S}/manage/").get_data(as_text=True)
    assert 'id="total-verified">£861.60</span>' in after  # 4 × £215.40: the archived 3 weeks are gone
    assert before != after
    assert counts(app) == (2, 2, 2)  # history kept
    manage = client.get(f"{S}/manage/contracts/{gone['contract']}").get_data(as_text=True)
    assert "Archived" in manage and "Bring back from the archive" in manage
    client.post(f"{S}/manage/contracts/{gone['contract']}/archive")
    assert "OLD" in public.get(f"{S}/").get_data(as_text=True)
    with app.app_context():
        actions = [e.action for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert "procurement_social_value.contract_archived" in actions
    assert "procurement_social_value.contract_restored" in actions
