"""The team dashboard's figures, added up in SQL, in one statement.

Each commitment keeps the running sums of its delivery reports by
verification state (``store.refresh_sums`` recounts them in SQL whenever a
report is added or checked; ``commitment_sums`` below is the same count done
from scratch, and a test checks they agree). So the dashboard adds up
commitments, not every report: with 200,000 reports it reads 20,000 rows.

A materialised common table expression joins each commitment to its contract,
supplier and measure and works out its status (``status_case``: the rules of
``status.py`` as a SQL CASE on whole numbers). Its social values in pence are
kept on the commitment too (``store.refresh_sums``: each report valued at the
proxy in force for its period, rounded to the penny once per report). The
statement then groups those rows by status, theme, supplier, area, measure and
contract, and lists the first overdue and at-risk commitments, all as one
UNION ALL.

``fast_status`` is the same rules in Python on whole numbers, for exports;
tests check that all three agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from coproduce.plugins import LocalText, db

from .models import Commitment, Contract, DeliveryReport, Measure, Supplier
from .money import value_pence  # noqa: F401  (kept importable from here)
from .status import FINAL_STRETCH_DAYS, Status, decide, period_days


def fast_status(
    target: int, verified: int, pending: int, any_disputed: bool, start: date, due: date, today: date
) -> Status:
    """``status.assess(...).status`` on whole-number quantities (same scale for all)."""
    gone, total = period_days(start, due, today)
    return decide(target, verified, pending, int(any_disputed), gone, total, (due - today).days)


def _total(expression):
    """SUM as a whole number on every engine (PostgreSQL sums bigints as numeric)."""
    return sa.cast(sa.func.sum(expression), sa.BigInteger)


def commitment_sums(team_id: int):
    """Reports summed per commitment and state from scratch (to check the running sums)."""
    r = DeliveryReport
    return (
        sa.select(
            r.commitment_id.label("commitment_id"),
            _total(sa.case((r.verification == "verified", r.quantity_milli), else_=0)).label("verified"),
            _total(sa.case((r.verification == "pending", r.quantity_milli), else_=0)).label("pending"),
            _total(sa.case((r.verification == "disputed", r.quantity_milli), else_=0)).label("disputed"),
            _total(sa.case((r.verification == "disputed", 1), else_=0)).label("disputes"),
        )
        .where(r.team_id == team_id)
        .group_by(r.commitment_id)
        .subquery()
    )


@dataclass
class Totals:
    committed: int = 0  # social value in pence
    delivered: int = 0
    verified: int = 0
    commitments: int = 0


@dataclass
class MeasureTotals:
    code: str
    title: str  # a LocalText: the reader's language (see localise)
    unit: str
    committed: int = 0  # thousandths of a unit
    delivered: int = 0
    verified: int = 0


@dataclass(frozen=True)
class DueItem:
    id: int
    ref: str
    measure: str
    unit: str
    supplier: str
    due_date: date
    target_milli: int
    counted: int


@dataclass
class Dashboard:
    today: date
    totals: Totals = field(default_factory=Totals)
    statuses: Counter = field(default_factory=Counter)
    by_supplier: dict = field(default_factory=dict)
    by_theme: dict = field(default_factory=dict)
    by_area: dict = field(default_factory=dict)
    by_contract: dict = field(default_factory=dict)  # "reference: title" -> Totals (the largest only; see localise)
    by_measure: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)  # the first LIST_LIMIT by due date
    at_risk: list = field(default_factory=list)

    @staticmethod
    def ranked(groups: dict, limit: int | None = None) -> list:
        rows = sorted(groups.items(), key=lambda kv: (-kv[1].committed, str(kv[0])))
        return rows[:limit] if limit else rows


LIST_LIMIT = 50
TOP_CONTRACTS = 20


EPOCH = date(1970, 1, 1)


class day_number(sa.sql.functions.FunctionElement):
    """A date as whole days since 1 January 1970, on every engine."""

    type = sa.Integer()
    inherit_cache = True


@compiles(day_number)
def _day_number_default(element, compiler, **kw):
    return f"({compiler.process(list(element.clauses)[0], **kw)} - DATE '1970-01-01')"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    return f"CAST(julianday({compiler.process(list(element.clauses)[0], **kw)}) - 2440587.5 AS INTEGER)"


def status_case(target, verified, counted, disputes, start_day, due_day, today_day):
    """The status rules of status.py as one SQL CASE on whole numbers (see fast_status)."""
    days_left = due_day - today_day
    total = sa.case((due_day - start_day < 1, 1), else_=due_day - start_day)
    gone = sa.case((days_left <= 0, total), (today_day <= start_day, 0), else_=today_day - start_day)
    return sa.case(  # the state table of status.py, row by row
        (verified >= target, Status.VERIFIED.value),
        (counted >= target, Status.DELIVERED.value),
        ((disputes > 0) & (counted == 0), Status.DISPUTED.value),
        (days_left < 0, Status.OVERDUE.value),
        (
            (4 * (gone * target - counted * total) > target * total) | (days_left <= FINAL_STRETCH_DAYS),
            Status.AT_RISK.value,
        ),
        else_=Status.ON_TRACK.value,
    )


def per_commitment(team_id: int, today: date):
    """One row per commitment with its sums, status and social values, each step materialised once."""
    c, k = Commitment, Contract
    base = (
        sa.select(
            c.id,
            c.ref,
            c.due_date,
            c.target_milli,
            c.verified_milli.label("verified"),
            (c.verified_milli + c.pending_milli).label("counted"),
            c.disputes,
            k.reference.label("contract"),  # its title is added in the reader's language afterwards
            k.area,
            Supplier.name.label("supplier"),
            Measure.theme,
            Measure.code.label("measure_code"),
            c.committed_pence,
            c.counted_pence,
            c.verified_pence,
            day_number(c.due_date).label("due_day"),
            day_number(sa.func.coalesce(c.start_date, k.start_date)).label("start_day"),
        )
        .join(k, k.id == c.contract_id)
        .join(Supplier, Supplier.id == k.supplier_id)
        .join(Measure, Measure.id == c.measure_id)
        .where(c.team_id == team_id, k.archived_at.is_(None))
        .cte("commitment_base")
        .prefix_with("MATERIALIZED")
    )
    today_day = sa.literal((today - EPOCH).days, sa.Integer)
    b = base.c
    return (
        sa.select(
            b.id,
            b.ref,
            b.due_date,
            b.target_milli,
            b.verified,
            b.counted,
            b.contract,
            b.area,
            b.supplier,
            b.theme,
            b.measure_code,
            (b.due_day - today_day).label("days_left"),
            status_case(b.target_milli, b.verified, b.counted, b.disputes, b.start_day, b.due_day, today_day).label(
                "status"
            ),
            b.committed_pence.label("v_committed"),
            b.counted_pence.label("v_delivered"),
            b.verified_pence.label("v_verified"),
        )
        .cte("per_commitment")
        .prefix_with("MATERIALIZED")
    )


def dashboard_query(team_id: int, today: date):
    """Every figure of the dashboard in one statement: group totals, status counts and the due lists."""
    p = per_commitment(team_id, today)
    text = sa.String()

    def group(dim: str, key, extra=None, where=None, limit=None):
        query = (
            sa.select(
                sa.literal(dim, text).label("dim"),
                sa.cast(key, text).label("key"),
                sa.cast(extra if extra is not None else sa.literal(""), text).label("extra"),
                sa.func.count().label("n"),
                sa.func.sum(p.c.v_committed).label("a"),
                sa.func.sum(p.c.v_delivered).label("b"),
                sa.func.sum(p.c.v_verified).label("c"),
                sa.func.sum(p.c.target_milli).label("d"),
                sa.func.sum(p.c.counted).label("e"),
                sa.func.sum(p.c.verified).label("f"),
            )
            .select_from(p)
            .group_by(key)
        )
        if limit:
            ranked = query.add_columns(
                sa.func.row_number().over(order_by=(sa.func.sum(p.c.v_committed).desc(), key)).label("rank")
            ).subquery()
            return sa.select(
                *[ranked.c[name] for name in ("dim", "key", "extra", "n", "a", "b", "c", "d", "e", "f")]
            ).where(ranked.c.rank <= limit)
        return query

    def due():
        ranked = (
            sa.select(
                p.c.status.label("dim"),
                sa.cast(p.c.ref, text).label("key"),
                sa.cast(p.c.measure_code + "|" + p.c.supplier, text).label("extra"),
                p.c.id.label("n"),
                p.c.days_left.label("a"),
                sa.literal(0).label("b"),
                sa.literal(0).label("c"),
                p.c.target_milli.label("d"),
                p.c.counted.label("e"),
                sa.literal(0).label("f"),
                sa.func.row_number().over(partition_by=p.c.status, order_by=(p.c.due_date, p.c.id)).label("rank"),
            )
            .where(p.c.status.in_((Status.OVERDUE.value, Status.AT_RISK.value)))
            .subquery()
        )
        return sa.select(
            *[ranked.c[name] for name in ("dim", "key", "extra", "n", "a", "b", "c", "d", "e", "f")]
        ).where(ranked.c.rank <= LIST_LIMIT)

    return sa.union_all(
        group("status", p.c.status),
        group("theme", p.c.theme),
        group("supplier", p.c.supplier),
        group("area", p.c.area),
        group("measure", p.c.measure_code),
        group("contract", p.c.contract, limit=TOP_CONTRACTS),
        due(),
    )


def contract_label(contract: Contract | None, reference: str) -> str:
    """ "reference: title", the title in the reader's language (a LocalText, so the page can mark its language)."""
    if contract is None:
        return reference
    title = contract.localised("title")
    return LocalText(f"{reference}: {title}", title.lang, title.wanted) if title else reference


