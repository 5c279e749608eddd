"""Co-production readiness: Check whether an initiative is co-production or consultation under another name, and what would move it up."""

from coproduce.plugins import PluginMeta, gettext as _, lazy_gettext as _l

__all__ = ["_", "_l", "meta"]  # _ and _l: the plugin's modules translate with these

meta = PluginMeta(
    name="consultation_vs_coproduction",
    title=_l("Co-production readiness"),
    version="0.1.0",
    requires_core=">=0.1,<1",
    description=_l(
        "Check whether an initiative is co-production or consultation under another name, and what would move it up."
    ),
    url_prefix="readiness",
    # Groups with fewer responses than this get no breakdown on the dashboard, so no one is singled out.
    settings={"min_group_size": 5},
    stores=(
        _l(
            "Answers to readiness self-assessments, with the group the person chose, the date and an optional "
            "comment. No names, email or IP addresses. A private link lets a person resume their own answers."
        ),
    ),
    purpose=_l(
        "To let residents and staff place an initiative on the ladder from informing to co-producing, and to "
        "show the team where their views differ."
    ),
    lawful_basis=_l(
        "Public task (UK GDPR article 6(1)(e)). The answers are anonymous: no name, email address or IP "
        "address is asked for or kept."
    ),
    who_sees=(
        _l("Members of the team that runs the assessment: the answers and comments"),
        _l("The public: combined figures only, never a group too small to hide a person"),
        _l("The person who saved their answers, through their private link"),
    ),
)
