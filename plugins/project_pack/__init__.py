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
)
