"""This plugin's routes in the authorisation matrix (see tests/test_authorisation.py)."""

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team
from coproduce.testing.roles import EVERYONE, MEMBER_ACTIONS, MEMBERS, OWNERS

P = "/t/youth/initiatives"
NOT_FOUND = (404,) * 6
MISSING_ACTION = (302, 403, 403, 404, 404, 404)
MATRIX = {
    "initiatives.index": ("GET", f"{P}/", EVERYONE),
    "initiatives.map": ("GET", f"{P}/map", EVERYONE),
    "initiatives.map_areas": ("GET", f"{P}/map/areas.json", EVERYONE),
    "initiatives.page": ("GET", f"{P}/{{initiative_id}}", EVERYONE),
    "initiatives.add": ("GET", f"{P}/add", EVERYONE),
    "initiatives.submitted": ("GET", f"{P}/added", EVERYONE),
    "initiatives.edit_own": ("GET", f"{P}/edit/not-a-token", NOT_FOUND),
    "initiatives.appreciate": ("POST", f"{P}/999999/appreciate", NOT_FOUND),
    "initiatives.discuss": ("GET", f"{P}/{{initiative_id}}/discuss", EVERYONE),
    "initiatives.pledge": ("GET", f"{P}/{{initiative_id}}/pledge", EVERYONE),
    "initiatives.report": ("POST", f"{P}/comments/999999/report", NOT_FOUND),
    "initiatives.volunteer": ("GET", f"{P}/{{initiative_id}}/volunteer", EVERYONE),
    "initiatives.skills": ("GET", f"{P}/skills", EVERYONE),
    "initiatives.offer_skills": ("GET", f"{P}/skills/offer", EVERYONE),
    "initiatives.manage": ("GET", f"{P}/manage", MEMBERS),
    "initiatives.new": ("GET", f"{P}/manage/new", MEMBERS),
    "initiatives.review": ("GET", f"{P}/manage/{{pending_id}}", MEMBERS),
    "initiatives.edit": ("GET", f"{P}/manage/{{pending_id}}/edit", MEMBERS),
    "initiatives.decide": ("POST", f"{P}/manage/{{pending_id}}/publish", MEMBER_ACTIONS),
    "initiatives.moderate": ("POST", f"{P}/manage/comments/999999/hide", MISSING_ACTION),
    "initiatives.themes": ("GET", f"{P}/manage/themes", MEMBERS),
    "initiatives.delete_theme": ("POST", f"{P}/manage/themes/999999/delete", MISSING_ACTION),
    "initiatives.edit_theme": ("GET", f"{P}/manage/themes/{{theme_id}}/edit", MEMBERS),
    "initiatives.volunteers": ("GET", f"{P}/manage/volunteers", MEMBERS),
    "initiatives.volunteer_handled": ("POST", f"{P}/manage/volunteers/999999/handled", MISSING_ACTION),
    "initiatives.map_settings_page": ("GET", f"{P}/manage/map", OWNERS),
    "initiatives.import_feed": ("GET", f"{P}/manage/import", MEMBERS),
    "initiatives.or_services": ("GET", f"{P}/openreferral/services", EVERYONE),
    "initiatives.or_service": ("GET", f"{P}/openreferral/services/{{service_id}}", EVERYONE),
    "initiatives.or_organizations": ("GET", f"{P}/openreferral/organizations", EVERYONE),
    "initiatives.or_taxonomies": ("GET", f"{P}/openreferral/taxonomies", EVERYONE),
    "initiatives.or_taxonomy_terms": ("GET", f"{P}/openreferral/taxonomy_terms", EVERYONE),
}


def seed(app, people) -> dict:
    """The demo directory in team "youth"."""
    from coproduce_plugins.initiatives.demo import create_demo
    from coproduce_plugins.initiatives.models import Initiative, Theme

    create_demo(get_team("youth"))
    first = (
        db.session.execute(db.select(Initiative).where(Initiative.status == "published").order_by(Initiative.id))
        .scalars()
        .first()
    )
    pending = db.session.execute(db.select(Initiative).where(Initiative.status == "pending")).scalars().first()
    from coproduce_plugins.initiatives.openreferral import uid

    theme = db.session.execute(db.select(Theme.id).order_by(Theme.id)).scalars().first()
    return {
        "initiative_id": first.id,
        "pending_id": pending.id,
        "service_id": uid("initiative", first.id),
        "theme_id": theme,
    }
