"""Publish contracts and their social-value commitments as Open Contracting data.

``build_release_package`` turns plain records into an Open Contracting Data
Standard (OCDS) 1.1 release package: a dict ready for ``json.dumps``. Each
contract becomes one release (tags "award" and "contract") with the council as
buyer, the supplier as a party, one award and one contract. Each social-value
commitment becomes a contract milestone of type "delivery", whose description
says the measure, the target, what was reported and verified, the status we
computed and, when given, the local need it answers.

Languages: a release's ``language`` is the language the team wrote the contract in,
and its ``title`` that text; the contract's and each milestone's title in the other
languages the team wrote go in OCDS 1.1's language-suffixed fields (``title_cy``,
``title_ur``...), the only multilingual form the schema has. A milestone's
description is written by us in English: it is ``description`` when the release is
English and ``description_en`` otherwise, so it is never labelled with the wrong
language.

Statuses are computed as of the publication date (see ``status.py``) and
mapped to the closed OCDS milestone status codelist:

    on_track, at_risk          -> scheduled
    delivered, verified        -> met (the description says whether an
                                  officer has verified it yet)
    overdue                    -> partiallyMet if anything undisputed was
                                  reported, otherwise notMet
    disputed                   -> as overdue once the due date has passed,
                                  otherwise scheduled

Dates without a time are published as midnight UTC on that day. Money is
held in pence and written as an OCDS amount in pounds (``pence_to_json_number``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from .money import format_quantity, pence_to_json_number
from .status import DeliveryReport, Status, Verification, assess

OCDS_VERSION = "1.1"
OCID_PREFIX_BASE = "ocds-coproduce"

_SCHEDULED, _MET, _NOT_MET, _PARTLY = "scheduled", "met", "notMet", "partiallyMet"


@dataclass(frozen=True)
class Publisher:
    """The council publishing the data, which is also the buyer."""

    name: str
    uri: str
    scheme: str | None = None  # e.g. "GB-GOR" (an org-id.guide list code)
    uid: str | None = None  # the council's identifier in that list


@dataclass(frozen=True)
class Supplier:
    name: str
    scheme: str | None = None  # e.g. "GB-COH" for Companies House
    identifier: str | None = None  # e.g. the company number


@dataclass(frozen=True)
class CommitmentRecord:
    """A supplier's promise against one measure of the framework."""

    id: str
    measure_code: str
    measure_name: str
    unit: str
    target: Decimal
    due: date
    reports: tuple[DeliveryReport, ...] = ()
    start: date | None = None  # defaults to the contract's start
    local_need: str | None = None  # the need a community named, in its words
    # The measure's title in each language it is written in ({"en": ..., "cy": ...}); measure_name when empty.
    measure_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ContractRecord:
    id: str
    title: str
    supplier: Supplier
    value_pence: int
    start: date
    end: date
    signed: date | None = None
    description: str | None = None
    commitments: tuple[CommitmentRecord, ...] = field(default_factory=tuple)
    language: str = "en"  # the language of title (the release's language)
    titles: dict[str, str] = field(default_factory=dict)  # the title in the other languages written


def ocid_prefix(team_slug: str, base: str = OCID_PREFIX_BASE) -> str:
    """The ocid prefix for a team: "ocds-coproduce-procurement"."""
    slug = re.sub(r"[^a-z0-9]+", "-", team_slug.lower()).strip("-")
    if not slug:
        raise ValueError("the team slug gives an empty ocid prefix")
    return f"{base}-{slug}"


