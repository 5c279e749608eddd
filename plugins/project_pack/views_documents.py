"""The team's documents: uploads checked by content, downloads and CSV previews after a permission check."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import (
    UploadError,
    check_upload,
    current_team,
    db,
    delete_upload,
    read_upload,
    record,
    require_team_role,
    send_upload,
    store_upload,
    team_object_or_404,
    utcnow,
)
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.forms import DocumentForm
from coproduce_plugins.project_pack.models import Document
from coproduce_plugins.project_pack.render import csv_preview
from coproduce_plugins.project_pack.views import bp, get_project


@bp.route("/<int:project_id>/documents/new", methods=["GET", "POST"])
@require_team_role("member")
def upload(project_id: int):
    project = get_project(project_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            checked = check_upload(request.files.get("file"))
        except UploadError as error:
            form.file.errors = [str(error)]
        else:
            saved = store_upload(checked)
            document = Document(
                key=saved.key,
                name=saved.name,
                title=form.title.data or "",
                kind=saved.kind,
                mime=saved.mime,
                size=saved.size,
                sha256=saved.sha256,
                uploaded_by_id=current_user.id,
            )
            form.save_translations(document)
            project.documents.append(document)
            project.updated_at = utcnow()
            record(
                "project_pack.document_added", actor=current_user, team=current_team(), target=f"project:{project.id}"
            )
            db.session.commit()
            flash(_("Document uploaded."), "success")
            return redirect(url_for("project_pack.project", project_id=project.id, _anchor="documents"))
    return render_template(
        "project_pack/upload.html",
        form=form,
        heading=_("Upload a document"),
        back=url_for("project_pack.project", project_id=project.id),
    )


@bp.get("/<int:project_id>/documents/<int:document_id>")
@require_team_role("member")
def document(project_id: int, document_id: int):
    doc = team_object_or_404(Document, document_id, owner=get_project(project_id), key="project_id")
    try:
        return send_upload(doc.key, doc.name, doc.mime)
    except FileNotFoundError:
        abort(404)


@bp.get("/<int:project_id>/documents/<int:document_id>/preview")
@require_team_role("member")
def document_preview(project_id: int, document_id: int):
    project = get_project(project_id)
    doc = team_object_or_404(Document, document_id, owner=project, key="project_id")
    if doc.kind != "csv":
        abort(404)
    try:
        header, rows, total = csv_preview(read_upload(doc.key))
    except FileNotFoundError:
        abort(404)
    return render_template("project_pack/preview.html", project=project, doc=doc, header=header, rows=rows, total=total)


@bp.post("/<int:project_id>/documents/<int:document_id>/delete")
@require_team_role("member")
def delete_document(project_id: int, document_id: int):
    project = get_project(project_id)
    doc = team_object_or_404(Document, document_id, owner=project, key="project_id")
    key = doc.key
    db.session.delete(doc)
    record("project_pack.document_removed", actor=current_user, team=current_team(), target=f"project:{project.id}")
    db.session.commit()
    delete_upload(key)
    flash(_("Document removed."), "success")
    return redirect(url_for("project_pack.project", project_id=project.id, _anchor="documents"))
