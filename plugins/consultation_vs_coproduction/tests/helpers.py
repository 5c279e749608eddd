"""Shared set-up for the plugin's web tests."""

from datetime import timedelta

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import get_team
from coproduce_plugins.consultation_vs_coproduction.campaigns import DEFAULT_GROUPS, uk_day
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Version
from coproduce_plugins.consultation_vs_coproduction.versions import lock, standard_version

NAME = "consultation_vs_coproduction"
BASE = "/t/youth/readiness"


def enable(app):
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), NAME, True)


def make_assessment(app, *, opens_in=-1, closes_in=30, code="abc123defg", version_id=None) -> int:
    """An assessment for team youth; returns its id."""
    with app.app_context():
        team = get_team("youth")
        version = standard_version(team.id) if version_id is None else db.session.get(Version, version_id)
        lock(version)
        today = uk_day(utcnow())
        assessment = Assessment(
            team_id=team.id,
            version_id=version.id,
            code=code,
            title="Play areas check",
            initiative="Play areas review",
            opens_on=today + timedelta(days=opens_in),
            closes_on=today + timedelta(days=closes_in),
            groups=[dict(g) for g in DEFAULT_GROUPS],
        )
        db.session.add(assessment)
        db.session.commit()
        return assessment.id
