"""What the plugin holds about a person: nothing by design (no names, emails or IP addresses), unless
someone wrote their email address or phone number into a comment of a saved draft or an answer.
Those comments are found and blanked; the answers and scores stay, unnamed, in the figures."""

from __future__ import annotations

from coproduce.plugins import db
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Draft, Response


def _matching(model, person) -> list:
    if not person.email and not person.phone:
        return []
    rows = db.session.execute(db.select(model).where(model.comment != "").order_by(model.id)).scalars()
    return [row for row in rows if person.matches(row.comment)]


def _title(assessment_id: int) -> str:
    assessment = db.session.get(Assessment, assessment_id)
    return assessment.title if assessment else ""


def personal_data_of(person) -> dict:
    data: dict = {}
    drafts = _matching(Draft, person)
    if drafts:
        data["saved_drafts"] = [
            {"assessment": _title(d.assessment_id), "comment": d.comment, "saved_at": d.updated_at.isoformat()}
            for d in drafts
        ]
    responses = _matching(Response, person)
    if responses:
        data["answers_sent"] = [
            {"assessment": _title(r.assessment_id), "comment": r.comment, "sent_at": r.created_at.isoformat()}
            for r in responses
        ]
    return data


def erase_personal_data_of(person) -> None:
    for row in _matching(Draft, person) + _matching(Response, person):
        row.comment = ""
