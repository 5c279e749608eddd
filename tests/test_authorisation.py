"""Every route of core and every plugin, under every role, gives the expected status.

A new route with no expectation here makes the test fail, so nothing is left unchecked.
Roles: anonymous, a citizen with an account, a member of another team, a member, an owner, a site admin.
"""

import importlib
from pathlib import Path

import pytest

from coproduce.extensions import db
from coproduce.models import Membership
from coproduce.testing.fixtures import BUNDLED_PLUGINS, get_team, sign_in
from coproduce.testing.roles import ADMINS, EVERYONE, MEMBERS, OWNER_ACTIONS, OWNERS, ROLES, SIGNED_IN

pytestmark = pytest.mark.slow

EMAILS = {
    "citizen": "citizen@example.org",
    "outsider": "outsider@example.org",
    "member": "member@example.org",
    "owner": "owner@example.org",
    "admin": "admin@example.org",
}
REPO = Path(__file__).resolve().parent.parent

# endpoint: (method, url, statuses for ROLES)
CORE_MATRIX = {
    "static": ("GET", "/static/coproduce.css", EVERYONE),
    "theme.static": ("GET", "/theme/static/logo.svg", EVERYONE),
    "theme.brand_css": ("GET", "/theme/brand.css", EVERYONE),
    "health.healthz": ("GET", "/healthz", EVERYONE),
    "public.home": ("GET", "/", EVERYONE),
    "public.team_home": ("GET", "/t/youth/", EVERYONE),
    "public.accessibility": ("GET", "/accessibility", EVERYONE),
    "public.privacy": ("GET", "/privacy", EVERYONE),
    "public.retention": ("GET", "/privacy/retention", EVERYONE),
    "public.plugin_privacy": ("GET", "/privacy/project_pack", EVERYONE),
    "public.cookies": ("GET", "/cookies", EVERYONE),
    "public.plugin_static": ("GET", "/static/plugins/no_such_plugin/x.css", (404,) * 6),
    "auth.sign_in": ("GET", "/sign-in", (200, 302, 302, 302, 302, 302)),
    "auth.sign_out": ("POST", "/sign-out", (302,) * 6),
    "auth.sign_up": ("GET", "/sign-up", EVERYONE),
    "auth.reset_request": ("GET", "/reset-password", EVERYONE),
    "auth.reset_password": ("GET", "/reset-password/not-a-token", (404,) * 6),
    "auth.confirm_email": ("GET", "/confirm-email/not-a-token", (404,) * 6),
    "auth.account": ("GET", "/account", SIGNED_IN),
    "auth.change_password": ("GET", "/account/password", SIGNED_IN),
    "auth.language": ("GET", "/account/language", SIGNED_IN),
    "auth.sign_out_everywhere": ("POST", "/account/sign-out-everywhere", (302,) * 6),
    "team_admin.dashboard": ("GET", "/t/youth/dashboard", MEMBERS),
    "team_admin.plugins": ("GET", "/t/youth/manage/plugins", OWNERS),
    "team_admin.toggle_plugin": ("POST", "/t/youth/manage/plugins/project_pack", OWNER_ACTIONS),
    "team_admin.members": ("GET", "/t/youth/manage/members", OWNERS),
    "team_admin.audit": ("GET", "/t/youth/manage/audit", OWNERS),
    "team_admin.remove_member": ("POST", "/t/youth/manage/members/999999/remove", (302, 403, 403, 403, 404, 404)),
    "team_admin.details": ("GET", "/t/youth/manage/details", OWNERS),
    "site_admin.index": ("GET", "/admin/", ADMINS),
    "site_admin.teams": ("GET", "/admin/teams", ADMINS),
    "site_admin.archive_team": ("POST", "/admin/teams/999999/archive", (302, 403, 403, 403, 403, 404)),
    "site_admin.users": ("GET", "/admin/users", ADMINS),
    "site_admin.change_user": ("POST", "/admin/users/999999/disable", (302, 403, 403, 403, 403, 404)),
    "site_admin.plugins": ("GET", "/admin/plugins", ADMINS),
    "site_admin.personal_data": ("GET", "/admin/users/999999/personal-data", (302, 403, 403, 403, 403, 404)),
    "site_admin.erase_user": ("POST", "/admin/users/999999/erase", (302, 403, 403, 403, 403, 404)),
    "site_admin.find_person": ("GET", "/admin/people/find", ADMINS),
    "site_admin.person_pack": ("POST", "/admin/people/pack", ADMINS),
    "site_admin.erase_person": ("POST", "/admin/people/erase", ADMINS),
    "site_admin.settings": ("GET", "/admin/settings", ADMINS),
    "site_admin.audit": ("GET", "/admin/audit", ADMINS),
    "mail_admin.index": ("GET", "/admin/emails/", ADMINS),
    "mail_admin.retry": ("POST", "/admin/emails/999999/retry", (302, 403, 403, 403, 403, 404)),
    "waiting.waiting": ("GET", "/t/youth/waiting", MEMBERS),
    "notifications.notifications": ("GET", "/account/notifications", SIGNED_IN),
    # A job is only ever its own person's: nobody else's token is found (test_jobs.py covers the owner).
    "jobs.jobs": ("GET", "/account/files", SIGNED_IN),
    "jobs.job": ("GET", "/account/files/not-a-job", (302, 404, 404, 404, 404, 404)),
    "jobs.download": ("GET", "/account/files/not-a-job/download", (302, 404, 404, 404, 404, 404)),
    "dummy_plugin.notes": ("GET", "/t/youth/dummy/", EVERYONE),
    "dummy_plugin.manage": ("GET", "/t/youth/dummy/manage", OWNERS),
}


