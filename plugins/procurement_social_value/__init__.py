"""Social value in procurement: What suppliers promised in social value, what they delivered, and whether it met a real local need."""

from coproduce.plugins import PluginMeta, gettext as _, lazy_gettext as _l

__all__ = ["_", "_l", "meta"]  # _ and _l: the plugin's modules translate with these

meta = PluginMeta(
    name="procurement_social_value",
    title=_l("Social value in procurement"),
    version="0.1.0",
    requires_core=">=0.1,<1",
    description=_l(
        "What suppliers promised in social value, what they delivered, and whether it met a real local need."
    ),
    url_prefix="social-value",
    stores=(
        _l("Contract managers' names and email addresses, as typed by the team"),
        _l("Who reported, verified or disputed a delivery (team members' accounts)"),
        _l("Local needs and community checks as people typed them, without names or addresses"),
    ),
)