def _when(value: date | datetime) -> str:
    """An OCDS date-time: UTC, "Z" suffix; a plain date is midnight UTC."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("date-times must be timezone-aware")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.isoformat()}T00:00:00Z"


def _party_id(scheme: str | None, uid: str | None, fallback: str) -> str:
    return f"{scheme}-{uid}" if scheme and uid else fallback


def _organisation(name, scheme, uid, party_id, role) -> dict:
    party = {"id": party_id, "name": name, "roles": [role]}
    if scheme and uid:
        party["identifier"] = {"scheme": scheme, "id": uid, "legalName": name}
    return party


def _milestone_status(status: Status, verified: Decimal, due_passed: bool) -> str:
    """Met only when verified delivery reaches the target (row 1 of status.py's table).

    Reports still waiting for a check, or disputed, are not evidence to the public:
    after the due date a milestone short of verified delivery is partly met (some
    verified) or not met (none verified); before it, scheduled.
    """
    if status is Status.VERIFIED:
        return _MET
    if due_passed:
        return _PARTLY if verified > 0 else _NOT_MET
    return _SCHEDULED


def _date_met(reports: tuple[DeliveryReport, ...], status: Status) -> date | None:
    dates = [r.reported_on for r in reports if r.verification is Verification.VERIFIED]
    return max(dates) if dates and None not in dates else None


def _milestone(c: CommitmentRecord, contract_start: date, today: date, published: str, language: str = "en") -> dict:
    a = assess(c.target, c.start or contract_start, c.due, today, c.reports)
    unit = f" {c.unit}" if c.unit else ""
    parts = [
        f"Measure {c.measure_code}: {c.measure_name}.",
        f"Target: {format_quantity(a.target)}{unit} by {c.due.isoformat()}.",
        f"Reported: {format_quantity(a.counted)}{unit}, of which "
        f"{format_quantity(a.verified)} verified by the council.",
    ]
    if a.disputed:
        parts.append(f"Disputed: {format_quantity(a.disputed)}{unit}.")
    parts.append(f"Status: {a.label}.")
    if c.local_need:
        parts.append(f"Local need: {c.local_need}")
    milestone = {
        "id": c.id,
        "title": f"{c.measure_code} {c.measure_names.get(language) or c.measure_name}",
        "type": "delivery",
        "code": c.measure_code,
        "description" if language == "en" else "description_en": " ".join(parts),
        "dueDate": _when(c.due),
        "dateModified": published,
        "status": _milestone_status(a.status, a.verified, a.days_left < 0),
    }
    for lang, name in sorted(c.measure_names.items()):
        if lang != language and name:
            milestone[f"title_{lang}"] = f"{c.measure_code} {name}"
    met_on = _date_met(c.reports, a.status) if milestone["status"] == _MET else None
    if met_on:
        milestone["dateMet"] = _when(met_on)
    return milestone


def _release(contract: ContractRecord, publisher: Publisher, prefix: str, published: datetime) -> dict:
    when = _when(published)
    today = published.astimezone(UTC).date()
    buyer_id = _party_id(publisher.scheme, publisher.uid, "buyer")
    s = contract.supplier
    slug = re.sub(r"[^a-z0-9]+", "-", s.name.lower()).strip("-") or "unnamed"
    supplier_id = _party_id(s.scheme, s.identifier, f"supplier-{slug}")
    value = {"amount": pence_to_json_number(contract.value_pence), "currency": "GBP"}
    period = {"startDate": _when(contract.start), "endDate": _when(contract.end)}
    award_id = f"{contract.id}-award"
    status = "pending" if today < contract.start else "terminated" if today > contract.end else "active"
    body = {
        "ocid": f"{prefix}-{contract.id}",
        "date": when,
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": contract.language,
        "parties": [
            _organisation(publisher.name, publisher.scheme, publisher.uid, buyer_id, "buyer"),
            _organisation(s.name, s.scheme, s.identifier, supplier_id, "supplier"),
        ],
        "buyer": {"id": buyer_id, "name": publisher.name},
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "value": value,
                "suppliers": [{"id": supplier_id, "name": s.name}],
                "contractPeriod": period,
            }
        ],
        "contracts": [
            {
                "id": contract.id,
                "awardID": award_id,
                "title": contract.title,
                "status": status,
                "period": period,
                "value": value,
                "milestones": [
                    _milestone(c, contract.start, today, when, contract.language) for c in contract.commitments
                ],
            }
        ],
    }
    for lang, title in sorted(contract.titles.items()):
        if lang != contract.language and title:
            body["contracts"][0][f"title_{lang}"] = title
    if contract.description:
        body["contracts"][0]["description"] = contract.description
    if contract.signed:
        body["contracts"][0]["dateSigned"] = _when(contract.signed)
    # The release id changes whenever the content does, and only then.
    # The publication date and dateModified are left out of the hash.
    content = json.loads(json.dumps({k: v for k, v in body.items() if k != "date"}))
    for milestone in content["contracts"][0]["milestones"]:
        del milestone["dateModified"]
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"id": f"{contract.id}-{digest[:12]}", **body}


def build_release_package(
    publisher: Publisher,
    contracts: list[ContractRecord],
    *,
    prefix: str,
    published: datetime,
    package_uri: str,
    license_uri: str | None = None,
    publication_policy_uri: str | None = None,
) -> dict:
    """An OCDS 1.1 release package for ``contracts``, as of ``published``.

    ``prefix`` is the ocid prefix (see ``ocid_prefix``); each release's ocid is
    the prefix, a hyphen and the contract id. ``published`` must be
    timezone-aware; it is the package's publishedDate, every release's date and
    the day statuses are computed for.
    """
    if not contracts:
        raise ValueError("an OCDS package needs at least one contract")
    ids = [c.id for c in contracts]
    if len(set(ids)) != len(ids):
        raise ValueError("contract ids must be unique within a package")
    package = {
        "uri": package_uri,
        "version": OCDS_VERSION,
        "publishedDate": _when(published),
        "publisher": {"name": publisher.name, "uri": publisher.uri},
        "releases": [_release(c, publisher, prefix, published) for c in contracts],
    }
    if publisher.scheme and publisher.uid:
        package["publisher"].update(scheme=publisher.scheme, uid=publisher.uid)
    if license_uri:
        package["license"] = license_uri
    if publication_policy_uri:
        package["publicationPolicy"] = publication_policy_uri
    return package
