"""This plugin's routes in the authorisation matrix (see tests/route_roles.py)."""
from tests.route_roles import EVERYONE

MATRIX = {
    "project_pack.index": ("GET", "/t/youth/projects/", EVERYONE),
}
