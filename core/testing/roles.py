"""Roles and status shorthands for the authorisation matrix (tests/test_authorisation.py).

A plugin adds its own routes in plugins/<name>/tests/route_matrix.py:
    MATRIX = {"endpoint": ("GET", "/t/youth/<prefix>/{thing_id}", MEMBERS), ...}
    def seed(app, people) -> dict: (optional) creates what the URLs need inside an app context
                                    and returns the values for their {placeholders}.
Requests run in the order of the endpoints' names, one role after another.
"""

ROLES = ("anonymous", "citizen", "outsider", "member", "owner", "admin")

EVERYONE = (200,) * 6
SIGNED_IN = (302, 200, 200, 200, 200, 200)
MEMBERS = (302, 403, 403, 200, 200, 200)
OWNERS = (302, 403, 403, 403, 200, 200)
MEMBER_ACTIONS = (302, 403, 403, 302, 302, 302)
OWNER_ACTIONS = (302, 403, 403, 403, 302, 302)
ADMINS = (302, 403, 403, 403, 403, 200)
ADMIN_ACTIONS = (302, 403, 403, 403, 403, 302)
NOT_FOUND = (404,) * 6
