"""The public toolkit: everything a plugin may import from core, and nothing else (re-exports only).

Plugins import `from coproduce.plugins import ...`; core's other modules may change without notice.
docs/plugins.md lists every name here (a test keeps the two equal). The plugin manager itself is
coproduce.plugin_host, which plugins never import.
"""

from flask_babel import gettext, lazy_gettext, lazy_pgettext, ngettext, npgettext, pgettext

from coproduce.content import add_translation_columns, in_print_languages, local_html, local_text, text_languages
from coproduce.csv_safe import csv_cell, csv_lines, csv_row, csv_text, csv_unsafe
from coproduce.deploy_check import add_deploy_check
from coproduce.extensions import csrf, db, limiter
from coproduce.form_base import Form
from coproduce.form_fields import (
    NoControlCharacters,
    long_text_field,
    one_line,
    strip_text,
    text_field,
    translated,
)
from coproduce.helpers import (
    can_manage,
    current_team,
    is_member,
    plugin_settings,
    require_team_role,
    team_object_or_404,
)
from coproduce.i18n import format_day, format_moment, text_direction
from coproduce.jobs import (
    JobInput,
    JobResult,
    add_job_kind,
    export_in_background,
    import_in_background,
    job_url,
    prepare_page,
    start_job,
)
from coproduce.mail import send_mail
from coproduce.models import AuditEvent, Membership, Role, Team, User, UTCDateTime, record, utcnow
from coproduce.models.translatable import CONTENT_LANGUAGES, LocalText, Translatable, lines_of
from coproduce.once import OnceField, claim_once, settle_once
from coproduce.page_cache import no_page_cache, pages_changed
from coproduce.person import Person
from coproduce.plugin_host import collect_for
from coproduce.plugin_types import (
    NavItem,
    Panel,
    PluginMeta,
    PublicItem,
    SearchHit,
    WaitingItem,
    Widget,
    hookimpl,
)
from coproduce.retention import RetentionRule
from coproduce.search import FullTextIndex, index_drives, search_terms
from coproduce.security import mark_private
from coproduce.tasks import crontab, schedule_task
from coproduce.uploads import (
    CheckedFile,
    StoredFile,
    UploadError,
    check_upload,
    delete_upload,
    read_upload,
    send_upload,
    store_upload,
)
from coproduce.widgets import CheckboxesInput, PasswordInput, RadioInput

__all__ = [
    "CONTENT_LANGUAGES",
    "add_deploy_check",
    "add_job_kind",
    "add_translation_columns",
    "AuditEvent",
    "CheckboxesInput",
    "CheckedFile",
    "Form",
    "FullTextIndex",
    "JobInput",
    "JobResult",
    "LocalText",
    "Membership",
    "NavItem",
    "NoControlCharacters",
    "OnceField",
    "Panel",
    "PasswordInput",
    "Person",
    "PluginMeta",
    "PublicItem",
    "RadioInput",
    "RetentionRule",
    "SearchHit",
    "Role",
    "StoredFile",
    "Team",
    "Translatable",
    "UTCDateTime",
    "UploadError",
    "WaitingItem",
    "User",
    "Widget",
    "can_manage",
    "check_upload",
    "claim_once",
    "collect_for",
    "crontab",
    "csrf",
    "csv_cell",
    "csv_lines",
    "csv_row",
    "csv_text",
    "csv_unsafe",
    "current_team",
    "db",
    "delete_upload",
    "export_in_background",
    "format_day",
    "format_moment",
    "gettext",
    "hookimpl",
    "import_in_background",
    "in_print_languages",
    "index_drives",
    "is_member",
    "job_url",
    "lazy_gettext",
    "lazy_pgettext",
    "limiter",
    "lines_of",
    "local_html",
    "local_text",
    "long_text_field",
    "mark_private",
    "ngettext",
    "no_page_cache",
    "npgettext",
    "one_line",
    "pages_changed",
    "pgettext",
    "plugin_settings",
    "prepare_page",
    "read_upload",
    "record",
    "require_team_role",
    "send_mail",
    "schedule_task",
    "search_terms",
    "send_upload",
    "settle_once",
    "start_job",
    "store_upload",
    "strip_text",
    "team_object_or_404",
    "text_direction",
    "text_field",
    "text_languages",
    "translated",
    "utcnow",
]
