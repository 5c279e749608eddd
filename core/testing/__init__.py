"""The test toolkit for core and for any plugin, published with Coproduce.

Installed Coproduce registers `coproduce.testing.fixtures` (the database, app, client and people
fixtures) and `coproduce.testing.browser` (headless Chromium) with pytest through the `pytest11`
entry point, so a plugin's own tests get them with no conftest. Import helpers from here:

    from coproduce.testing import add_team, add_user, get_team, sign_in, outbox, once_key
"""

from coproduce.cli import build_cli
from coproduce.retention import apply_all as apply_retention_rules
from coproduce.testing.fixtures import (
    BUNDLED_PLUGINS,
    PASSWORD,
    add_team,
    add_user,
    get_team,
    postgres_url,
    sign_in,
)
from coproduce.testing.helpers import in_languages, job_file, job_page, link_in, once_key, outbox

__all__ = [
    "BUNDLED_PLUGINS",
    "PASSWORD",
    "add_team",
    "add_user",
    "apply_retention_rules",
    "build_cli",
    "get_team",
    "in_languages",
    "job_file",
    "job_page",
    "link_in",
    "once_key",
    "outbox",
    "postgres_url",
    "sign_in",
]
