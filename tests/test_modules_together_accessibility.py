"""axe-core on the pages where the modules meet, in the demo team with every module on: the initiatives search
listing project packs, a project's page with its social value panel, and the form linking a need to a project."""

from __future__ import annotations

import pytest

from coproduce.plugins import db
from coproduce.testing.browser import AXE, LiveServer, check_pages
from coproduce.testing.fixtures import PASSWORD, add_user

pytestmark = pytest.mark.browser
PLUGINS = [
    "coproduce_plugins.initiatives",
    "coproduce_plugins.procurement_social_value",
    "coproduce_plugins.project_pack",
]


@pytest.fixture
def server(make_app):
    from coproduce.cli import _demo_together, _host

    app = make_app(plugins=PLUGINS, SERVER_NAME=None)
    with app.app_context():
        add_user("admin@example.org", admin=True)
        with app.test_request_context():
            _demo_together(_host())
    with LiveServer(app) as live:
        yield live, app


def test_the_pages_where_the_modules_meet_pass_axe(server, chromium, tmp_path):
    from coproduce_plugins.procurement_social_value.models import Commitment, Need

    if not AXE.exists():
        pytest.fail("axe-core is missing: run `bash frontend/build.sh`")
    live, app = server
    with app.app_context():
        project = db.session.execute(
            db.select(Commitment.project_id).where(Commitment.project_id.is_not(None))
        ).scalar()
        need = db.session.execute(db.select(Need.id).order_by(Need.id)).scalar()
    context = chromium.new_context()
    page = context.new_page()
    page.goto(live.url + "/sign-in")
    page.fill("#email", "admin@example.org")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/sign-in" not in url)
    state = context.storage_state(path=str(tmp_path / "state.json"))
    context.close()
    base = "/t/together-demo"
    public = [f"{base}/initiatives/?q=youth", f"{base}/projects/{project}"]
    signed_in = [f"{base}/projects/{project}/manage", f"{base}/social-value/manage/needs/{need}/project"]
    page_text = chromium.new_page()
    page_text.goto(live.url + public[1])
    assert "Social value promised for this project" in page_text.content()
    page_text.goto(live.url + public[0])
    assert page_text.get_by_role("heading", name="Project packs").count() == 1
    problems = check_pages(chromium, live.url, public) + check_pages(chromium, live.url, signed_in, storage_state=state)
    assert problems == [], "\n".join(problems)
