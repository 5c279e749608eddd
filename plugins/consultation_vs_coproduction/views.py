"""Pages of the plugin (a first page; the full journeys are built in the plugin's own issue)."""
from flask import Blueprint, render_template

from plugins.consultation_vs_coproduction import meta, models  # noqa: F401 - registers the tables

bp = Blueprint("consultation_vs_coproduction", __name__)


@bp.get("/")
def index():
    return render_template("consultation_vs_coproduction/index.html", meta=meta)
