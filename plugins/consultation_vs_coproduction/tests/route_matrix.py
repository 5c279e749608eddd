"""This plugin's routes in the authorisation matrix (see tests/route_roles.py)."""
from tests.route_roles import EVERYONE

MATRIX = {
    "consultation_vs_coproduction.index": ("GET", "/t/youth/readiness/", EVERYONE),
}