def build_dashboard(team_id: int, today: date) -> Dashboard:
    """The figures from one statement; then the team's words in the reader's language.

    The statement groups by codes and references, never by words a team wrote: each label is the
    measure's or contract's text in the reader's language, from the team's measures (read once) and
    the listed contracts (one more query, whatever their number)."""
    board = Dashboard(today=today)
    measures = {m.code: m for m in db.session.execute(sa.select(Measure).where(Measure.team_id == team_id)).scalars()}
    for dim, key, extra, n, a, b, c, d, e, f in db.session.execute(dashboard_query(team_id, today)):
        if dim in ("overdue", "at_risk"):
            code, _, supplier = (extra or "").partition("|")
            m = measures.get(code)
            getattr(board, dim).append(
                DueItem(
                    id=n,
                    ref=key,
                    measure=m.localised("title") if m else code,
                    unit=m.localised("unit") if m else "",
                    supplier=supplier,
                    due_date=today + timedelta(days=int(a)),
                    target_milli=int(d),
                    counted=int(e),
                )
            )
            continue
        totals = Totals(committed=int(a or 0), delivered=int(b or 0), verified=int(c or 0), commitments=int(n))
        if dim == "status":
            board.statuses[Status(key)] = int(n)
            for name in ("committed", "delivered", "verified", "commitments"):
                setattr(board.totals, name, getattr(board.totals, name) + getattr(totals, name))
        elif dim == "measure":
            m = measures.get(key)
            board.by_measure[key] = MeasureTotals(
                key,
                m.localised("title") if m else key,
                m.localised("unit") if m else "",
                int(d or 0),
                int(e or 0),
                int(f or 0),
            )
        else:
            getattr(board, f"by_{dim}")[key or ""] = totals
    if board.by_contract:
        references = list(board.by_contract)
        contracts = {
            k.reference: k
            for k in db.session.execute(
                sa.select(Contract).where(Contract.team_id == team_id, Contract.reference.in_(references))
            ).scalars()
        }
        board.by_contract = {contract_label(contracts.get(ref), ref): t for ref, t in board.by_contract.items()}
    board.overdue.sort(key=lambda r: (r.due_date, r.id))
    board.at_risk.sort(key=lambda r: (r.due_date, r.id))
    return board
