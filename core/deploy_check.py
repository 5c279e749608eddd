"""`coproduce check-deploy`: settings that are unsafe on a live site, each with what to do."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

KNOWN_WEAK_KEYS = {"dev", "development", "secret", "changeme", "change-me", "please-change", "test", "coproduce"}
MIN_KEY_LENGTH = 32


@dataclass(frozen=True)
class Finding:
    setting: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.setting}: {self.problem}. {self.fix}"


def check_settings(config: dict, signup_open: bool, instance_path: str = "") -> list[Finding]:
    """Pure function over the app's settings (and the site admin's sign-up choice)."""
    findings = []
    if config.get("DEBUG"):
        findings.append(Finding("COPRODUCE_DEBUG", "debug mode is on", "Set COPRODUCE_DEBUG=false."))
    key = str(config.get("SECRET_KEY") or "")
    if len(key) < MIN_KEY_LENGTH or key.lower() in KNOWN_WEAK_KEYS:
        findings.append(
            Finding(
                "COPRODUCE_SECRET_KEY",
                "the secret key is short or well known",
                "Set at least 32 random characters, the same on every server.",
            )
        )
    database = str(config.get("DATABASE_URL", ""))
    workers = int(config.get("WORKERS") or 1)
    if database.startswith("sqlite") and workers > 1:
        findings.append(
            Finding(
                "COPRODUCE_DATABASE_URL",
                f"SQLite is used with {workers} workers",
                "Use PostgreSQL for more than one worker, or set COPRODUCE_WORKERS=1.",
            )
        )
    if not str(config.get("SITE_URL", "")).startswith("https://") or not config.get("TRUST_PROXY"):
        findings.append(
            Finding(
                "COPRODUCE_SITE_URL / COPRODUCE_TRUST_PROXY",
                "the site is not set up behind TLS",
                "Serve through an HTTPS proxy, set COPRODUCE_SITE_URL=https://... and COPRODUCE_TRUST_PROXY=true.",
            )
        )
    storage = str(config.get("RATELIMIT_STORAGE_URI") or ("redis" if config.get("REDIS_URL") else "memory://"))
    if storage.startswith("memory") and workers > 1:
        findings.append(
            Finding(
                "COPRODUCE_REDIS_URL",
                f"rate limits are kept in each worker's memory, so {workers} workers allow {workers} times the "
                "attempts at signing in" + (" and signing up" if signup_open else ""),
                "Set COPRODUCE_REDIS_URL so every worker shares the limits, or set COPRODUCE_WORKERS=1.",
            )
        )
    if config.get("MAIL_SERVER") and (config.get("MAIL_USERNAME") or config.get("MAIL_PASSWORD")):
        if not config.get("MAIL_USE_TLS"):
            findings.append(
                Finding(
                    "COPRODUCE_MAIL_USE_TLS",
                    "the SMTP user name and password would cross the network unencrypted",
                    "Set COPRODUCE_MAIL_USE_TLS=true (STARTTLS), or use a relay on this host that needs no password.",
                )
            )
    if int(config.get("SERVERS") or 1) > 1:
        findings.extend(several_servers(config, instance_path))
    return findings


def several_servers(config: dict, instance_path: str) -> list[Finding]:
    """COPRODUCE_SERVERS > 1: nothing one server keeps to itself may be something another needs."""
    servers = int(config["SERVERS"])
    findings = []
    if config.get("SECRET_KEY_GENERATED"):
        findings.append(
            Finding(
                "COPRODUCE_SECRET_KEY",
                f"the secret key was generated on this server, so the other {servers - 1} refuse its sessions",
                "Set the same COPRODUCE_SECRET_KEY in every server's environment.",
            )
        )
    if str(config.get("DATABASE_URL", "")).startswith("sqlite"):
        findings.append(
            Finding(
                "COPRODUCE_DATABASE_URL",
                f"SQLite is a file on one server and cannot be shared by {servers}",
                "Use one PostgreSQL database for every server.",
            )
        )
    if not config.get("REDIS_URL"):
        findings.append(
            Finding(
                "COPRODUCE_REDIS_URL",
                "without Redis the job queue is a file on each server (tasks.db), and jobs queued on one are "
                "never run by the others' workers",
                "Set COPRODUCE_REDIS_URL to one Redis every server shares.",
            )
        )
    storage = str(config.get("STORAGE_URL") or "")
    inside = _inside(storage, instance_path)
    if not storage or inside:
        where = "this server's instance folder" if not storage else f"{storage}, inside this server's instance folder"
        findings.append(
            Finding(
                "COPRODUCE_STORAGE_URL",
                f"uploaded documents and exports are kept in {where}, so the other servers cannot find them",
                "Set COPRODUCE_STORAGE_URL to a folder every server mounts (NFS, the council's file server) "
                "or to s3://bucket/prefix.",
            )
        )
    if not config.get("MAIL_SERVER"):
        findings.append(
            Finding(
                "COPRODUCE_MAIL_SERVER",
                "without a mail server, emails are written to the outbox folder of whichever server's worker "
                "sends them",
                "Set COPRODUCE_MAIL_SERVER to the council's mail relay.",
            )
        )
    return findings


def _inside(storage: str, instance_path: str) -> bool:
    """Whether a folder storage lies in the instance folder (kept by one server alone)."""
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    if not storage or not instance_path:
        return False
    parts = urlsplit(storage)
    if parts.scheme not in ("", "file"):
        return False
    folder = Path(unquote(parts.path) if parts.scheme == "file" else storage).resolve()
    return folder == Path(instance_path).resolve() or Path(instance_path).resolve() in folder.parents


#: A plugin's check: called inside an app context by `coproduce check-deploy`; returns
#: (setting, problem, fix) triples, one for each thing it finds unsafe.
DeployCheck = Callable[[], Iterable[tuple[str, str, str]]]


def add_deploy_check(app, check: DeployCheck) -> None:
    """Let a plugin add its own finding to `coproduce check-deploy` (call it from configure_app)."""
    app.extensions.setdefault("coproduce_deploy_checks", []).append(check)


def plugin_findings(app) -> list[Finding]:
    """What the plugins' checks find; a check that fails says so instead of hiding the others."""
    findings: list[Finding] = []
    for check in app.extensions.get("coproduce_deploy_checks", []):
        name = getattr(check, "__qualname__", "a plugin check")
        try:
            findings.extend(Finding(*found) for found in check())
        except Exception as error:  # noqa: BLE001 - report, and carry on with the rest
            findings.append(Finding(name, f"the check could not run ({type(error).__name__})", "See the log."))
    return findings
