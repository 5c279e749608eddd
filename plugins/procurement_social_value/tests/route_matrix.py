"""This plugin's routes in the authorisation matrix (see tests/route_roles.py)."""
from tests.route_roles import EVERYONE

MATRIX = {
    "procurement_social_value.index": ("GET", "/t/youth/social-value/", EVERYONE),
}
