"""Open Referral UK: every response validates against the standard's schemas; an import is all or nothing."""

import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from coproduce.plugins import db
from coproduce_plugins.initiatives.models import Initiative
from coproduce_plugins.initiatives.tests.helpers import BASE, by_name, member_client

ORUK = Path("/work/shared/openreferral-uk-3.0")
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
API = f"{BASE}/openreferral"
pytestmark = pytest.mark.skipif(not ORUK.exists(), reason="the Open Referral UK schemas are not on this machine")


def compiled(name: str) -> dict:
    return json.loads((ORUK / "compiled" / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def registry():
    """The OpenAPI document and the compiled schemas under the addresses the OpenAPI document uses. The taxonomy
    term has no compiled file of its own: it is the one inlined in the compiled service."""
    openapi = json.loads((ORUK / "openapi.json").read_text())
    service = compiled("service")
    term = service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    resources = [("urn:oruk:openapi", openapi), (f"{REMOTE}taxonomy_term.json", term)]
    for name in ("service", "service_list", "organization", "organization_list"):
        resources.append((f"{REMOTE}compiled/{name}.json", compiled(name)))
    # No compiled taxonomy: its items must at least carry what every ORUK object carries.
    taxonomy = {"type": "object", "required": ["id", "name", "description"], "properties": {"id": {"format": "uuid"}}}
    resources.append((f"{REMOTE}taxonomy.json", taxonomy))
    return Registry().with_resources(
        (url, Resource.from_contents(s, default_specification=_spec())) for url, s in resources
    )


def _spec():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def validate(registry, schema: dict, document) -> None:
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def page_schema(item_ref: str) -> dict:
    return {
        "allOf": [{"$ref": "urn:oruk:openapi#/components/schemas/Page"}],
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {"contents": {"type": "array", "items": {"$ref": item_ref}}},
    }


def test_every_list_and_service_validates(app, demo, registry):
    client = app.test_client()
    services = client.get(f"{API}/services?per_page=10&page=2")
    assert services.status_code == 200 and services.headers["Content-Type"].startswith("application/json")
    body = services.get_json()
    validate(registry, page_schema(f"{REMOTE}compiled/service_list.json"), body)
    assert body["total_items"] == 32 and body["page_number"] == 2 and body["size"] == 10 and not body["last_page"]
    for item in body["contents"]:
        one = client.get(f"{API}/services/{item['id']}")
        assert one.status_code == 200
        validate(registry, {"$ref": f"{REMOTE}compiled/service.json"}, one.get_json())
    organizations = client.get(f"{API}/organizations").get_json()
    validate(registry, page_schema(f"{REMOTE}compiled/organization_list.json"), organizations)
    assert organizations["total_items"] >= 10
    validate(registry, page_schema(f"{REMOTE}taxonomy.json"), client.get(f"{API}/taxonomies").get_json())
    terms = client.get(f"{API}/taxonomy_terms").get_json()
    validate(registry, page_schema(f"{REMOTE}taxonomy_term.json"), terms)
    food = next(t for t in terms["contents"] if t["name"] == "Food")
    by_term = client.get(f"{API}/services?taxonomy_term_id={food['id']}").get_json()
    assert 0 < by_term["total_items"] < 32
    empty = client.get(f"{API}/services?search=zebra").get_json()
    validate(registry, page_schema(f"{REMOTE}compiled/service_list.json"), empty)
    assert empty["empty"] and empty["contents"] == []
    for junk in ("?page=-1", "?per_page=100000", "?page=x"):
        assert client.get(f"{API}/services{junk}").status_code == 200
    assert client.get(f"{API}/services?taxonomy_term_id=%00").status_code == 400  # core's input layer
    assert client.get(f"{API}/services/not-an-id").status_code == 404


def test_a_pending_initiative_is_not_published_in_the_feed(app, demo):
    names = [s["name"] for s in app.test_client().get(f"{API}/services?per_page=500").get_json()["contents"]]
    assert "Castlegate Board Games Night" not in names and "Brookside Community Fridge" in names


def feed(*services) -> dict:
    return {"file": (io.BytesIO(json.dumps({"contents": list(services)}).encode()), "feed.json")}


GOOD = {
    "id": "5b0f3c9e-7d2a-4e61-8f0e-2c4b6a8d9e10",
    "name": "Vale Counselling",
    "description": "Counselling by trained people.",
    "url": "https://example.org/counselling",
    "status": "active",
    "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Vale Mind", "description": "A charity"},
    "service_at_locations": [
        {
            "id": "e94c9f38-1e8f-4c4c-a3b3-3a1d9fd2d3a1",
            "location": {
                "id": "a1b2c3d4-0000-4000-8000-000000000001",
                "location_type": "physical",
                "latitude": 53.73,
                "longitude": -1.59,
            },
        }
    ],
}


def test_the_example_feed_validates_and_imports(app, youth, registry):
    validate(registry, {"$ref": f"{REMOTE}compiled/service.json"}, GOOD)
    example = json.loads((ORUK / "example-service_full.json").read_text())
    staff = member_client(app)
    response = staff.post(f"{BASE}/manage/import", data=feed(GOOD, example), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    stored = by_name(app, "Vale Counselling")
    assert stored is not None
    assert stored.status == "published" and stored.runner_name == "Vale Mind" and stored.ward == "southfield"
    again = staff.post(f"{BASE}/manage/import", data=feed({**GOOD, "name": "Vale Counselling"}))
    assert again.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Initiative.id))).scalar_one() == 2  # updated, not doubled


