"""Reading and writing the plugin's records: framework seeding and import, contract import,
statuses of stored commitments, supplier links. No requests or templates here.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from coproduce.plugins import CONTENT_LANGUAGES, db, utcnow

from .framework import Framework, Measure as FrameworkMeasure, Outcome, Theme, load_shipped_framework
from .importer import ImportReport
from .models import (
    Commitment,
    Contract,
    DeliveryReport,
    Measure,
    Need,
    ProxyValue,
    Supplier,
    SupplierLink,
    to_milli,
)
from .status import Assessment, DeliveryReport as StatusReport, assess

LINK_DAYS = 90
#: `coproduce check-deploy` warns about live links valid for longer than this.
LINK_WARN_DAYS = 100


# The framework


def team_measures(team_id: int) -> list[Measure]:
    return list(
        db.session.execute(
            db.select(Measure).where(Measure.team_id == team_id).order_by(Measure.position, Measure.id)
        ).scalars()
    )


def ensure_framework(team) -> None:
    """Give a team the shipped example framework if it has no measures yet."""
    if db.session.execute(db.select(Measure.id).where(Measure.team_id == team.id).limit(1)).first():
        return
    apply_framework(team.id, load_shipped_framework())
    db.session.commit()


def team_framework(team_id: int) -> Framework:
    themes: dict[str, Theme] = {}
    outcomes: dict[str, Outcome] = {}
    measures = []
    for m in team_measures(team_id):
        themes.setdefault(m.theme_code, Theme(m.theme_code, m.theme))
        outcomes.setdefault(m.outcome_code, Outcome(m.outcome_code, m.outcome, m.theme_code))
        measures.append(FrameworkMeasure(m.code, m.title, m.unit, m.outcome_code, m.theme_code, m.proxy_pence))
    return Framework(tuple(themes.values()), tuple(outcomes.values()), tuple(measures))


def measures_in_use(team_id: int) -> set[str]:
    return set(
        db.session.execute(
            db.select(Measure.code)
            .join(Commitment, Commitment.measure_id == Measure.id)
            .where(Measure.team_id == team_id)
            .distinct()
        ).scalars()
    )


def apply_framework(team_id: int, framework: Framework, source: str = "", user=None) -> list[str]:
    """Make the team's measures those of ``framework``: update by code, add new ones, and
    remove those no commitment uses. Returns the codes kept because commitments use them.

    A new measure's proxy value applies from the start (``EARLIEST``); a changed one is added to the
    measure's history, applying from today, so past figures keep the value they had."""
    existing = {m.code: m for m in team_measures(team_id)}
    for position, fm in enumerate(framework.measures):
        theme, outcome = framework.theme(fm.theme_code), framework.outcome(fm.outcome_code)
        row = existing.pop(fm.code, None)
        new = row is None
        if new:
            row = Measure(team_id=team_id, code=fm.code)
        row.theme_code, row.theme = theme.code, theme.name
        row.outcome_code, row.outcome = outcome.code, outcome.name
        for name, text in (("title", fm.name), ("unit", fm.unit)):
            if not new and getattr(row, name) != text:
                # New words from the file: the other languages' text of the old words no longer fits.
                for lang in CONTENT_LANGUAGES:
                    if lang != row.base_language():
                        row.set_text(name, lang, "")
        row.title, row.unit, row.position = fm.name, fm.unit, position
        db.session.add(row)
        if new:
            row.proxy_pence = fm.proxy_pence
            db.session.flush()
            db.session.add(
                ProxyValue(
                    team_id=team_id,
                    measure_id=row.id,
                    pence=fm.proxy_pence,
                    source=source or "The framework as first loaded",
                    applies_from=EARLIEST,
                    created_by_id=getattr(user, "id", None),
                )
            )
        elif row.proxy_pence != fm.proxy_pence:
            set_proxy(row, fm.proxy_pence, source or "Framework import", utcnow().date(), user)
    used = measures_in_use(team_id)
    kept = []
    for code, row in existing.items():
        if code in used:
            kept.append(code)
        else:
            db.session.delete(row)
    return sorted(kept)


# Contracts


