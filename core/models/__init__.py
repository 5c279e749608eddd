"""Core's tables. Plugins reference these through coproduce.plugins, not this package."""

from coproduce.models.audit import AuditEvent, record
from coproduce.models.job import BackgroundJob
from coproduce.models.mail import OutgoingMail
from coproduce.models.notify import NotificationChoice, WaitingNotice
from coproduce.models.plugin_state import PluginState, SiteSetting
from coproduce.models.rate_limit import RateLimitCounter
from coproduce.models.session import UserSession
from coproduce.models.submission import FormSubmission
from coproduce.models.team import SLUG_PATTERN_TEXT, Membership, Role, Team
from coproduce.models.types import UTCDateTime, utcnow
from coproduce.models.user import User

__all__ = [
    "SLUG_PATTERN_TEXT",
    "AuditEvent",
    "BackgroundJob",
    "FormSubmission",
    "Membership",
    "NotificationChoice",
    "OutgoingMail",
    "PluginState",
    "RateLimitCounter",
    "Role",
    "SiteSetting",
    "Team",
    "User",
    "UserSession",
    "WaitingNotice",
    "UTCDateTime",
    "record",
    "utcnow",
]
