"""This plugin's routes in the authorisation matrix (see tests/route_roles.py)."""

from coproduce.testing.roles import EVERYONE, MEMBER_ACTIONS, MEMBERS, NOT_FOUND, OWNERS

B = "/t/youth/readiness"
MATRIX = {
    "consultation_vs_coproduction.index": ("GET", f"{B}/", EVERYONE),
    "consultation_vs_coproduction.stylesheet": ("GET", f"{B}/readiness.css", EVERYONE),
    "consultation_vs_coproduction.start": ("GET", f"{B}/a/{{code}}", EVERYONE),
    "consultation_vs_coproduction.about": ("GET", f"{B}/a/{{code}}/r/not-a-token/about", NOT_FOUND),
    "consultation_vs_coproduction.page": ("GET", f"{B}/a/{{code}}/r/not-a-token/1", NOT_FOUND),
    "consultation_vs_coproduction.saved": ("GET", f"{B}/a/{{code}}/r/not-a-token/saved", NOT_FOUND),
    "consultation_vs_coproduction.check": ("GET", f"{B}/a/{{code}}/r/not-a-token/check", NOT_FOUND),
    "consultation_vs_coproduction.result": ("GET", f"{B}/a/{{code}}/r/not-a-token/result", NOT_FOUND),
    "consultation_vs_coproduction.paper": ("GET", f"{B}/a/{{code}}/paper", EVERYONE),
    "consultation_vs_coproduction.assessments": ("GET", f"{B}/assessments", MEMBERS),
    "consultation_vs_coproduction.new_assessment": ("GET", f"{B}/assessments/new", MEMBERS),
    "consultation_vs_coproduction.edit_assessment": ("GET", f"{B}/assessments/{{assessment}}/edit", MEMBERS),
    "consultation_vs_coproduction.close_assessment": ("POST", f"{B}/assessments/{{closing}}/close", MEMBER_ACTIONS),
    "consultation_vs_coproduction.dashboard": ("GET", f"{B}/assessments/{{assessment}}", MEMBERS),
    "consultation_vs_coproduction.export_csv": ("GET", f"{B}/assessments/{{assessment}}/responses.csv", OWNERS),
    "consultation_vs_coproduction.export_json": ("GET", f"{B}/assessments/{{assessment}}/responses.json", OWNERS),
    "consultation_vs_coproduction.export_codebook": ("GET", f"{B}/assessments/{{assessment}}/codebook.csv", MEMBERS),
    "consultation_vs_coproduction.export_summary": ("GET", f"{B}/assessments/{{assessment}}/summary.csv", MEMBERS),
    "consultation_vs_coproduction.poster": ("GET", f"{B}/assessments/{{assessment}}/poster", MEMBERS),
    "consultation_vs_coproduction.qr_code": ("GET", f"{B}/assessments/{{assessment}}/qr.svg", MEMBERS),
    "consultation_vs_coproduction.paper_entry": ("GET", f"{B}/assessments/{{assessment}}/paper-entry", MEMBERS),
    "consultation_vs_coproduction.exercise": ("GET", f"{B}/exercise", EVERYONE),
    "consultation_vs_coproduction.facilitate": ("GET", f"{B}/exercise/facilitate/1", EVERYONE),
    "consultation_vs_coproduction.exercise_results": ("GET", f"{B}/exercise/results", EVERYONE),
    "consultation_vs_coproduction.versions": ("GET", f"{B}/questionnaires", MEMBERS),
    "consultation_vs_coproduction.version": ("GET", f"{B}/questionnaires/{{draft_version}}", MEMBERS),
    "consultation_vs_coproduction.copy": ("GET", f"{B}/questionnaires/{{draft_version}}/copy", MEMBERS),
    "consultation_vs_coproduction.edit_question": (
        "GET",
        f"{B}/questionnaires/{{draft_version}}/questions/power-1",
        MEMBERS,
    ),
    "consultation_vs_coproduction.add_question": (
        "GET",
        f"{B}/questionnaires/{{draft_version}}/sections/options/add",
        MEMBERS,
    ),
    "consultation_vs_coproduction.drop_question": (
        "POST",
        f"{B}/questionnaires/{{draft_version}}/questions/options-1/drop",
        MEMBER_ACTIONS,
    ),
}


def seed(app, people):
    from coproduce.plugins import db
    from coproduce.testing.fixtures import get_team
    from coproduce_plugins.consultation_vs_coproduction.tests.helpers import make_assessment
    from coproduce_plugins.consultation_vs_coproduction.versions import copy_version, standard_version

    assessment = make_assessment(app, code="matrix1234")
    closing = make_assessment(app, code="matrix5678")
    version = copy_version(standard_version(get_team("youth").id), "Our wording")
    db.session.commit()
    return {"code": "matrix1234", "assessment": assessment, "draft_version": version.id, "closing": closing}
