"""Hostile input posted to every form of the readiness plugin (see tests/hostile.py): never a 500, an
invalid post stores nothing and shows the GOV.UK error summary with a message beside the field, and a
stored payload is never shown unescaped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import get_team
from coproduce.testing.hostile import (
    IMG,
    NUMBER_EDGES,
    SCRIPT,
    Clients,
    HostileForm,
    check_coverage,
    check_csrf_refusals,
    run_hostile_posts,
    table_names,
)
from coproduce_plugins.consultation_vs_coproduction.campaigns import hash_token, uk_day
from coproduce_plugins.consultation_vs_coproduction.models import Draft
from coproduce_plugins.consultation_vs_coproduction.questionnaire import RUNGS, standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.scenarios import standard_deck
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, NAME, enable, make_assessment
from coproduce_plugins.consultation_vs_coproduction.versions import copy_version, standard_version

MEMBER = "member@example.org"
TOKEN = "hostile-token-for-the-journey"
Q = standard_questionnaire()
LAST_PAGE = len(Q.dimensions) + 1
TODAY = uk_day(utcnow())


def day(offset: int) -> list[str]:
    d = TODAY + timedelta(days=offset)
    return [str(d.day), str(d.month), str(d.year)]


def question_post(options: int) -> dict:
    data = {"text": f"{SCRIPT} Who decides?", "easy_read": f"{IMG} Who says?", "weight": "2"}
    # The team's wording in the other languages: "<field>-<lang>" (the toolkit's translated()).
    data |= {"text-cy": f"{SCRIPT} Pwy sy'n penderfynu?", "easy_read-ur": f"{IMG} کون فیصلہ کرتا ہے؟"}
    for i in range(options):
        data[f"option_{i}"], data[f"option_{i}_easy"] = f"{SCRIPT} answer {i}", f"{IMG} easy {i}"
        data[f"option_{i}-pl"], data[f"option_{i}_easy-cy"] = f"{SCRIPT} odpowiedź {i}", f"{IMG} hawdd {i}"
    return data


A = f"{BASE}/a/{{code}}"
R = f"{A}/r/{TOKEN}"
M = f"{BASE}/assessments/{{assessment}}"
V = f"{BASE}/questionnaires/{{draft_version}}"
STAFF_PAGES = ((MEMBER, M), (MEMBER, f"{BASE}/assessments"), (MEMBER, f"{M}/poster"), (MEMBER, "/t/youth/dashboard"))
FORMS = [
    HostileForm(f"{NAME}.start", A, None, {"group": "resident", "easy_read": "easy"}),
    HostileForm(f"{NAME}.about", f"{R}/about", None, {"group": "staff", "easy_read": "easy"}),
    HostileForm(
        f"{NAME}.page",
        f"{R}/1",
        None,
        {q.id: q.options[1].id for q in Q.dimensions[0].questions},
        shown=(f"{R}/check", f"{R}/1"),
    ),
    HostileForm(
        f"{NAME}.page",
        f"{R}/{LAST_PAGE}",
        None,
        {"comment": f"{SCRIPT} {IMG} more youth workers"},
        name="page_comment",
        shown=(f"{R}/check", f"{R}/{LAST_PAGE}"),
    ),
    HostileForm(f"{NAME}.check", f"{R}/check", None, {}, shown=(f"{R}/result", *STAFF_PAGES)),
    HostileForm(
        f"{NAME}.paper_entry",
        f"{M}/paper-entry",
        MEMBER,
        {
            "group": "resident",
            "easy_read": "standard",
            "options-1": "c",
            "power-2": "e",
            "comment": f"{SCRIPT} {IMG} typed in from paper",
        },
        shown=STAFF_PAGES,
    ),
    HostileForm(
        f"{NAME}.new_assessment",
        f"{BASE}/assessments/new",
        MEMBER,
        {
            "title": f"{SCRIPT} check",
            "title-cy": f"{SCRIPT} gwiriad",
            "initiative": f"{IMG} review",
            "initiative-ur": f"{IMG} جائزہ",
            "opens_on": day(-1),
            "closes_on": day(20),
            "version": "{standard_version}",
            "groups": ["resident", "staff"],
            "other_groups": f"Young carer\n{SCRIPT}",
            "other_groups-cy": f"Gofalwr ifanc\n{IMG}",
        },
        shown=(f"{BASE}/assessments", "/t/youth/dashboard"),
    ),
    HostileForm(
        f"{NAME}.edit_assessment",
        f"{M}/edit",
        MEMBER,
        {
            "title": f"{SCRIPT} renamed",
            "title-pl": f"{SCRIPT} nowa nazwa",
            "initiative": f"{IMG} renamed",
            "initiative-cy": f"{IMG} enw newydd",
            "opens_on": day(-2),
            "closes_on": day(40),
        },
        shown=(*STAFF_PAGES, (None, A), (None, f"{A}/paper")),
    ),
    HostileForm(f"{NAME}.close_assessment", f"{BASE}/assessments/{{closing}}/close", MEMBER, {}),
    HostileForm(
        f"{NAME}.copy",
        f"{BASE}/questionnaires/{{standard_version}}/copy",
        MEMBER,
        {"name": f"{SCRIPT} our wording {IMG}"},
        shown=(f"{BASE}/questionnaires",),
    ),
    HostileForm(
        f"{NAME}.edit_question",
        f"{V}/questions/power-1",
        MEMBER,
        question_post(5),
        edges={"weight": NUMBER_EDGES},
        shown=(V,),
    ),
    HostileForm(f"{NAME}.add_question", f"{V}/sections/parameters/add", MEMBER, question_post(len(RUNGS)), shown=(V,)),
    HostileForm(f"{NAME}.drop_question", f"{V}/questions/options-1/drop", MEMBER, {}),
    HostileForm(
        f"{NAME}.exercise",
        f"{BASE}/exercise",
        None,
        {card.id: "co_producing" for card in standard_deck().cards[:4]},
        result_page=True,
        shown=(f"{BASE}/exercise/results", f"{BASE}/exercise/facilitate/1?answer=1"),
    ),
]
# POST routes left out of FORMS, each with its reason (test_every_post_route_has_a_hostile_test).
EXCLUDED: dict[str, str] = {
    f"{NAME}.export_csv": "a button with no fields that starts a core background job: test_team.py",
    f"{NAME}.export_json": "a button with no fields that starts a core background job: test_team.py",
}


@pytest.fixture
def seeded(app, people):
    enable(app)
    values = {
        "assessment": make_assessment(app, code="hostile001"),
        "closing": make_assessment(app, code="hostile002"),
        "code": "hostile001",
    }
    with app.app_context():
        team = get_team("youth")
        values["standard_version"] = standard_version(team.id).id
        values["draft_version"] = copy_version(standard_version(team.id), "Our wording").id
        db.session.add(
            Draft(
                assessment_id=values["assessment"],
                token_hash=hash_token(TOKEN),
                group="resident",
                easy_read=False,
                answers={"options-1": "a"},
                comment="",
            )
        )
        db.session.commit()
    return values


@pytest.mark.parametrize("form", FORMS, ids=[f.id for f in FORMS])
def test_hostile_posts_never_break_the_form(app, seeded, form):
    with app.app_context():
        tables = table_names("consultation_vs_coproduction_")
    run_hostile_posts(app, Clients(app), form, seeded, tables)


def test_every_post_route_has_a_hostile_test(app):
    check_coverage(app, NAME, FORMS, EXCLUDED)


def test_a_post_without_a_valid_csrf_token_stores_nothing(make_app, seeded):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        tables = table_names("consultation_vs_coproduction_")
    check_csrf_refusals(app, FORMS, seeded, tables)
