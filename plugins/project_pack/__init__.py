"""Project packs: A pack for every co-produced project: background, data, contacts, owners, skills, progress and learning, outcomes and evidence."""
from core.plugins import PluginMeta, gettext as _, lazy_gettext as _l  # noqa: F401 - _ for the plugin's modules

meta = PluginMeta(
    name="project_pack",
    title=_l("Project packs"),
    version="0.1.0",
    requires_core=">=0.1,<1",
    description=_l("A pack for every co-produced project: background, data, contacts, owners, skills, progress and learning, outcomes and evidence."),
    url_prefix="projects",
)