def get_or_add_supplier(team_id: int, name: str, company_number: str | None) -> Supplier:
    supplier = db.session.execute(
        db.select(Supplier).where(Supplier.team_id == team_id, Supplier.name == name)
    ).scalar_one_or_none()
    if supplier is None:
        supplier = Supplier(team_id=team_id, name=name, company_number=company_number)
        db.session.add(supplier)
        db.session.flush()
    elif company_number and not supplier.company_number:
        supplier.company_number = company_number
    return supplier


def need_for_text(team_id: int, text: str | None) -> Need | None:
    """The team's need with this title; a new one waits for the team's curation like any other.

    A need arriving through an import is never published directly: it starts as "new", and the
    public sees it only once the team accepts it (a need the team declined stays declined).
    """
    if not text:
        return None
    need = db.session.execute(db.select(Need).where(Need.team_id == team_id, Need.title == text)).scalars().first()
    if need is None:
        need = Need(team_id=team_id, title=text, state="new")
        db.session.add(need)
        db.session.flush()
    return need


def contract_references(team_id: int) -> set[str]:
    return set(db.session.execute(db.select(Contract.reference).where(Contract.team_id == team_id)).scalars())


def save_import(team_id: int, report: ImportReport) -> int:
    """Write every contract of a checked import (call only when report.ok). Returns the count."""
    if not report.ok:
        raise ValueError("an import with errors cannot be saved")
    measures = {m.code: m.id for m in team_measures(team_id)}
    for item in report.contracts:
        supplier = get_or_add_supplier(team_id, item.supplier_name, item.supplier_company_number)
        contract = Contract(
            team_id=team_id,
            reference=item.contract_id,
            title=item.title,
            supplier_id=supplier.id,
            value_pence=item.value_pence,
            start_date=item.start,
            end_date=item.end,
        )
        db.session.add(contract)
        db.session.flush()
        for c in item.commitments:
            need = need_for_text(team_id, c.local_need)
            db.session.add(
                Commitment(
                    team_id=team_id,
                    contract_id=contract.id,
                    ref=c.ref,
                    measure_id=measures[c.measure_code],
                    target_milli=to_milli(c.target),
                    due_date=c.due,
                    need_id=need.id if need else None,
                )
            )
    db.session.flush()
    refresh_sums(team_id=team_id)  # the new commitments' values at the proxies in force
    return len(report.contracts)


# Running sums of reports on each commitment


