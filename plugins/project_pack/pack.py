"""A project as a pack: the data of pack.json, the CSV files, and the ZIP that holds them with the documents.

Free of Flask: the caller renders index.html and reads the documents' bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

from coproduce.plugins import csv_text
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.models import Project
from coproduce_plugins.project_pack.public_view import view_for
from coproduce_plugins.project_pack.skills import skill_label

FORMAT = "coproduce-project-pack"
VERSION = 1


def document_path(number: int, name: str) -> str:
    return f"documents/{number:03d}-{name}"


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def languages_of(record) -> dict:
    """The record's own language and its text in the others, as pack.json carries them."""
    return {"content_language": record.base_language(), "translations": record.translations or {}}


def pack_data(project: Project, consented_only: bool = False) -> dict:
    """Everything another installation needs to rebuild the project (pack.json).

    With ``consented_only`` (the pack to share) the people in it are those public_view.shared_view allows.
    """
    view = view_for(project, consented_only)
    paths = {doc.id: document_path(n, doc.name) for n, doc in enumerate(project.documents, start=1)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "project": {
            "title": project.title,
            "summary": project.summary,
            "background": project.background,
            "status": project.status,
            "goals": _lines(project.goals),
            "set_in_stone": _lines(project.set_in_stone),
            "up_for_grabs": _lines(project.up_for_grabs),
            "lead_name": view.lead_name,
            "co_owner_name": view.co_owner_name,
            "co_owner_role": view.co_owner_role,
            "owners_public": project.owners_public,
            **languages_of(project),
        },
        "contacts": [
            {
                "name": c.name,
                "role": c.role,
                "organisation": c.organisation,
                "reach": c.reach,
                "consent_to_publish": c.agreed,
                "consent_recorded_at": c.agreed_at,
            }
            for c in view.contacts
        ],
        "skills": [{"skill": s.skill, "note": s.note, **languages_of(s)} for s in project.skills],
        "log": [
            {
                "kind": e.kind,
                "happened_on": e.happened_on.isoformat(),
                "text": e.text,
                "working_together": e.working_together,
                "author_name": view.author(e.author_name),
                **languages_of(e),
            }
            for e in sorted(project.log, key=lambda e: (e.happened_on, e.id))
        ],
        "criteria": [
            {
                "what": c.what,
                "measure": c.measure,
                "target": c.target,
                "evidence": [
                    {
                        "note": ev.note,
                        "figure": str(ev.figure) if ev.figure is not None else None,
                        "observed_on": ev.observed_on.isoformat() if ev.observed_on else None,
                        "document": paths.get(ev.document_id),
                        "author_name": view.author(ev.author_name),
                        **languages_of(ev),
                    }
                    for ev in c.evidence
                ],
                **languages_of(c),
            }
            for c in project.criteria
        ],
        "documents": [
            {
                "file": paths[d.id],
                "name": d.name,
                "title": d.title,
                "kind": d.kind,
                "size": d.size,
                "sha256": d.sha256,
                **languages_of(d),
            }
            for d in project.documents
        ],
    }


def csv_files(project: Project, consented_only: bool = False) -> dict[str, str]:
    """contacts.csv, skills.csv, log.csv and outcomes.csv, with headers in the current language."""
    yes, no = _("Yes"), _("No")
    view = view_for(project, consented_only)
    contacts = csv_text(
        [_("Name"), _("Role"), _("Organisation"), _("How to reach them"), _("Agreed to publication")],
        [[c.name, c.role, c.organisation, c.reach, yes if c.agreed else no] for c in view.contacts],
    )
    skills = csv_text([_("Skill"), _("What for")], [[skill_label(s.skill), s.note] for s in project.skills])
    log = csv_text(
        [_("Date"), _("Kind"), _("What happened"), _("What we learned about working together"), _("Author")],
        [
            [e.happened_on.isoformat(), e.kind, e.text, e.working_together, view.author(e.author_name)]
            for e in sorted(project.log, key=lambda e: (e.happened_on, e.id))
        ],
    )
    outcome_rows = []
    for c in project.criteria:
        if not c.evidence:
            outcome_rows.append([c.what, c.measure, c.target, "", "", "", ""])
        for ev in c.evidence:
            outcome_rows.append(
                [
                    c.what,
                    c.measure,
                    c.target,
                    ev.note,
                    ev.figure,
                    ev.observed_on.isoformat() if ev.observed_on else "",
                    ev.document.name if ev.document else "",
                ]
            )
    outcomes = csv_text(
        [_("Criterion"), _("How measured"), _("Target"), _("Evidence"), _("Figure"), _("Date"), _("Document")],
        outcome_rows,
    )
    return {"contacts.csv": contacts, "skills.csv": skills, "log.csv": log, "outcomes.csv": outcomes}


def write_zip(
    project: Project, index_html: str, read_document: Callable[[str], bytes], consented_only: bool = False
) -> bytes:
    """The pack as ZIP bytes: index.html, pack.json, the CSV files and the documents."""
    data = pack_data(project, consented_only)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", index_html)
        archive.writestr("pack.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in csv_files(project, consented_only).items():
            archive.writestr(name, "\ufeff" + content)  # the BOM lets spreadsheets read UTF-8
        for doc, entry in zip(project.documents, data["documents"]):
            archive.writestr(entry["file"], read_document(doc.key), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()
