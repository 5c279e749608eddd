"""Settings: defaults, an optional instance TOML file, then COPRODUCE_* environment variables.

Every setting is declared once in SETTINGS with its type and what is allowed, so a bad
value gives a one-line error naming the setting, never a stack trace.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "COPRODUCE_"
CONFIG_FILE_NAME = "coproduce.toml"


class ConfigError(Exception):
    """A setting is missing or has a value that is not allowed."""


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError


def _int(minimum: int, maximum: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError
        number = int(str(value).strip())
        if number < minimum or (maximum is not None and number > maximum):
            raise ValueError
        return number

    return parse


def _str(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError
    return str(value).strip()


def _list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    elif isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    else:
        raise ValueError
    return [v for v in items if v]


def _months_by_rule(value: Any) -> dict[str, int]:
    """'rule=months,rule=months' (environment) or a TOML table {rule = months}."""
    pairs: Iterable[Sequence[Any]]
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, str):
        pairs = [item.split("=", 1) for item in value.split(",") if item.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError
    else:
        raise ValueError
    return {str(name).strip(): _int(0, 1200)(months) for name, months in pairs}


def _networks(value: Any) -> list[str]:
    import ipaddress

    items = _list(value)
    for item in items:
        ipaddress.ip_network(item, strict=False)  # ValueError names a bad entry
    return items


def _choice(*allowed: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _str(value).lower()
        if text not in allowed:
            raise ValueError
        return text

    return parse


def _database_url(value: Any) -> str:
    text = _str(value)
    if not text.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://", "postgres://")):
        raise ValueError
    if text.startswith("postgres://"):
        text = "postgresql+psycopg://" + text[len("postgres://") :]
    elif text.startswith("postgresql://"):
        text = "postgresql+psycopg://" + text[len("postgresql://") :]
    return text


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[Any], Any]
    allowed: str
    default: Any = None


SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", _str, "a random string of at least 32 characters"),
    Setting("DATABASE_URL", _database_url, "a sqlite:// or postgresql:// URL"),
    Setting("DEBUG", _bool, "true or false", False),
    Setting("THEME", _str, "the name of a folder in themes/ or a path to a theme folder", "default"),
    Setting("PLUGINS_ALLOWED", _list, "'all' or a comma-separated list of plugin names", ["all"]),
    Setting("DEFAULT_LOCALE", _choice("en", "cy", "pl", "ur"), "one of en, cy, pl, ur", "en"),
    Setting("REDIS_URL", _str, "a redis:// URL", ""),
    Setting("SIGNUP_ENABLED", _bool, "true or false", True),
    Setting("WELSH_BILINGUAL", _bool, "true or false", False),
    Setting("MAIL_SERVER", _str, "an SMTP host name", ""),
    Setting("MAIL_PORT", _int(1, 65535), "a port number from 1 to 65535", 25),
    Setting("MAIL_USERNAME", _str, "an SMTP user name", ""),
    Setting("MAIL_PASSWORD", _str, "an SMTP password", ""),
    Setting("MAIL_USE_TLS", _bool, "true or false", False),
    Setting("MAIL_FROM", _str, "an email address", "coproduce@localhost"),
    Setting("UPLOAD_MAX_BYTES", _int(1024), "a number of bytes, at least 1024", 20 * 1024 * 1024),
    Setting("BACKGROUND_IMPORT_BYTES", _int(0), "a number of bytes (0: every import in the background)", 256 * 1024),
    Setting("BACKGROUND_EXPORT_ROWS", _int(0), "a number of rows (0: every export in the background)", 2000),
    Setting("SITE_URL", _str, "the public address of the site, such as https://coproduce.example.gov.uk", ""),
    Setting("WORKERS", _int(1, 64), "a number of worker processes from 1 to 64", 2),
    Setting("TRUST_PROXY", _bool, "true or false", False),
    Setting(
        "TRUSTED_PROXIES",
        _networks,
        "a comma-separated list of proxy addresses or networks, such as 127.0.0.1,10.0.0.0/24",
        ["127.0.0.1", "::1"],
    ),
    Setting("SESSION_IDLE_MINUTES", _int(5, 24 * 60), "minutes from 5 to 1440", 120),
    Setting("SESSION_MAX_HOURS", _int(1, 24 * 30), "hours from 1 to 720", 12),
    Setting("PHASE_BANNER", _str, "a short tag such as beta, or empty", ""),
    Setting("LOG_FORMAT", _choice("text", "json"), "text or json", "text"),
    Setting("STORAGE_URL", _str, "a folder path, a file:// URL or s3://bucket/prefix", ""),
    Setting("SERVERS", _int(1, 64), "the number of servers running this site, from 1 to 64", 1),
    Setting("DATABASE_POOL_SIZE", _int(1, 100), "a number of connections from 1 to 100", 5),
    Setting("DATABASE_MAX_OVERFLOW", _int(0, 100), "a number of connections from 0 to 100", 5),
    Setting("PAGE_CACHE_MB", _int(0, 4096), "megabytes from 0 (no page cache) to 4096", 16),
    Setting("PAGE_CACHE_SECONDS", _int(1, 3600), "seconds from 1 to 3600", 60),
    Setting("RETENTION_MONTHS", _months_by_rule, "rule=months pairs such as core.outbox=3 (0 keeps forever)", {}),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def _instance_settings(instance_path: Path) -> dict[str, Any]:
    path = instance_path / CONFIG_FILE_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    unknown = sorted(k for k in data if k.upper() not in SETTINGS_BY_NAME)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}; known settings are listed in docs/install.md")
    return {k.upper(): v for k, v in data.items()}


def _environment_settings(environ: dict[str, str]) -> dict[str, Any]:
    found = {}
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :]
            if name in SETTINGS_BY_NAME:
                found[name] = value
    return found


def _secret_key(instance_path: Path) -> str:
    """A generated key kept in the instance folder, so sessions survive a restart."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    # Created readable by the service's user only from the first byte (no moment with the umask's mode).
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


#: Bits no file or folder of the instance gives to the group or to others.
PRIVATE_UMASK = 0o077


def keep_instance_private(instance_path: Path) -> None:
    """The instance folder holds the secret key, the database, uploads, the outbox and backups: everything
    created there (by this process, SQLite included) is readable by the service's user only. The umask
    is tightened, never loosened; the folder itself is made 0700."""
    current = os.umask(PRIVATE_UMASK)
    os.umask(current | PRIVATE_UMASK)
    try:
        if instance_path.stat().st_mode & 0o077:
            instance_path.chmod(0o700)
    except OSError:  # a folder the service cannot change (a mount): the umask still applies
        pass


def load_settings(
    instance_path: Path, overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """Merge defaults, the instance file, the environment and explicit overrides, validated."""
    raw: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    raw.update(_instance_settings(instance_path))
    raw.update(_environment_settings(dict(os.environ if environ is None else environ)))
    extra: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if key in SETTINGS_BY_NAME:
            raw[key] = value
        else:
            extra[key] = value
    settings: dict[str, Any] = {}
    for setting in SETTINGS:
        value = raw[setting.name]
        if value is None:
            settings[setting.name] = None
            continue
        try:
            settings[setting.name] = setting.parse(value)
        except (ValueError, TypeError):
            raise ConfigError(f"{ENV_PREFIX}{setting.name}={value!r} is not allowed: use {setting.allowed}") from None
    # Where the key came from: check-deploy refuses a generated key on a site with several servers.
    settings["SECRET_KEY_GENERATED"] = False
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _secret_key(instance_path)
        settings["SECRET_KEY_GENERATED"] = True
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'coproduce.db'}"
    settings.update(extra)
    return settings
