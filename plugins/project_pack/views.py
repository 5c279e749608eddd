"""Pages of the plugin (a first page; the full journeys are built in the plugin's own issue)."""
from flask import Blueprint, render_template

from plugins.project_pack import meta

bp = Blueprint("project_pack", __name__)


@bp.get("/")
def index():
    return render_template("project_pack/index.html", meta=meta)
