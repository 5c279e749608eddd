"""Retention: delete or anonymise what is kept longer than the installation allows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class RetentionRule:
    """name: "<plugin>.<what>"; apply(cutoff, dry_run) -> how many records it changed (or would).

    description says what is kept and why says why it is kept that long, both for the retention page
    (translated: pass lazy_gettext strings).
    """

    name: str
    description: str
    default_months: int
    apply: Callable[[datetime, bool], int]
    why: str = ""


@dataclass(frozen=True)
class RetentionResult:
    rule: RetentionRule
    months: int
    count: int


def _outbox_rule() -> RetentionRule:
    def apply(cutoff: datetime, dry_run: bool) -> int:
        folder = Path(current_app.instance_path) / "outbox"
        old = (
            [p for p in folder.glob("*.eml") if datetime.fromtimestamp(p.stat().st_mtime, UTC) < cutoff]
            if folder.is_dir()
            else []
        )
        if not dry_run:
            for path in old:
                path.unlink()
        return len(old)

    return RetentionRule(
        "core.outbox",
        _l("emails kept in the outbox folder when no mail server is set"),
        3,
        apply,
        why=_l("so that site admins can read what would have been sent while a mail server is being set up"),
    )


def all_rules() -> list[RetentionRule]:
    from coproduce import jobs, mail
    from coproduce.once import retention_rule

    rules = [_outbox_rule(), retention_rule(), mail.retention_rule(), jobs.retention_rule()]
    for _, found in current_app.extensions["plugins"].all_hooks().each("retention_rules"):
        rules.extend(found or [])
    return sorted(rules, key=lambda r: r.name)


def months_for(rule: RetentionRule) -> int:
    return current_app.config["RETENTION_MONTHS"].get(rule.name, rule.default_months)


def apply_all(dry_run: bool, now: datetime | None = None) -> list[RetentionResult]:
    """Apply every rule whose period is not 0 (0 keeps for ever)."""
    now = now or datetime.now(UTC)
    results = []
    for rule in all_rules():
        months = months_for(rule)
        if months == 0:
            results.append(RetentionResult(rule, 0, 0))
            continue
        results.append(RetentionResult(rule, months, rule.apply(now - timedelta(days=round(months * 30.44)), dry_run)))
    return results
