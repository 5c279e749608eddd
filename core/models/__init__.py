"""Core's tables. Plugins reference these through core.plugins, not this package."""
from core.models.audit import AuditEvent, record
from core.models.plugin_state import PluginState, SiteSetting
from core.models.submission import FormSubmission
from core.models.team import SLUG_PATTERN_TEXT, Membership, Role, Team
from core.models.types import UTCDateTime, utcnow
from core.models.user import User

__all__ = [
    "SLUG_PATTERN_TEXT", "AuditEvent", "FormSubmission", "Membership", "PluginState", "Role", "SiteSetting", "Team", "User",
    "UTCDateTime", "record", "utcnow",
]