def test_a_bad_feed_stores_nothing_and_reports_each_row(app, youth):
    staff = member_client(app)
    bad = {**GOOD, "id": "not-a-uuid", "name": "Broken one", "status": "open"}
    response = staff.post(f"{BASE}/manage/import", data=feed(GOOD, bad))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "1 of 2 services cannot be read, so nothing was imported" in page
    assert "the id is not a UUID" in page and "Broken one" in page
    assert by_name(app, "Vale Counselling") is None
    for junk in (b"not json", b"[]", b'{"contents": 3}', b"\xff\xfe", b"[" * 100000):
        response = staff.post(f"{BASE}/manage/import", data={"file": (io.BytesIO(junk), "x.json")})
        assert response.status_code == 200 and "govuk-error-message" in response.get_data(as_text=True)


def test_a_large_feed_is_imported_by_the_worker_and_the_person_told(make_app, youth):
    from coproduce.testing import job_page, outbox

    app = make_app(BACKGROUND_IMPORT_BYTES=10)
    staff = member_client(app)
    _, html = job_page(staff, staff.post(f"{BASE}/manage/import", data=feed(GOOD)))
    assert "Imported: 1 added, 0 updated." in html and "See the initiatives" in html
    assert by_name(app, "Vale Counselling").status == "published"
    assert outbox(app)[-1]["Subject"] == "Ready: Open Referral UK import: feed.json"


def test_a_large_bad_feed_stores_nothing_and_its_page_reports_each_row(make_app, youth):
    from coproduce.testing import job_page

    app = make_app(BACKGROUND_IMPORT_BYTES=10)
    staff = member_client(app)
    bad = {**GOOD, "id": "not-a-uuid", "name": "Broken one"}
    _, html = job_page(staff, staff.post(f"{BASE}/manage/import", data=feed(GOOD, bad)))
    assert "1 of 2 services cannot be read, so nothing was imported" in html
    assert 'id="row-report"' in html and "the id is not a UUID" in html and "Broken one" in html
    assert "Upload a corrected feed" in html
    assert by_name(app, "Vale Counselling") is None
    _, html = job_page(staff, staff.post(f"{BASE}/manage/import", data={"file": (io.BytesIO(b"[" * 50), "x.json")}))
    assert "The file is not an Open Referral UK feed of services" in html
