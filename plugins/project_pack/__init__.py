"""Project packs: A pack for every co-produced project: background, data, contacts, owners, skills, progress and learning, outcomes and evidence."""

from coproduce.plugins import PluginMeta, gettext as _, lazy_gettext as _l

__all__ = ["_", "_l", "meta"]  # _ and _l: the plugin's modules translate with these

meta = PluginMeta(
    name="project_pack",
    title=_l("Project packs"),
    version="0.1.0",
    requires_core=">=0.1,<1",
    description=_l(
        "A pack for every co-produced project: background, data, contacts, owners, skills, progress and learning, outcomes and evidence."
    ),
    url_prefix="projects",
    stores=(
        _l("Project contacts: name, role, organisation, how to reach them, and whether they agreed to publication"),
        _l("Project leads and co-owners: names, and a link to their account if they have one"),
        _l("Offers of help from the public: name, how to reach them, skills, message, and when they agreed"),
        _l("Log entries and evidence: the name of the person who wrote them"),
    ),
    purpose=_l(
        "To run co-produced projects with residents: so that a newcomer can pick a project up, the team can "
        "reach the people involved, and offers of help reach a project that needs them."
    ),
    lawful_basis=_l(
        "Public task (UK GDPR article 6(1)(e)) for the council's co-production work. Consent (article 6(1)(a)) "
        "to keep the details of someone who offers help, and to show a contact's details or a lead's and "
        "co-owner's names on the public page; each consent is kept with its words and when it was given."
    ),
    who_sees=(
        _l("Members of the team that runs the project"),
        _l("The public, only for contacts and owners who agreed to be shown"),
        _l("Site admins, to answer a request to see or erase someone's data"),
    ),
    audit_events={
        "project_pack.project_created": _l("Started the project %(target)s"),
        "project_pack.project_changed": _l("Changed the project %(target)s"),
        "project_pack.contact_added": _l("Added a contact to %(target)s"),
        "project_pack.contact_removed": _l("Removed a contact from %(target)s"),
        "project_pack.document_added": _l("Added a document to %(target)s"),
        "project_pack.document_removed": _l("Removed a document from %(target)s"),
        "project_pack.skill_added": _l("Added a skill needed to %(target)s"),
        "project_pack.skill_removed": _l("Removed a skill needed from %(target)s"),
        "project_pack.log_added": _l("Wrote in the log of %(target)s"),
        "project_pack.criterion_added": _l("Added an outcome criterion to %(target)s"),
        "project_pack.evidence_added": _l("Added evidence to %(target)s"),
        "project_pack.offer_handled": _l("Marked an offer of help as dealt with"),
        "project_pack.template_created": _l("Made a project template"),
        "project_pack.pack_exported": _l("Downloaded the pack of %(target)s (%(kind)s)"),
        "project_pack.pack_imported": _l("Imported a project pack as %(target)s"),
    },
)
