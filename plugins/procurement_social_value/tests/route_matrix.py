"""This plugin's routes in the authorisation matrix (see tests/route_roles.py)."""

from coproduce.testing.roles import EVERYONE, MEMBER_ACTIONS, MEMBERS, OWNERS

P = "procurement_social_value."
S = "/t/youth/social-value"
MEMBER_404 = (302, 403, 403, 404, 404, 404)
MEMBER_400 = (302, 403, 403, 400, 400, 400)

MATRIX = {
    P + "index": ("GET", f"{S}/", EVERYONE),
    P + "contract": ("GET", f"{S}/contracts/{{contract_id}}", EVERYONE),
    P + "check": ("GET", f"{S}/commitments/{{commitment_id}}/check", EVERYONE),
    P + "need_new": ("GET", f"{S}/needs/new", EVERYONE),
    P + "help_page": ("GET", f"{S}/help", EVERYONE),
    P + "export_csv": ("GET", f"{S}/export/contracts.csv", EVERYONE),
    P + "export_codebook": ("GET", f"{S}/export/codebook.csv", EVERYONE),
    P + "export_ocds": ("GET", f"{S}/export/ocds.json", EVERYONE),
    P + "supplier": ("GET", f"{S}/supplier/{{contract_id}}/{{token}}", EVERYONE),
    P + "dashboard": ("GET", f"{S}/manage/", MEMBERS),
    P + "contracts": ("GET", f"{S}/manage/contracts", MEMBERS),
    P + "contract_new": ("GET", f"{S}/manage/contracts/new", MEMBERS),
    P + "contract_manage": ("GET", f"{S}/manage/contracts/{{contract_id}}", MEMBERS),
    P + "contract_edit": ("GET", f"{S}/manage/contracts/{{contract_id}}/edit", MEMBERS),
    P + "contract_delete": ("POST", f"{S}/manage/contracts/999999/delete", MEMBER_404),
    P + "contract_archive": ("POST", f"{S}/manage/contracts/999999/archive", MEMBER_404),
    P + "commitment_new": ("GET", f"{S}/manage/contracts/{{contract_id}}/commitments/new", MEMBERS),
    P + "commitment_manage": ("GET", f"{S}/manage/commitments/{{commitment_id}}", MEMBERS),
    P + "commitment_edit": ("GET", f"{S}/manage/commitments/{{commitment_id}}/edit", MEMBERS),
    P + "commitment_delete": ("POST", f"{S}/manage/commitments/999999/delete", MEMBER_404),
    P + "report_new": ("GET", f"{S}/manage/commitments/{{commitment_id}}/report", MEMBERS),
    P + "report_decide": ("GET", f"{S}/manage/reports/{{report_id}}/decide", MEMBERS),
    P + "report_evidence": ("GET", f"{S}/manage/reports/{{report_id}}/evidence", MEMBER_404),
    P + "link_new": ("POST", f"{S}/manage/contracts/{{contract_id}}/links", MEMBER_ACTIONS),
    P + "link_revoke": ("POST", f"{S}/manage/links/999999/revoke", MEMBER_404),
    P + "export_all_csv": ("GET", f"{S}/manage/export/contracts.csv", MEMBERS),
    P + "import_contracts": ("GET", f"{S}/manage/import", MEMBERS),
    P + "import_template": ("GET", f"{S}/manage/import/template.csv", MEMBERS),
    P + "moderation": ("GET", f"{S}/manage/moderation", MEMBERS),
    P + "moderate": ("POST", f"{S}/manage/checks/{{check_id}}/moderate", MEMBER_400),
    P + "needs": ("GET", f"{S}/manage/needs", MEMBERS),
    P + "need_curate": ("POST", f"{S}/manage/needs/{{need_id}}/curate", MEMBER_400),
    P + "need_project": ("POST", f"{S}/manage/needs/{{need_id}}/project", MEMBER_ACTIONS),
    P + "need_text": ("GET", f"{S}/manage/needs/{{accepted_need_id}}/words", MEMBERS),
    P + "framework": ("GET", f"{S}/manage/framework", MEMBERS),
    P + "framework_csv": ("GET", f"{S}/manage/framework.csv", MEMBERS),
    P + "measure_edit": ("GET", f"{S}/manage/framework/{{measure_id}}/edit", OWNERS),
    P + "framework_import": ("GET", f"{S}/manage/framework/import", OWNERS),
}


def seed(app, people):
    """The demo content in team "youth", and a working supplier link."""
    from coproduce.plugins import db, utcnow
    from coproduce.testing.fixtures import get_team
    from coproduce_plugins.procurement_social_value.demo import create_demo
    from coproduce_plugins.procurement_social_value.models import (
        CommunityCheck,
        Contract,
        DeliveryReport,
        Measure,
        Need,
    )
    from coproduce_plugins.procurement_social_value.store import create_link

    team = get_team("youth")
    create_demo(team, utcnow().date())
    contract = (
        db.session.execute(
            db.select(Contract).where(Contract.team_id == team.id, Contract.published.is_(True)).order_by(Contract.id)
        )
        .scalars()
        .first()
    )
    commitment = contract.commitments[0]
    report = (
        db.session.execute(
            db.select(DeliveryReport).where(DeliveryReport.team_id == team.id).order_by(DeliveryReport.id)
        )
        .scalars()
        .first()
    )
    _, token = create_link(contract, None)
    db.session.commit()
    first = lambda model: (
        db.session.execute(
            db.select(model.id)
            .where(  # noqa: E731
                model.team_id == team.id
            )
            .order_by(model.id)
        )
        .scalars()
        .first()
    )
    return {
        "contract_id": contract.id,
        "commitment_id": commitment.id,
        "report_id": report.id,
        "token": token,
        "check_id": first(CommunityCheck),
        "need_id": first(Need),
        "accepted_need_id": db.session.execute(
            db.select(Need.id).where(Need.team_id == team.id, Need.state == "accepted").order_by(Need.id)
        )
        .scalars()
        .first(),
        "measure_id": first(Measure),
    }
