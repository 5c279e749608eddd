"""The audit log people can read: a sentence per event, GOV.UK dates, before and after, suppliers named as
suppliers, team owners seeing their own team's log, literal filters, every personal-data download recorded."""

from datetime import UTC, datetime

import pytest

from coproduce.extensions import db
from coproduce.models import AuditEvent
from coproduce.testing.fixtures import get_team, sign_in


def _client(app, email):
    client = app.test_client()
    sign_in(client, email)
    return client


def _event(app, action, *, team=None, at=None, target="", **details):
    with app.app_context():
        event = AuditEvent(
            action=action,
            team_id=get_team(team).id if team else None,
            target=target,
            details=details,
            at=at or datetime.now(UTC),
        )
        db.session.add(event)
        db.session.commit()


def test_events_read_as_sentences_with_govuk_dates(app, people):
    winter = datetime(2026, 12, 1, 21, 25, tzinfo=UTC)
    summer = datetime(2026, 7, 4, 8, 5, tzinfo=UTC)  # 9:05am in London (BST)
    _event(app, "team.archived", team="youth", target="team:youth", at=winter)
    _event(app, "procurement_social_value.report_added", team="youth", target="report:4", source="supplier", at=summer)
    admin = _client(app, "admin@example.org")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "1 December 2026 at 9:25pm" in page and "4 July 2026 at 9:05am" in page
    assert "12/1/26" not in page
    assert "Archived the team Youth" in page.replace("Youth services", "Youth")
    assert "A supplier, through their private link" in page and "Reported delivery (report 4)" in page
    welsh = admin.get("/admin/audit?lang=cy").get_data(as_text=True)
    assert "1 Rhagfyr 2026" in welsh and "Archifodd y tîm" in welsh


def test_changes_show_before_and_after(app, people):
    admin = _client(app, "admin@example.org")
    admin.post("/admin/settings", data={"signup_enabled": "no", "default_locale": "cy"})
    admin.post(f"/admin/users/{people['member']}/disable")
    page = admin.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Changed the site settings" in page and "before: en; after: cy" in page
    assert "Disabled the account of Member" in page and "before: Account; after: Disabled" in page


def test_team_owners_see_their_own_teams_log_and_no_other(app, people):
    _event(app, "team.details_changed", team="youth", target="team:youth", changes={"name": ["Youth", "Young people"]})
    _event(app, "team.details_changed", team="parks", target="team:parks", changes={"name": ["Parks", "Green spaces"]})
    owner = _client(app, "owner@example.org")
    page = owner.get("/t/youth/manage/audit").get_data(as_text=True)
    assert "Changed the team&#39;s name or description" in page or "Changed the team's name or description" in page
    assert "Young people" in page and "Green spaces" not in page
    assert _client(app, "member@example.org").get("/t/youth/manage/audit").status_code == 403
    assert _client(app, "outsider@example.org").get("/t/youth/manage/audit").status_code == 403


def test_filters_take_percent_and_underscore_literally(app, people):
    _event(app, "team.created", target="team:youth")
    admin = _client(app, "admin@example.org")
    assert "1 event" in admin.get("/admin/audit?action=team.").get_data(as_text=True)
    for pattern in ("team_", "%", "_", "t%m"):
        assert "0 events" in admin.get(f"/admin/audit?action={pattern}").get_data(as_text=True), pattern


@pytest.mark.parametrize("share, kind", [("1", "share"), ("0", "full")])
def test_every_pack_download_is_recorded_with_its_kind_pdf_too(app, people, share, kind):
    from coproduce_plugins.project_pack.tests.helpers import make_project

    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    member = _client(app, "member@example.org")
    pid = make_project(app, member)
    pdf = member.post(f"/t/youth/projects/{pid}/pack.pdf?share={share}")  # a PDF is built in the background
    if pdf.status_code == 503:
        pytest.skip("WeasyPrint cannot run here (its system libraries are missing)")
    assert pdf.status_code == 302
    assert member.get(f"/t/youth/projects/{pid}/pack.zip?share={share}").status_code == 200
    with app.app_context():
        events = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "project_pack.pack_exported")
        ).scalars()
        assert sorted((e.details["format"], e.details["kind"]) for e in events) == [("pdf", kind), ("zip", kind)]
    page = _client(app, "owner@example.org").get("/t/youth/manage/audit").get_data(as_text=True)
    assert "Downloaded the pack of project" in page