def proxy_in_force(measure_id, day):
    """SQL: the id of the measure's proxy value in force on ``day`` (the latest applying from then or before)."""
    x = sa.orm.aliased(ProxyValue)
    return (
        sa.select(x.id)
        .where(x.measure_id == measure_id, x.applies_from <= day)
        .order_by(x.applies_from.desc(), x.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _proxy_pence(proxy_id):
    x = sa.orm.aliased(ProxyValue)
    return sa.select(x.pence).where(x.id == proxy_id).scalar_subquery()


def refresh_sums(commitment_ids=None, team_id: int | None = None) -> None:
    """Recount the report sums and social values kept on commitments (some ids, a whole team, or everything).

    Each report is valued at the proxy in force on the last day of its period, each commitment's target at
    the proxy in force on its start date; every value is rounded half up to the penny (money.value_pence)
    and the commitment's values are the sums of its reports' values.
    """
    r, c = DeliveryReport, Commitment

    def only(statement, id_column, team_column):
        if commitment_ids is not None:
            statement = statement.where(id_column.in_(list(commitment_ids)))
        if team_id is not None:
            statement = statement.where(team_column == team_id)
        return statement

    options = {"synchronize_session": False}
    # Correlated explicitly: nested inside proxy_in_force, they would not correlate by themselves.
    measure_of = sa.select(c.measure_id).where(c.id == r.commitment_id).correlate(r).scalar_subquery()
    db.session.execute(
        only(sa.update(r).values(proxy_id=proxy_in_force(measure_of, r.period_end)), r.commitment_id, r.team_id),
        execution_options=options,
    )
    db.session.execute(
        only(
            sa.update(r).values(
                value_pence=sa.func.coalesce((r.quantity_milli * _proxy_pence(r.proxy_id) + 500) // 1000, 0)
            ),
            r.commitment_id,
            r.team_id,
        ),
        execution_options=options,
    )

    def total(states, value):
        return (
            sa.select(sa.func.coalesce(sa.func.sum(value), 0))
            .where(r.commitment_id == c.id, r.verification.in_(states))
            .scalar_subquery()
        )

    contract_start = sa.select(Contract.start_date).where(Contract.id == c.contract_id).correlate(c).scalar_subquery()
    db.session.execute(
        only(
            sa.update(c).values(
                verified_milli=total(["verified"], r.quantity_milli),
                pending_milli=total(["pending"], r.quantity_milli),
                disputed_milli=total(["disputed"], r.quantity_milli),
                disputes=total(["disputed"], 1),
                verified_pence=total(["verified"], r.value_pence),
                counted_pence=total(["verified", "pending"], r.value_pence),
                proxy_id=proxy_in_force(c.measure_id, sa.func.coalesce(c.start_date, contract_start)),
            ),
            c.id,
            c.team_id,
        ),
        execution_options=options,
    )
    db.session.execute(
        only(
            sa.update(c).values(
                committed_pence=sa.func.coalesce((c.target_milli * _proxy_pence(c.proxy_id) + 500) // 1000, 0)
            ),
            c.id,
            c.team_id,
        ),
        execution_options=options,
    )
    for kept in list(db.session.identity_map.values()):  # the rows changed under the session: read them again
        if isinstance(kept, (Commitment, DeliveryReport)):
            db.session.expire(kept)


#: The day a proxy value that came with the framework applies from: before any contract.
EARLIEST = date(1900, 1, 1)


def set_proxy(measure: Measure, pence: int | None, source: str, applies_from: date, user=None) -> ProxyValue:
    """Add a proxy value to the measure's history and revalue the commitments and reports it touches."""
    value = ProxyValue(
        team_id=measure.team_id,
        measure_id=measure.id,
        pence=pence,
        source=source,
        applies_from=applies_from,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(value)
    db.session.flush()
    current = current_proxy(measure.id, utcnow().date())
    measure.proxy_pence = current.pence if current else None
    ids = db.session.execute(sa.select(Commitment.id).where(Commitment.measure_id == measure.id)).scalars().all()
    if ids:
        refresh_sums(ids)
    return value


def current_proxy(measure_id: int, day: date) -> ProxyValue | None:
    return db.session.execute(
        sa.select(ProxyValue)
        .where(ProxyValue.measure_id == measure_id, ProxyValue.applies_from <= day)
        .order_by(ProxyValue.applies_from.desc(), ProxyValue.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def proxy_history(measure_id: int) -> list[ProxyValue]:
    return list(
        db.session.execute(
            sa.select(ProxyValue)
            .where(ProxyValue.measure_id == measure_id)
            .order_by(ProxyValue.applies_from.desc(), ProxyValue.id.desc())
        ).scalars()
    )


def proxies_used(team_id: int) -> list[tuple[Measure, ProxyValue]]:
    """The proxy values behind the team's figures (commitments and reports of contracts not archived)."""
    c, r = Commitment, DeliveryReport
    live = (
        sa.select(c.id)
        .join(Contract, Contract.id == c.contract_id)
        .where(c.team_id == team_id, Contract.archived_at.is_(None))
    )
    ids = set(db.session.execute(sa.select(c.proxy_id).where(c.id.in_(live), c.proxy_id.is_not(None))).scalars())
    ids |= set(
        db.session.execute(sa.select(r.proxy_id).where(r.commitment_id.in_(live), r.proxy_id.is_not(None))).scalars()
    )
    rows = db.session.execute(
        sa.select(Measure, ProxyValue)
        .join(ProxyValue, ProxyValue.measure_id == Measure.id)
        .where(ProxyValue.id.in_(ids))
        .order_by(Measure.position, Measure.id, ProxyValue.applies_from)
    ).all()
    return [(m, v) for m, v in rows]


# Statuses


def status_reports(commitment: Commitment) -> list[StatusReport]:
    return [StatusReport(r.quantity, r.verification, r.period_end) for r in commitment.reports]


def assessment(commitment: Commitment, today: date) -> Assessment:
    return assess(commitment.target, commitment.starts, commitment.due_date, today, status_reports(commitment))


def next_ref(contract: Contract) -> str:
    taken = {c.ref for c in contract.commitments}
    n = len(taken) + 1
    while f"{contract.reference}-{n}"[:32] in taken:
        n += 1
    return f"{contract.reference}-{n}"[:32]


# Supplier links


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(contract: Contract, user, days: int = LINK_DAYS) -> tuple[SupplierLink, str]:
    token = secrets.token_urlsafe(32)
    link = SupplierLink(
        team_id=contract.team_id,
        contract_id=contract.id,
        token_hash=hash_token(token),
        created_by_id=getattr(user, "id", None),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(link)
    return link, token


@dataclass(frozen=True)
class LinkCheck:
    link: SupplierLink | None
    problem: str | None  # None, "unknown", "wrong_contract", "revoked", "expired"


def check_link(team_id: int, contract_id: int, token: str, now: datetime | None = None) -> LinkCheck:
    if not token or len(token) > 100:
        return LinkCheck(None, "unknown")
    link = db.session.execute(
        db.select(SupplierLink).where(SupplierLink.token_hash == hash_token(token), SupplierLink.team_id == team_id)
    ).scalar_one_or_none()
    if link is None:
        return LinkCheck(None, "unknown")
    if link.contract_id != contract_id:
        return LinkCheck(link, "wrong_contract")
    if link.revoked_at is not None:
        return LinkCheck(link, "revoked")
    contract = db.session.get(Contract, contract_id)
    if contract is None or contract.archived_at is not None:  # an archived contract takes no more reports
        return LinkCheck(link, "expired")
    if (now or utcnow()) >= link.expires_at:
        return LinkCheck(link, "expired")
    return LinkCheck(link, None)


@dataclass(frozen=True)
class Deletion:
    """What deleting a contract or commitment would take with it, and whether it is allowed."""

    commitments: int
    reports: int
    checked: int  # reports an officer has verified or disputed (they have decisions)
    evidence: int  # reports with an uploaded evidence document

    @property
    def allowed(self) -> bool:
        """Checked reports are the council's record: they are archived, never deleted."""
        return self.checked == 0


def deletion_of(commitments) -> Deletion:
    commitments = list(commitments)
    reports = [r for c in commitments for r in c.reports]
    return Deletion(
        commitments=len(commitments),
        reports=len(reports),
        checked=sum(1 for r in reports if r.verification != "pending" or r.decisions),
        evidence=sum(1 for r in reports if r.evidence_key),
    )


def add_report(
    commitment: Commitment,
    *,
    period_start: date,
    period_end: date,
    quantity,
    note: str,
    link: str,
    stored=None,
    source: str,
    reporter=None,
) -> DeliveryReport:
    report = DeliveryReport(
        team_id=commitment.team_id,
        commitment_id=commitment.id,
        period_start=period_start,
        period_end=period_end,
        quantity_milli=to_milli(quantity),
        note=note or "",
        link=link or "",
        source=source,
        reporter_id=getattr(reporter, "id", None),
        evidence_key=stored.key if stored else None,
        evidence_name=stored.name if stored else None,
        evidence_mime=stored.mime if stored else None,
    )
    db.session.add(report)
    db.session.flush()
    refresh_sums([commitment.id])
    return report


def long_lived_links(now: datetime | None = None) -> list[tuple[str, str, str]]:
    """For `coproduce check-deploy`: live supplier links that stay valid for more than LINK_WARN_DAYS."""
    now = now or utcnow()
    links = db.session.execute(
        db.select(SupplierLink).where(
            SupplierLink.revoked_at.is_(None), SupplierLink.expires_at > now + timedelta(days=LINK_WARN_DAYS)
        )
    ).scalars()
    longest = max(((link.expires_at - now).days for link in links), default=None)
    if longest is None:
        return []
    return [
        (
            "supplier links",
            f"a live supplier link stays valid for {longest} more days: anyone holding an old email can report "
            "for the supplier until then",
            f"Revoke the links no longer needed on each contract's page, and issue new ones for at most "
            f"{LINK_WARN_DAYS} days.",
        )
    ]
