import copy
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coproduce_plugins.procurement_social_value.ocds import (
    CommitmentRecord,
    ContractRecord,
    Publisher,
    Supplier,
    build_release_package,
    ocid_prefix,
)
from coproduce_plugins.procurement_social_value.status import DeliveryReport, Verification

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

REPO_ROOT = Path(__file__).resolve().parents[3]
# Beside the checkout, or (for a git worktree one level further down) beside its parent.
SCHEMA_DIR = next(
    (
        d
        for d in (REPO_ROOT.parent / "shared" / "ocds-1.1", REPO_ROOT.parent.parent / "shared" / "ocds-1.1")
        if d.is_dir()
    ),
    REPO_ROOT.parent / "shared" / "ocds-1.1",
)
PUBLISHED = datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
TODAY = PUBLISHED.date()

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA_DIR.is_dir():
        pytest.skip(f"OCDS 1.1 schemas not found at {SCHEMA_DIR} (shared folder absent)")
    from referencing.jsonschema import DRAFT4

    package_schema = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text())
    release_schema = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    registry = referencing.Registry().with_resource(release_schema["id"], DRAFT4.create_resource(release_schema))
    # The formats the schemas use, checked without extra packages.
    checker = jsonschema.FormatChecker()
    checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(_DATE_TIME.match(v)))
    checker.checks("uri")(lambda v: not isinstance(v, str) or bool(urlsplit(v).scheme and urlsplit(v).netloc))
    jsonschema.Draft4Validator.check_schema(package_schema)
    return jsonschema.Draft4Validator(package_schema, registry=registry, format_checker=checker)


def commitment(ref, target, due, *reports, **extra):
    return CommitmentRecord(
        id=ref,
        measure_code="JS1.1",
        measure_name="Local residents employed",
        unit="people",
        target=Decimal(target),
        due=due,
        reports=tuple(reports),
        **extra,
    )


def report(q, state=Verification.PENDING, on=date(2025, 5, 1)):
    return DeliveryReport(Decimal(q), state, on)


