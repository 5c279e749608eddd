"""Hostile input posted to every form of the social-value plugin (see tests/hostile.py): never a 500, an
invalid post stores nothing and shows the GOV.UK error summary with a message beside the field, and a
stored payload is never shown unescaped, on the team's pages, the public pages or the supplier's page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import get_team, sign_in
from coproduce.testing.hostile import (
    IMG,
    NUMBER_EDGES,
    SCRIPT,
    Clients,
    HostileForm,
    Upload,
    check_coverage,
    check_csrf_refusals,
    csv_bytes,
    run_hostile_posts,
    table_names,
)
from coproduce_plugins.procurement_social_value.demo import create_demo
from coproduce_plugins.procurement_social_value.models import (
    CommunityCheck,
    Contract,
    DeliveryReport,
    Measure,
    Need,
)
from coproduce_plugins.procurement_social_value.projects import project_choices
from coproduce_plugins.procurement_social_value.store import create_link
from coproduce_plugins.procurement_social_value.tests.helpers import NAME, S, enable

MEMBER, OWNER = "member@example.org", "owner@example.org"
TODAY = utcnow().date()


def day(offset: int) -> list[str]:
    d = TODAY + timedelta(days=offset)
    return [str(d.day), str(d.month), str(d.year)]


CONTRACT = {
    "reference": "HOSTILE-1",
    "title": f"{SCRIPT} gritting",
    "supplier_name": f"{IMG} Ltd",
    "company_number": "01234567",
    "value": "£12,500.50",
    "start_date": day(-30),
    "end_date": day(400),
    "category": SCRIPT,
    "area": IMG,
    "manager_name": f"{SCRIPT} Jo",
    "manager_email": "jo@example.org",
    "published": "y",
    # The same payloads in the other languages' inputs (coproduce.plugins.translated).
    "title-cy": f"{SCRIPT} graeanu",
    "title-ur": IMG,
}
COMMITMENT = {
    "measure": "{measure_id}",
    "target": "12.5",
    "due_date": day(200),
    "description": f"{SCRIPT}\n{IMG}",
    "description-pl": f"{IMG}\n{SCRIPT}",
    "description-cy": f"{SCRIPT} **bold**",
    "need": "{accepted_need_id}",
    "project": "{project_id}",
}
CSV = f"Name,Hours\n{SCRIPT},3\n".encode()
REPORT = {
    "commitment": "{commitment_id}",
    "period_start": day(-20),
    "period_end": day(-1),
    "quantity": "3.5",
    "note": f"{SCRIPT} apprentices\n{IMG}",
    "link": f"https://example.org/?q={SCRIPT}",
    "evidence": Upload(CSV, f"{SCRIPT}.csv"),
}
IMPORT = Upload(
    csv_bytes(
        [
            [
                "contract_id",
                "contract_title",
                "supplier_name",
                "supplier_company_number",
                "contract_value_gbp",
                "contract_start",
                "contract_end",
                "commitment_ref",
                "measure_code",
                "target_quantity",
                "due_date",
                "local_need",
            ],
            [
                "C-90",
                f"{SCRIPT} cleaning",
                f"{IMG} Ltd",
                "",
                "1000",
                "2026-01-01",
                "2027-01-01",
                "",
                "JS1.1",
                "2",
                "2026-06-01",
                SCRIPT,
            ],
            ["C-91", "Parks", "Green Ltd", "", "3000", "2026-01-01", "2027-01-01", "", "JS1.2", "3", "2026-06-01", ""],
        ]
    ),
    "import.csv",
)
FRAMEWORK = Upload(
    csv_bytes(
        [
            ["theme_code", "theme", "outcome_code", "outcome", "measure_code", "measure", "unit", "proxy_value_gbp"],
            ["T1", f"{SCRIPT} trees", "T1.1", IMG, "TR1", SCRIPT, "trees", "12.50"],
            ["T1", f"{SCRIPT} trees", "T1.1", IMG, "TR2", "Hedges planted", "metres", ""],
        ]
    ),
    "framework.csv",
)
K = f"{S}/manage/contracts/{{contract_id}}"
C = f"{S}/manage/commitments/{{commitment_id}}"
PUBLIC_CONTRACT = (None, f"{S}/contracts/{{contract_id}}")
SUPPLIER = f"{S}/supplier/{{contract_id}}/{{token}}"
FORMS = [
    HostileForm(
        f"{NAME}.contract_new",
        f"{S}/manage/contracts/new",
        MEMBER,
        CONTRACT,
        edges={"value": NUMBER_EDGES},
        shown=(f"{S}/manage/contracts", f"{S}/manage/", (None, f"{S}/")),
    ),
    HostileForm(
        f"{NAME}.contract_edit",
        f"{K}/edit",
        MEMBER,
        CONTRACT,
        shown=(
            K,
            f"{S}/manage/contracts",
            PUBLIC_CONTRACT,
            (None, f"{S}/"),
            (None, f"{S}/?lang=cy"),
            (None, f"{S}/contracts/{{contract_id}}?lang=ur"),
            (None, SUPPLIER),
            "/t/youth/dashboard",
            f"{S}/manage/?lang=cy",
        ),
    ),
    HostileForm(
        f"{NAME}.commitment_new",
        f"{K}/commitments/new",
        MEMBER,
        COMMITMENT,
        edges={"target": NUMBER_EDGES},
        shown=(K, PUBLIC_CONTRACT, (None, f"{S}/")),
    ),
    HostileForm(f"{NAME}.commitment_edit", f"{C}/edit", MEMBER, COMMITMENT, shown=(C, K, PUBLIC_CONTRACT)),
    HostileForm(
        f"{NAME}.report_new",
        f"{C}/report",
        MEMBER,
        REPORT,
        edges={"quantity": NUMBER_EDGES},
        shown=(C, PUBLIC_CONTRACT, (None, SUPPLIER)),
    ),
    HostileForm(
        f"{NAME}.report_decide",
        f"{S}/manage/reports/{{report_id}}/decide",
        MEMBER,
        {"verdict": "disputed", "reason": f"{SCRIPT} no payroll seen {IMG}"},
        shown=(C, PUBLIC_CONTRACT, (None, SUPPLIER)),
    ),
    HostileForm(f"{NAME}.supplier", SUPPLIER, None, REPORT, shown=((MEMBER, C), PUBLIC_CONTRACT)),
    HostileForm(
        f"{NAME}.check",
        f"{S}/commitments/{{commitment_id}}/check",
        None,
        {"happened": "yes", "met_need": "unsure", "comment": f"{SCRIPT} I saw it\n{IMG}"},
        shown=((MEMBER, f"{S}/manage/moderation"), PUBLIC_CONTRACT),
    ),
    HostileForm(
        f"{NAME}.need_new",
        f"{S}/needs/new",
        None,
        {"title": f"{SCRIPT} a bench", "description": IMG, "area": SCRIPT, "group_name": IMG},
        shown=((MEMBER, f"{S}/manage/needs"),),
    ),
    HostileForm(
        f"{NAME}.moderate",
        f"{S}/manage/checks/{{check_id}}/moderate",
        MEMBER,
        {"decision": "shown"},
        shown=(PUBLIC_CONTRACT,),
    ),
    HostileForm(
        f"{NAME}.need_curate",
        f"{S}/manage/needs/{{need_id}}/curate",
        MEMBER,
        {"state": "accepted"},
        shown=((None, f"{S}/"), f"{K}/commitments/new"),
    ),
    HostileForm(
        f"{NAME}.need_project",
        f"{S}/manage/needs/{{need_id}}/project",
        MEMBER,
        {"project": "{project_id}"},
        shown=(f"{S}/manage/needs",),
    ),
    HostileForm(
        f"{NAME}.need_text",
        f"{S}/manage/needs/{{accepted_need_id}}/words",
        MEMBER,
        {"title": f"{SCRIPT} a bench", "title-cy": f"{SCRIPT} mainc", "description-ur": IMG, "description": SCRIPT},
        shown=(f"{S}/manage/needs", (None, f"{S}/"), (None, f"{S}/?lang=cy"), (None, f"{S}/?lang=ur")),
    ),
    HostileForm(
        f"{NAME}.measure_edit",
        f"{S}/manage/framework/{{measure_id}}/edit",
        OWNER,
        {
            "title": f"{SCRIPT} jobs",
            "unit": IMG,
            "title-cy": f"{SCRIPT} swyddi",
            "unit-ur": SCRIPT,
            "proxy": "9,400.50",
            "proxy_source": f"{SCRIPT} values",
            "proxy_from": day(-5),
        },
        edges={"proxy": NUMBER_EDGES},
        shown=(f"{S}/manage/framework", f"{K}/commitments/new", C, PUBLIC_CONTRACT, f"{S}/manage/"),
    ),
    HostileForm(
        f"{NAME}.link_new",
        f"{K}/links",
        MEMBER,
        {"days": "30"},
        result_page=True,
        shown=(K,),
        edges={"days": NUMBER_EDGES},
    ),
    HostileForm(f"{NAME}.link_revoke", f"{S}/manage/links/{{link_id}}/revoke", MEMBER),
    # Only unchecked records can be deleted: the demo's contract without reports.
    HostileForm(f"{NAME}.commitment_delete", f"{S}/manage/commitments/{{unchecked_commitment_id}}/delete", MEMBER),
    HostileForm(f"{NAME}.contract_delete", f"{S}/manage/contracts/{{unchecked_contract_id}}/delete", MEMBER),
    HostileForm(f"{NAME}.contract_archive", f"{K}/archive", MEMBER),
    HostileForm(
        f"{NAME}.import_contracts",
        f"{S}/manage/import",
        MEMBER,
        {"file": IMPORT},
        shown=(f"{S}/manage/contracts", (None, f"{S}/"), f"{S}/manage/needs"),
    ),
    HostileForm(
        f"{NAME}.framework_import",
        f"{S}/manage/framework/import",
        OWNER,
        {"file": FRAMEWORK},
        shown=(f"{S}/manage/framework", f"{K}/commitments/new"),
    ),
]
# POST routes left out of FORMS, each with its reason (test_every_post_route_has_a_hostile_test).
EXCLUDED: dict[str, str] = {
    f"{NAME}.export_all_csv": "a button with no fields that starts a core background job: test_jobs.py",
}


def first(model, team_id, *where):
    return (
        db.session.execute(db.select(model.id).where(model.team_id == team_id, *where).order_by(model.id))
        .scalars()
        .first()
    )


@pytest.fixture
def seeded(app, people):
    """The demo contracts of team youth, a working supplier link for the first published contract, and a project
    (project packs on) that commitments and needs may be linked to."""
    enable(app)
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    client = app.test_client()
    sign_in(client, MEMBER)
    assert (
        client.post("/t/youth/projects/new", data={"title": "Riverside youth hub", "status": "idea"}).status_code == 302
    )
    with app.app_context():
        team = get_team("youth")
        create_demo(team, TODAY)
        contract = db.session.get(Contract, first(Contract, team.id, Contract.published.is_(True)))
        link, token = create_link(contract, None)
        db.session.commit()
        unchecked = db.session.execute(
            db.select(Contract).where(Contract.team_id == team.id, Contract.reference == "IT-2026-003")
        ).scalar_one()
        return {
            "unchecked_contract_id": unchecked.id,
            "unchecked_commitment_id": unchecked.commitments[0].id,
            "contract_id": contract.id,
            "commitment_id": contract.commitments[0].id,
            "token": token,
            "report_id": first(DeliveryReport, team.id),
            "link_id": link.id,
            "check_id": first(CommunityCheck, team.id, CommunityCheck.state == "held"),
            "need_id": first(Need, team.id, Need.state == "new"),
            "accepted_need_id": first(Need, team.id, Need.state == "accepted"),
            "measure_id": first(Measure, team.id, Measure.code == "JS2.1"),
            "project_id": project_choices(team)[0][0],
        }


@pytest.mark.parametrize("form", FORMS, ids=[f.id for f in FORMS])
def test_hostile_posts_never_break_the_form(app, seeded, form):
    with app.app_context():
        tables = table_names("procurement_social_value_")
    run_hostile_posts(app, Clients(app), form, seeded, tables)


def test_every_post_route_has_a_hostile_test(app):
    check_coverage(app, NAME, FORMS, EXCLUDED)


def test_a_post_without_a_valid_csrf_token_stores_nothing(make_app, seeded):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        tables = table_names("procurement_social_value_")
    check_csrf_refusals(app, FORMS, seeded, tables)
