"""Skills people offer, for the site-wide pool and its asset map."""

from coproduce_plugins.initiatives import _l

SKILLS = {
    "organising": _l("Organising events or groups"),
    "cooking": _l("Cooking and food"),
    "gardening": _l("Gardening and growing"),
    "repairs": _l("Repairs and DIY"),
    "digital": _l("Computers and the internet"),
    "languages": _l("Speaking another language"),
    "caring": _l("Caring and listening"),
    "teaching": _l("Teaching and coaching"),
    "money": _l("Money and budgets"),
    "driving": _l("Driving"),
    "art": _l("Art, music and making"),
    "writing": _l("Writing and design"),
}
#: Counts below this are shown as "fewer than 5", so that no one is picked out.
HIDE_BELOW = 5


def skill_label(key: str) -> str:
    return str(SKILLS.get(key, key))


def asset_map(offers, wards) -> list[tuple[str, list[int | None]]]:
    """Rows of (ward code, counts per skill in SKILLS order); a count under HIDE_BELOW becomes None."""
    counts: dict[tuple[str, str], int] = {}
    for ward, skills in offers:
        for skill in (skills or "").split(","):
            if skill in SKILLS:
                counts[(ward or "", skill)] = counts.get((ward or "", skill), 0) + 1
    rows = []
    for ward in wards:
        row = [counts.get((ward, s), 0) for s in SKILLS]
        rows.append((ward, [c if c == 0 or c >= HIDE_BELOW else None for c in row]))
    return rows
