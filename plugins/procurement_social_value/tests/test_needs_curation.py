"""Only needs the team accepted are shown to the public; needs from an import wait for curation too."""

import io

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract

NEED = "A youth club open in the school holidays"


def link_need(app, commitment_id, state):
    from coproduce_plugins.procurement_social_value.models import Commitment, Need

    with app.app_context():
        need = Need(team_id=get_team("youth").id, title=NEED, state=state)
        db.session.add(need)
        db.session.flush()
        db.session.get(Commitment, commitment_id).need_id = need.id
        db.session.commit()
        return need.id


def public_views(app, ids):
    client = app.test_client()
    return {
        "contract page": client.get(f"{S}/contracts/{ids['contract']}").get_data(as_text=True),
        "public page": client.get(f"{S}/").get_data(as_text=True),
        "contracts.csv": client.get(f"{S}/export/contracts.csv").get_data(as_text=True),
        "ocds.json": client.get(f"{S}/export/ocds.json").get_data(as_text=True),
    }


def test_a_declined_need_is_not_shown_to_the_public(app, people):
    enable(app)
    ids = make_contract(app)
    link_need(app, ids["commitment"], "declined")
    for where, text in public_views(app, ids).items():
        assert NEED not in text, where


def test_an_accepted_need_is_shown_everywhere(app, people):
    enable(app)
    ids = make_contract(app)
    link_need(app, ids["commitment"], "accepted")
    for where, text in public_views(app, ids).items():
        assert NEED in text, where


def test_needs_from_a_contracts_import_wait_for_curation(app, people):
    from coproduce_plugins.procurement_social_value.models import Contract, Need

    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    body = (
        "contract_id,contract_title,supplier_name,supplier_company_number,contract_value_gbp,"
        "contract_start,contract_end,commitment_ref,measure_code,target_quantity,due_date,local_need\n"
        f"C-1,Cleaning,Shine Ltd,,1000,2026-01-01,2027-01-01,,JS1.1,2,2026-06-01,{NEED}\n"
    )
    response = client.post(
        f"{S}/manage/import",
        data={"file": (io.BytesIO(body.encode()), "import.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        need = db.session.execute(db.select(Need)).scalar_one()
        assert need.state == "new"
        contract = db.session.execute(db.select(Contract)).scalar_one()
        contract.published = True
        db.session.commit()
        ids = {"contract": contract.id, "need": need.id}
    for where, text in public_views(app, ids).items():
        assert NEED not in text, where
    assert NEED in client.get(f"{S}/manage/needs").get_data(as_text=True)  # waiting for the team
    client.post(f"{S}/manage/needs/{ids['need']}/curate", data={"state": "accepted"})
    assert NEED in app.test_client().get(f"{S}/contracts/{ids['contract']}").get_data(as_text=True)