@pytest.fixture
def package():
    contracts = [
        ContractRecord(
            id="C-2025-014",
            title="Parks grounds maintenance",
            supplier=Supplier("Green & Sons Ltd", "GB-COH", "01234567"),
            value_pence=25000050,
            start=date(2025, 1, 1),
            end=date(2027, 12, 31),
            signed=date(2024, 12, 1),
            description="Mowing, planting and litter picking.",
            commitments=(
                commitment("C-2025-014-1", 10, date(2025, 12, 31), report(3)),
                commitment("C-2025-014-2", 4, date(2025, 6, 30), report(4, "verified")),
                commitment("C-2025-014-3", 4, date(2025, 6, 30), report(1)),
                commitment("C-2025-014-4", 4, date(2025, 6, 30)),
                commitment(
                    "C-2025-014-5",
                    4,
                    date(2025, 12, 1),
                    report(4, "disputed"),
                    local_need="Young people on the estate asked for paid work.",
                ),
                commitment("C-2025-014-6", 4, date(2025, 12, 1), report(4)),
            ),
        ),
        ContractRecord(
            id="C-2023-002",
            title="School meals",
            supplier=Supplier("Kitchen Co-op"),
            value_pence=100000000,
            start=date(2023, 1, 1),
            end=date(2024, 12, 31),
        ),
    ]
    return build_release_package(
        Publisher("Example Borough Council", "https://example.gov.uk", "GB-GOR", "E09000099"),
        contracts,
        prefix=ocid_prefix("Procurement"),
        published=PUBLISHED,
        package_uri="https://example.gov.uk/social-value/ocds.json",
        license_uri="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    )


def test_package_validates_against_the_ocds_schema(validator, package):
    errors = list(validator.iter_errors(json.loads(json.dumps(package))))
    assert not errors, [e.message for e in errors]


def test_commitments_become_milestones_with_mapped_statuses(package):
    release = package["releases"][0]
    assert release["ocid"] == "ocds-coproduce-procurement-C-2025-014"
    contract = release["contracts"][0]
    assert contract["value"] == {"amount": 250000.5, "currency": "GBP"}
    assert contract["status"] == "active"
    statuses = {m["id"]: m["status"] for m in contract["milestones"]}
    assert statuses == {
        "C-2025-014-1": "scheduled",  # on track
        "C-2025-014-2": "met",  # verified
        "C-2025-014-3": "notMet",  # overdue, some reported but none of it verified
        "C-2025-014-4": "notMet",  # overdue, nothing reported
        "C-2025-014-5": "scheduled",  # disputed, not yet due
        "C-2025-014-6": "scheduled",  # delivered, awaiting check: not met until verified
    }
    first, verified = contract["milestones"][0], contract["milestones"][1]
    assert first["type"] == "delivery" and first["code"] == "JS1.1"
    assert "Target: 10 people by 2025-12-31" in first["description"]
    assert "Status: On track" in first["description"]
    assert verified["dateMet"] == "2025-05-01T00:00:00Z"
    assert "Local need: Young people" in contract["milestones"][4]["description"]
    assert "awaiting check" in contract["milestones"][5]["description"]
    assert package["releases"][1]["contracts"][0]["status"] == "terminated"
    assert package["releases"][1]["contracts"][0]["milestones"] == []


def test_release_ids_follow_content_not_publication_time(package):
    later = build_release_package(
        Publisher("Example Borough Council", "https://example.gov.uk", "GB-GOR", "E09000099"),
        [
            ContractRecord(
                id="C-2023-002",
                title="School meals",
                supplier=Supplier("Kitchen Co-op"),
                value_pence=100000000,
                start=date(2023, 1, 1),
                end=date(2024, 12, 31),
            )
        ],
        prefix=ocid_prefix("Procurement"),
        published=PUBLISHED + timedelta(days=3),
        package_uri="https://example.gov.uk/social-value/ocds.json",
    )
    assert later["releases"][0]["id"] == package["releases"][1]["id"]
    assert later["releases"][0]["date"] != package["releases"][1]["date"]


def test_a_broken_package_fails_validation(validator, package):
    broken = copy.deepcopy(package)
    del broken["releases"][0]["ocid"]
    broken["releases"][0]["contracts"][0]["milestones"][0]["status"] = "done"
    broken["publishedDate"] = "1 July 2025"
    messages = [e.message for e in validator.iter_errors(broken)]
    assert len(messages) >= 2
    assert any("'ocid' is a required property" in m for m in messages)
    assert any("date-time" in m for m in messages)
    empty = dict(package, releases=[])
    assert list(validator.iter_errors(empty))


def test_bad_inputs_are_refused():
    publisher = Publisher("Council", "https://example.gov.uk")
    contract = ContractRecord("C1", "T", Supplier("S"), 100, date(2025, 1, 1), date(2025, 2, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        build_release_package(
            publisher, [contract], prefix="ocds-x", package_uri="https://x.org", published=datetime(2025, 1, 1)
        )
    with pytest.raises(ValueError, match="unique"):
        build_release_package(
            publisher, [contract, contract], prefix="ocds-x", package_uri="https://x.org", published=PUBLISHED
        )
    with pytest.raises(ValueError):
        ocid_prefix("***")
    assert ocid_prefix("Youth Services") == "ocds-coproduce-youth-services"


def test_a_commitment_is_met_only_when_verified_delivery_reaches_the_target():
    def milestone(*reports, due=date(2025, 6, 30)):
        contract = ContractRecord(
            "C1",
            "T",
            Supplier("S"),
            100,
            date(2025, 1, 1),
            date(2025, 12, 31),
            commitments=(CommitmentRecord("C1-1", "JS1.1", "Jobs", "people", Decimal(4), due, reports),),
        )
        package = build_release_package(
            Publisher("Council", "https://example.gov.uk"),
            [contract],
            prefix="ocds-x",
            published=PUBLISHED,
            package_uri="https://example.gov.uk/ocds.json",
        )
        return package["releases"][0]["contracts"][0]["milestones"][0]

    assert milestone(report(4))["status"] == "notMet"  # past due, all of it waiting for a check
    assert "dateMet" not in milestone(report(4))
    assert milestone(report(4), due=date(2025, 12, 1))["status"] == "scheduled"
    assert milestone(report(3), report(1, "verified"))["status"] == "partiallyMet"
    assert milestone(report(4, "verified"))["status"] == "met"
