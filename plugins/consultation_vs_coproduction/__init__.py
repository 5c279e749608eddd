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
)
