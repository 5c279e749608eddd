"""`coproduce check-deploy`: settings that are unsafe on a live site, each with what to do."""

from __future__ import annotations

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


def check_settings(config: dict, signup_open: bool) -> list[Finding]:
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
    if signup_open and not config.get("REDIS_URL") and workers > 1:
        findings.append(
            Finding(
                "COPRODUCE_REDIS_URL",
                "sign-up is open but rate limits are counted per worker",
                "Set COPRODUCE_REDIS_URL so every worker shares the limits, or close sign-up.",
            )
        )
    return findings
