"""A plugin used only by the tests: it implements every hook core defines."""

from coproduce.plugins import PluginMeta

meta = PluginMeta(
    name="dummy_plugin",
    title="Dummy plugin",
    version="1.0.0",
    requires_core=">=0.1,<1",
    description="Implements every hook, for the tests.",
    url_prefix="dummy",
    settings={"greeting": "hello"},
    stores=("Notes typed into the dummy plugin",),
)
