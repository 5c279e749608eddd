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
    purpose=_l(
        "To record what suppliers promised and delivered as social value, and to let residents and community "
        "groups name local needs and say whether a delivery really happened."
    ),
    lawful_basis=_l(
        "Public task (UK GDPR article 6(1)(e)): managing the council's contracts and reporting openly on the "
        "social value they deliver."
    ),
    who_sees=(
        _l("Members of the team that manages the contracts"),
        _l("The public: published contracts, accepted needs and approved community checks, never contact details"),
        _l("A supplier, only the reports on their own contract, through their private link"),
        _l("Site admins, to answer a request to see or erase someone's data"),
    ),
    audit_events={
        "procurement_social_value.contract_added": _l("Added the contract %(target)s"),
        "procurement_social_value.contract_changed": _l("Changed the contract %(target)s"),
        "procurement_social_value.contract_deleted": _l("Deleted the contract %(target)s"),
        "procurement_social_value.commitment_added": _l("Added the commitment %(target)s"),
        "procurement_social_value.commitment_changed": _l("Changed the commitment %(target)s"),
        "procurement_social_value.commitment_deleted": _l("Deleted the commitment %(target)s"),
        "procurement_social_value.report_added": _l("Reported delivery (%(target)s)"),
        "procurement_social_value.link_created": _l("Made a private link for a supplier"),
        "procurement_social_value.link_revoked": _l("Stopped a supplier's private link"),
        "procurement_social_value.check_shown": _l("Approved a community check for the public page"),
        "procurement_social_value.check_rejected": _l("Turned down a community check"),
        "procurement_social_value.need_accepted": _l("Added a named need to the register"),
        "procurement_social_value.need_declined": _l("Declined a named need"),
        "procurement_social_value.need_project": _l("Linked a named need to a project"),
        "procurement_social_value.need_changed": _l("Changed the words of a named need"),
        "procurement_social_value.measure_changed": _l("Changed the measure %(target)s"),
    },
)
