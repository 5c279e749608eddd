"""Open Referral UK (HSDS 3.0, UK profile): the directory as services, organizations and taxonomy terms, and an
import of a council's existing feed. Free of Flask: the views pass in what they have.

Languages: Open Referral UK has one field for each text (its `languages` are the languages a service is
delivered in), so the feed speaks the reader's language as the pages do (?lang= or Accept-Language, else
the site's default), falling back to the language the initiative was written in, like the taxonomy's
name. Translatable.localised() gives that language (core sets it to the request's)."""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field

NAMESPACE = uuid.UUID("6f0c1a52-3f7e-4d5e-9a43-0b9d7a1e5c11")  # ours: stable ids from our own row ids
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
MAX_ROWS = 5000


def uid(kind: str, *parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))


def page(items: list, total: int, number: int, size: int) -> dict:
    """The paging wrapper of every list (components/schemas/Page in the OpenAPI description)."""
    pages = max(1, math.ceil(total / size)) if size else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(items),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": total == 0,
        "contents": items,
    }


def organization_of(initiative, runner_label: str) -> dict:
    name = initiative.runner_name or runner_label
    return {
        "id": uid("organization", initiative.team_id, name.lower()),
        "name": name,
        "description": runner_label,
    }


def term_of(theme, taxonomy_id: str) -> dict:
    return {
        "id": uid("theme", theme.id),
        "name": str(theme.localised("name")),
        "description": str(theme.localised("name")),
        "taxonomy_id": taxonomy_id,
    }


def taxonomy_of(team, title: str) -> dict:
    return {"id": uid("taxonomy", team.id), "name": title, "description": title, "version": "1"}


def service_of(initiative, runner_label: str, url: str, ward_name: str = "", full: bool = False) -> dict:
    """The initiative as a service: one-to-one fields for lists, everything we hold for a single service."""
    service_id = uid("initiative", initiative.id)
    organization = organization_of(initiative, runner_label)
    service = {
        "id": service_id,
        "organization_id": organization["id"],
        "name": str(initiative.localised("name")),
        "description": str(initiative.localised("summary")),
        "url": initiative.website or url,
        "status": "active",
        "last_modified": initiative.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "organization": organization,
    }
    if initiative.contact_public and initiative.contact_email:
        service["email"] = initiative.contact_email
    if not full:
        return service
    taxonomy_id = uid("taxonomy", initiative.team_id)
    service["attributes"] = [
        {
            "id": uid("attribute", initiative.id, theme.id),
            "link_id": service_id,
            "link_type": "service",
            "taxonomy_term_id": uid("theme", theme.id),
            "taxonomy_term": term_of(theme, taxonomy_id),
        }
        for theme in initiative.themes
    ]
    if initiative.times:
        times = str(initiative.localised("times"))
        service["schedules"] = [{"id": uid("schedule", initiative.id), "service_id": service_id, "description": times}]
    if initiative.lat is not None and initiative.lon is not None:
        location_id = uid("location", initiative.id)
        location = {
            "id": location_id,
            "location_type": "physical",
            "name": ward_name or str(initiative.localised("name")),
            "latitude": initiative.lat,
            "longitude": initiative.lon,
        }
        if initiative.step_free:
            location["accessibility"] = [
                {
                    "id": uid("accessibility", initiative.id),
                    "location_id": location_id,
                    "description": "Step-free access",
                }
            ]
        service["service_at_locations"] = [
            {
                "id": uid("service_at_location", initiative.id),
                "service_id": service_id,
                "location_id": location_id,
                "location": location,
            }
        ]
    if initiative.contact_public and initiative.contact_name:
        service["contacts"] = [
            {"id": uid("contact", initiative.id), "service_id": service_id, "name": initiative.contact_name}
        ]
    return service


# Import ---------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    name: str = ""
    problems: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


class FeedError(ValueError):
    """The file is not an Open Referral UK feed at all."""


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError
    if any((ord(c) < 32 and c not in "\r\n\t") or ord(c) == 127 for c in value):
        raise ValueError
    return value.strip()[:limit]


def _number(value, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError
    return float(value) if low <= value <= high else None  # off the globe (as in the standard's example): no point


def parse_feed(data: bytes) -> list[Row]:
    """Rows of a feed (a page of services with "contents", or a list of services), each checked against the
    fields the standard requires and the ones we read. Raises FeedError when it is not such a feed."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FeedError("not JSON") from None
    items = document.get("contents") if isinstance(document, dict) else document
    if not isinstance(items, list) or not items:
        raise FeedError("no services")
    if len(items) > MAX_ROWS:
        raise FeedError("too many services")
    rows = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        row = Row(number)
        rows.append(row)
        if not isinstance(item, dict):
            row.problems.append("not a service object")
            continue
        try:
            row.name = _text(item.get("name"), 200)
        except (TypeError, ValueError):
            row.problems.append("name is not text")
        if not row.name:
            row.problems.append("no name")
        ident = item.get("id")
        try:
            ident = str(uuid.UUID(ident)) if isinstance(ident, str) else None
        except ValueError:
            ident = None
        if ident is None:
            row.problems.append("id is not a UUID")
        elif ident in seen:
            row.problems.append("the same id as an earlier service")
        else:
            seen.add(ident)
        if item.get("status") not in STATUSES:
            row.problems.append("status is not one of active, inactive, defunct, temporarily closed")
        values = {"source_id": ident or "", "name": row.name}
        for key, target, limit in (("description", "summary", 5000), ("url", "website", 500)):
            try:
                values[target] = _text(item.get(key), limit)
            except (TypeError, ValueError):
                row.problems.append(f"{key} is not text")
        if values.get("website") and not values["website"].startswith(("http://", "https://")):
            row.problems.append("url is not a web address")
        organization = item.get("organization")
        if organization is not None and not isinstance(organization, dict):
            row.problems.append("organization is not an object")
        try:
            values["runner_name"] = _text((organization or {}).get("name"), 200)
        except (TypeError, ValueError):
            row.problems.append("organization name is not text")
        values["lat"] = values["lon"] = None
        places = item.get("service_at_locations") or []
        if not isinstance(places, list):
            row.problems.append("service_at_locations is not a list")
            places = []
        for place in places[:1]:
            location = place.get("location") if isinstance(place, dict) else None
            if isinstance(location, dict) and ("latitude" in location or "longitude" in location):
                try:
                    lat = _number(location.get("latitude"), -90, 90)
                    lon = _number(location.get("longitude"), -180, 180)
                except ValueError:
                    row.problems.append("latitude or longitude is not a number")
                else:
                    if lat is not None and lon is not None:
                        values["lat"], values["lon"] = lat, lon
        values["published"] = item.get("status") == "active"
        row.values = values
    return rows
