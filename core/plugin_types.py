"""The types a plugin builds and returns to core: its PluginMeta and the items its hooks return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pluggy
from markupsafe import Markup

from coproduce import hookspecs

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT_NAME)


@dataclass(frozen=True)
class PluginMeta:
    """What a plugin declares about itself in its package's `meta`."""

    name: str
    title: str
    version: str
    requires_core: str = ">=0.1"
    description: str = ""
    url_prefix: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    # What personal data the plugin stores, for the privacy notice.
    stores: tuple[str, ...] = ()
    # The privacy notice's other parts (lazy_gettext strings): why the data is kept, the lawful basis
    # under UK GDPR, and who can see it. How long comes from the plugin's retention_rules.
    purpose: str = ""
    lawful_basis: str = ""
    who_sees: tuple[str, ...] = ()
    # A sentence for each of the plugin's audit events, {"<plugin>.<event>": lazy_gettext("Added %(target)s")}:
    # the audit log shows it with %(target)s (and %(kind)s, "everything" or "the version to share").
    audit_events: dict[str, Any] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return (self.url_prefix or self.name.replace("_", "-")).strip("/")


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class Widget:
    title: str
    body: Markup
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class PublicItem:
    title: str
    url: str
    description: str = ""
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    body: Markup
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class WaitingItem:
    """Work waiting for a team: `kind` heads its group ("Supplier reports awaiting a check"), `title` names
    it, `url` goes straight to where it is dealt with; `count` things, waiting since `since` (UTC)."""

    kind: str
    title: str
    url: str
    count: int = 1
    since: datetime | None = None
    order: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One thing a search found: `title`, the public `url` it is at, a short `summary`, and the `kind` of thing
    it is ("Project packs"), which heads its group of results."""

    title: str
    url: str
    summary: str = ""
    kind: str = ""
    order: int = 100
    plugin: str = ""