def plugin_matrices():
    """Each bundled plugin's plugins/<name>/tests/route_matrix.py."""
    modules = []
    for path in sorted(REPO.glob("plugins/*/tests/route_matrix.py")):
        modules.append(importlib.import_module(f"coproduce_plugins.{path.parent.parent.name}.tests.route_matrix"))
    return modules


MATRIX = dict(CORE_MATRIX)
for _module in plugin_matrices():
    MATRIX.update(_module.MATRIX)


@pytest.fixture
def clients(app, people):
    with app.app_context():
        team = get_team("youth")
        for dotted in BUNDLED_PLUGINS:
            app.extensions["plugins"].set_enabled(team, dotted.rsplit(".", 1)[1], True)
    values = {}
    for module in plugin_matrices():
        if hasattr(module, "seed"):
            with app.app_context():
                values.update(module.seed(app, people) or {})
    signed_in = {"anonymous": app.test_client()}
    for role, email in EMAILS.items():
        signed_in[role] = app.test_client()
        sign_in(signed_in[role], email)
    return signed_in, values


def header_problems(response) -> list[str]:
    """What is missing from the security headers every response must carry."""
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy and not policy.startswith("sandbox"):
        problems.append("Content-Security-Policy without frame-ancestors 'none'")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append("Content-Security-Policy allows inline code")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    return problems


def test_strict_transport_security_only_over_tls(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://coproduce.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_every_route_has_an_expectation(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add these routes to MATRIX"
    assert set(MATRIX) - endpoints == set(), "these routes no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_under_role(app, clients, role):
    signed_in, values = clients
    client = signed_in[role]
    wrong = []
    for endpoint, (method, url, statuses) in sorted(MATRIX.items()):
        if endpoint in ("auth.sign_out", "auth.sign_out_everywhere"):
            continue  # signing out would end this role's session; checked below (and in test_sessions)
        url = url.format(**values)
        response = client.open(url, method=method)
        expected = statuses[ROLES.index(role)]
        if response.status_code != expected:
            wrong.append(f"{method} {url}: {response.status_code}, expected {expected}")
        wrong += [f"{method} {url}: {problem}" for problem in header_problems(response)]
        response.get_data()  # read streamed downloads to the end, as a browser would
    assert wrong == []
    assert client.post("/sign-out").status_code == 302
    if role != "anonymous":
        assert client.get("/account").status_code == 302


def test_archived_team_pages_answer_404_but_admins_keep_the_data(app, people):
    with app.app_context():
        from coproduce.models import utcnow

        get_team("youth").archived_at = utcnow()
        db.session.commit()
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    for url in ("/t/youth/", "/t/youth/dashboard", "/t/youth/dummy/", "/t/youth/manage/plugins"):
        assert owner.get(url).status_code == 404, url
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Membership.id))).scalar_one() == 3
