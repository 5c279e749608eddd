"""Initiatives: a directory and map of what is already happening, council-run and independent, that people can join."""

from coproduce.plugins import PluginMeta, gettext as _, lazy_gettext as _l

__all__ = ["_", "_l", "meta"]  # _ and _l: the plugin's modules translate with these

meta = PluginMeta(
    name="initiatives",
    title=_l("Initiatives"),
    version="0.1.0",
    requires_core=">=0.1,<1",
    description=_l("A map and directory of initiatives, run by the council or by the community, that anyone can join."),
    url_prefix="initiatives",
    settings={"boundary_file": "", "wards_file": "", "tile_url": ""},
    stores=(
        _l("Initiative contacts: name, email address or phone number, and when and to what wording they agreed"),
        _l("Volunteers: name, how to reach them, message, and when they agreed"),
        _l("Offers of skills: name, how to reach them, skills, area, and when they agreed"),
        _l("Comments and pledges: the name the writer chose to give, if any"),
    ),
)
