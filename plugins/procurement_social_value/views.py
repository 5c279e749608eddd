"""Pages of the plugin (a first page; the full journeys are built in the plugin's own issue)."""
from flask import Blueprint, render_template

from plugins.procurement_social_value import meta

bp = Blueprint("procurement_social_value", __name__)


@bp.get("/")
def index():
    return render_template("procurement_social_value/index.html", meta=meta)
