"""The skills a project may need, and a guided list of everyday activities that show them.

People rarely call what they do a "skill": someone who runs a youth club would not say
"safeguarding, budgeting and organising". The guided list starts from what people do.
"""

from __future__ import annotations

from coproduce_plugins.project_pack import _l

SKILLS = {
    "organising": _l("Organising people and events"),
    "safeguarding": _l("Keeping people safe (safeguarding)"),
    "budgeting": _l("Budgeting and handling money"),
    "listening": _l("Listening and bringing people together"),
    "writing": _l("Writing and explaining things plainly"),
    "translating": _l("Speaking or translating other languages"),
    "data": _l("Working with figures and data"),
    "design": _l("Drawing, design and making things look good"),
    "digital": _l("Computers, websites and social media"),
    "negotiating": _l("Negotiating and sorting out disagreements"),
    "caring": _l("Caring and support"),
    "practical": _l("Practical and building work"),
    "growing": _l("Growing food and gardening"),
    "cooking": _l("Cooking and catering"),
    "local_knowledge": _l("Knowing the area and who is who"),
    "lived_experience": _l("Lived experience of the service"),
}

# (key, what people do, the skills it shows)
ACTIVITIES = (
    ("youth_club", _l("I run or help at a youth club"), ("organising", "safeguarding", "budgeting")),
    (
        "tenants",
        _l("I am on a tenants' or residents' association"),
        ("organising", "negotiating", "local_knowledge", "listening"),
    ),
    ("carer", _l("I look after a relative or a neighbour"), ("caring", "organising", "lived_experience")),
    ("school_run", _l("I organise lifts, rotas or the school run"), ("organising",)),
    ("treasurer", _l("I keep the money for a club, faith group or savings circle"), ("budgeting", "data")),
    ("allotment", _l("I keep an allotment or a garden"), ("growing", "practical")),
    ("cook", _l("I cook for big family or community gatherings"), ("cooking", "organising", "budgeting")),
    (
        "interpreter",
        _l("I help family or neighbours with forms in another language"),
        ("translating", "writing", "listening"),
    ),
    ("social_media", _l("I run a community group's page or chat group"), ("digital", "writing", "listening")),
    ("diy", _l("I fix things, decorate or build"), ("practical",)),
    ("newsletter", _l("I write a newsletter, posters or flyers"), ("writing", "design")),
    ("sports_coach", _l("I coach or referee a sports team"), ("organising", "safeguarding", "negotiating")),
    ("service_user", _l("I have used this service myself, or someone close to me has"), ("lived_experience",)),
    (
        "faith_group",
        _l("I help run a faith or cultural group"),
        ("organising", "listening", "local_knowledge", "budgeting"),
    ),
    ("spreadsheets", _l("I keep lists, spreadsheets or records"), ("data",)),
)


def skill_label(key: str) -> str:
    return str(SKILLS.get(key, key))


def skills_from_activities(activity_keys: list[str]) -> list[str]:
    """The skills the chosen activities show, in the order of SKILLS, without repeats."""
    chosen = {skill for key, _label, skills in ACTIVITIES if key in activity_keys for skill in skills}
    return [key for key in SKILLS if key in chosen]
