"""The team's pages: framework seeding, contracts and commitments, CSV import, checks, audit log."""

import io
import re
from datetime import timedelta

import pytest

from coproduce.plugins import AuditEvent, db, utcnow
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, date_fields, enable, make_contract


def audit_actions(app):
    with app.app_context():
        return [e.action for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()]


@pytest.mark.hook("plugin_enabled")
def test_enabling_the_plugin_seeds_the_example_framework(app, people):
    from coproduce_plugins.procurement_social_value.models import Measure

    enable(app)
    with app.app_context():
        count = db.session.execute(
            db.select(db.func.count(Measure.id)).where(Measure.team_id == get_team("youth").id)
        ).scalar_one()
        assert count >= 20
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{S}/manage/framework").get_data(as_text=True)
    assert "JS1.1" in page and "£9,400" in page


def test_officer_adds_a_contract_and_a_commitment(app, people):
    from coproduce_plugins.procurement_social_value.models import Commitment, Contract

    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    today = utcnow().date()
    data = {
        "reference": "HW-9",
        "title": "Gritting",
        "supplier_name": "Frost Ltd",
        "value": "£12,500.50",
        "category": "",
        "area": "Eastfield",
        "manager_name": "Jo",
        "manager_email": "jo@example.org",
        "published": "y",
        **date_fields("start_date", today),
        **date_fields("end_date", today + timedelta(400)),
    }
    response = client.post(f"{S}/manage/contracts/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        contract = db.session.execute(db.select(Contract)).scalar_one()
        assert contract.value_pence == 1_250_050 and contract.supplier.name == "Frost Ltd"
        measure_id = db.session.execute(
            db.text("select id from procurement_social_value_measure where code = 'JS1.1'")
        ).scalar_one()
        contract_id = contract.id
    again = client.post(f"{S}/manage/contracts/new", data=data)
    assert again.status_code == 200 and "Another contract already has this reference" in again.get_data(as_text=True)

    bad = client.post(
        f"{S}/manage/contracts/{contract_id}/commitments/new",
        data={"measure": str(measure_id), "target": "-3", **date_fields("due_date", today)},
    )
    assert bad.status_code == 200
    assert "Enter a number of 0 or more" in bad.get_data(as_text=True)
    good = client.post(
        f"{S}/manage/contracts/{contract_id}/commitments/new",
        data={"measure": str(measure_id), "target": "12.5", **date_fields("due_date", today + timedelta(200))},
    )
    assert good.status_code == 302
    with app.app_context():
        commitment = db.session.execute(db.select(Commitment)).scalar_one()
        assert str(commitment.target) == "12.500" and commitment.ref == "HW-9-1"
    page = client.get(f"{S}/manage/contracts/{contract_id}").get_data(as_text=True)
    assert "HW-9-1" in page and "On track" in page
    assert {"procurement_social_value.contract_added", "procurement_social_value.commitment_added"} <= set(
        audit_actions(app)
    )


def test_contract_form_errors_are_shown_beside_the_fields(app, people):
    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    response = client.post(
        f"{S}/manage/contracts/new", data={"reference": "bad ref!", "value": "lots", "start_date": ["31", "2", "2026"]}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in (
        "Use only letters, digits",
        "Enter an amount in pounds",
        "Enter a real date",
        "Enter what the contract is for",
        "There is a problem",
    ):
        assert message in page


def test_another_teams_objects_answer_404(app, people):
    enable(app)
    enable(app, "parks")
    ids = make_contract(app)
    client = app.test_client()
    sign_in(client, "outsider@example.org")  # owner of "parks"
    assert client.get(f"/t/parks/social-value/manage/contracts/{ids['contract']}").status_code == 404
    assert client.get(f"/t/parks/social-value/manage/commitments/{ids['commitment']}").status_code == 404
    assert client.get(f"/t/parks/social-value/contracts/{ids['contract']}").status_code == 404
    assert client.post(f"/t/parks/social-value/manage/contracts/{ids['contract']}/delete").status_code == 404


IMPORT_HEADER = (
    "contract_id,contract_title,supplier_name,supplier_company_number,contract_value_gbp,"
    "contract_start,contract_end,commitment_ref,measure_code,target_quantity,due_date,local_need\n"
)


def test_import_with_a_bad_row_in_the_middle_imports_nothing(app, people):
    from coproduce_plugins.procurement_social_value.models import Commitment, Contract

    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    body = (
        IMPORT_HEADER
        + "C-1,Cleaning,Shine Ltd,,1000,2026-01-01,2027-01-01,,JS1.1,2,2026-06-01,Jobs for care leavers\n"
        + "C-2,Catering,Plates Ltd,,2000,2026-01-01,2027-01-01,,NOPE,2,2026-06-01,\n"
        + "C-3,Parks,Green Ltd,,3000,2026-01-01,2027-01-01,,JS1.2,3,2026-06-01,\n"
    )
    response = client.post(
        f"{S}/manage/import",
        data={"file": (io.BytesIO(body.encode()), "import.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert page.count('data-module="govuk-error-summary"') == 1, "one error summary, not two"
    assert re.search(r'<p id="file-error" class="govuk-error-message">.*Nothing was imported', page, re.S)
    assert "measure_code “NOPE” is not in the framework" in page
    assert '<td class="govuk-table__cell">3</td>' in page  # the spreadsheet row of the bad line
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Contract.id))).scalar_one() == 0

    fixed = body.replace("NOPE", "JS1.2")
    response = client.post(
        f"{S}/manage/import",
        data={"file": (io.BytesIO(fixed.encode()), "import.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Contract.id))).scalar_one() == 3
        commitment = db.session.execute(db.select(Commitment).where(Commitment.ref == "C-1-1")).scalar_one()
        # An imported need waits for the team to curate it, like any other.
        assert commitment.need.title == "Jobs for care leavers" and commitment.need.state == "new"
    assert "procurement_social_value.imported" in audit_actions(app)


def test_import_refuses_a_file_that_is_not_csv(app, people):
    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    response = client.post(
        f"{S}/manage/import", data={"file": (io.BytesIO(b"%PDF-1.4 nope"), "x.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert "This kind of file is not accepted here" in response.get_data(as_text=True)


def test_officer_reports_and_verifies_or_disputes_with_a_reason(app, people):
    from coproduce_plugins.procurement_social_value.models import Decision, DeliveryReport

    enable(app)
    ids = make_contract(app, target="10")
    client = app.test_client()
    sign_in(client, "member@example.org")
    today = utcnow().date()
    response = client.post(
        f"{S}/manage/commitments/{ids['commitment']}/report",
        data={
            "commitment": str(ids["commitment"]),
            "quantity": "10",
            "note": "Ten apprentices",
            **date_fields("period_start", today - timedelta(30)),
            **date_fields("period_end", today),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.execute(db.select(DeliveryReport)).scalar_one()
        report_id = report.id
        assert report.source == "officer" and report.verification == "pending"
    assert "Delivered, awaiting check" in client.get(f"{S}/manage/commitments/{ids['commitment']}").get_data(
        as_text=True
    )

    no_reason = client.post(f"{S}/manage/reports/{report_id}/decide", data={"verdict": "disputed"})
    assert no_reason.status_code == 200 and "Enter the reason" in no_reason.get_data(as_text=True)
    client.post(f"{S}/manage/reports/{report_id}/decide", data={"verdict": "disputed", "reason": "No payroll seen"})
    assert "Disputed" in client.get(f"{S}/manage/commitments/{ids['commitment']}").get_data(as_text=True)
    client.post(f"{S}/manage/reports/{report_id}/decide", data={"verdict": "verified", "reason": "Payroll seen"})
    page = client.get(f"{S}/manage/commitments/{ids['commitment']}").get_data(as_text=True)
    assert "govuk-tag--green" in page
    with app.app_context():
        assert [d.verdict for d in db.session.execute(db.select(Decision).order_by(Decision.id)).scalars()] == [
            "disputed",
            "verified",
        ]
        events = (
            db.session.execute(db.select(AuditEvent).where(AuditEvent.action.like("procurement_social_value.report_%")))
            .scalars()
            .all()
        )
        assert [e.action.rsplit(".", 1)[1] for e in events] == ["report_added", "report_disputed", "report_verified"]
        assert events[-1].details["reason"] == "Payroll seen" and events[-1].details["before"] == "disputed"


def test_evidence_upload_is_checked_and_only_members_download_it(app, people):
    enable(app)
    ids = make_contract(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    today = utcnow().date()
    base = {
        "commitment": str(ids["commitment"]),
        "quantity": "1",
        **date_fields("period_start", today),
        **date_fields("period_end", today),
    }
    bad = client.post(
        f"{S}/manage/commitments/{ids['commitment']}/report",
        data={**base, "evidence": (io.BytesIO(b"MZ\x90\x00binary"), "evil.exe")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "The file must be a PDF" in bad.get_data(as_text=True)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    good = client.post(
        f"{S}/manage/commitments/{ids['commitment']}/report",
        data={**base, "evidence": (io.BytesIO(png), "photo.png")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    from coproduce_plugins.procurement_social_value.models import DeliveryReport

    with app.app_context():
        report = db.session.execute(db.select(DeliveryReport)).scalar_one()
        assert report.evidence_name == "photo.png"
    download = client.get(f"{S}/manage/reports/{report.id}/evidence")
    assert download.status_code == 200 and download.data == png
    assert "attachment" in download.headers["Content-Disposition"]
    stranger = app.test_client()
    sign_in(stranger, "citizen@example.org")
    assert stranger.get(f"{S}/manage/reports/{report.id}/evidence").status_code == 403


def test_needs_curation_and_the_register(app, people):
    from coproduce_plugins.procurement_social_value.models import Commitment, Need

    enable(app)
    ids = make_contract(app)
    public = app.test_client()
    assert public.post(f"{S}/needs/new", data={"title": ""}).status_code == 200
    assert (
        public.post(f"{S}/needs/new", data={"title": "A bench by the bus stop", "area": "Eastfield"}).status_code == 302
    )
    register = public.get(f"{S}/").get_data(as_text=True)
    assert "A bench by the bus stop" not in register  # not curated yet
    assert "There are no needs on the register yet." in register
    assert "Every need on the register is answered" not in register  # not said of an empty register
    with app.app_context():
        need_id = db.session.execute(db.select(Need.id)).scalar_one()
    member = app.test_client()
    sign_in(member, "member@example.org")
    member.post(f"{S}/manage/needs/{need_id}/curate", data={"state": "accepted"})
    page = public.get(f"{S}/").get_data(as_text=True)
    unanswered = page.split('id="needs-unanswered"')[1].split("</ul>")[0]
    assert "A bench by the bus stop" in unanswered and "There are no needs on the register yet." not in page
    with app.app_context():
        db.session.get(Commitment, ids["commitment"]).need_id = need_id
        db.session.commit()
    page = public.get(f"{S}/").get_data(as_text=True)
    assert "A bench by the bus stop" in page.split('id="needs-answered"')[1].split("</ul>")[0]
    assert 'id="needs-unanswered"' not in page


def test_framework_import_replaces_measures_but_keeps_those_in_use(app, people):
    from coproduce_plugins.procurement_social_value.models import Measure

    enable(app)
    make_contract(app, code="JS2.1")
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    csv_text = (
        "theme_code,theme,outcome_code,outcome,measure_code,measure,unit,proxy_value_gbp\n"
        "T1,Trees,T1.1,More trees,TR1,Trees planted,trees,12.50\n"
    )
    response = owner.post(
        f"{S}/manage/framework/import",
        data={"file": (io.BytesIO(csv_text.encode()), "f.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        codes = set(db.session.execute(db.select(Measure.code)).scalars())
        assert codes == {"TR1", "JS2.1"}
    broken = owner.post(
        f"{S}/manage/framework/import",
        data={"file": (io.BytesIO(b"theme_code,theme\nA,B\n"), "f.csv")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 200
    assert "Columns missing from the header row: outcome_code" in broken.get_data(as_text=True)
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert member.get(f"{S}/manage/framework/import").status_code == 403
    assert member.get(f"{S}/manage/framework.csv").data.decode().startswith("\ufefftheme_code,")


@pytest.mark.hook("personal_data")
@pytest.mark.hook("erase_personal_data")
def test_personal_data_and_erasure_keep_the_figures(app, people):
    from coproduce.plugins import User
    from coproduce_plugins.procurement_social_value.hooks import erase_personal_data, personal_data
    from coproduce_plugins.procurement_social_value.models import Contract, Decision, DeliveryReport

    enable(app)
    ids = make_contract(app, manager=("Mo Member", "member@example.org"))
    client = app.test_client()
    sign_in(client, "member@example.org")
    today = utcnow().date()
    client.post(
        f"{S}/manage/commitments/{ids['commitment']}/report",
        data={
            "commitment": str(ids["commitment"]),
            "quantity": "2",
            **date_fields("period_start", today),
            **date_fields("period_end", today),
        },
    )
    with app.app_context():
        report_id = db.session.execute(db.select(DeliveryReport.id)).scalar_one()
    client.post(f"{S}/manage/reports/{report_id}/decide", data={"verdict": "verified", "reason": "Seen"})
    with app.app_context():
        member = db.session.get(User, people["member"])
        from coproduce.plugins import Person

        held = personal_data(user=member, person=Person.of_user(member))
        assert held["delivery_reports_made"][0]["report"] == report_id
        assert held["verification_decisions"][0]["reason"] == "Seen"
        assert held["contracts_managed"][0]["email"] == "member@example.org"
        erase_personal_data(user=member, person=Person.of_user(member))
        db.session.commit()
        report = db.session.get(DeliveryReport, report_id)
        assert report.reporter_id is None and str(report.quantity) == "2.000" and report.verification == "verified"
        assert db.session.execute(db.select(Decision.officer_id)).scalar_one() is None
        assert db.session.get(Contract, ids["contract"]).manager_email == ""


def test_reloading_the_new_link_page_makes_no_second_link(app, people):
    """The link is shown once, on the page answering the POST; a reload sends the POST again."""
    from coproduce.testing import once_key
    from coproduce_plugins.procurement_social_value.models import SupplierLink

    enable(app)
    ids = make_contract(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{S}/manage/contracts/{ids['contract']}").get_data(as_text=True)
    form = {"days": "30", "once": once_key(page)}
    created = client.post(f"{S}/manage/contracts/{ids['contract']}/links", data=form)
    assert created.status_code == 200 and "/supplier/" in created.get_data(as_text=True)
    reloaded = client.post(f"{S}/manage/contracts/{ids['contract']}/links", data=form, follow_redirects=True)
    assert "That link was already created and shown once" in reloaded.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SupplierLink.id))).scalar_one() == 1


def test_counts_take_each_languages_plural_forms(app, people):
    enable(app)
    ids = make_contract(app, due_days=1)
    client = app.test_client()
    sign_in(client, "member@example.org")
    assert "1 contract<" in client.get(f"{S}/manage/contracts").get_data(as_text=True)
    page = client.get(f"{S}/manage/commitments/{ids['commitment']}").get_data(as_text=True)
    assert "(1 day left)" in page and "1 days" not in page
    assert ">1 umowa<" in client.get(f"{S}/manage/contracts?lang=pl").get_data(as_text=True)
    make_contract(app, reference="C-2")
    assert ">2 umowy<" in client.get(f"{S}/manage/contracts?lang=pl").get_data(as_text=True)
    assert ">2 gontract<" in client.get(f"{S}/manage/contracts?lang=cy").get_data(as_text=True)
