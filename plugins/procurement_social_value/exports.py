"""Exports of published contracts: a CSV file (one row per commitment) and an OCDS 1.1 release package.

The CSV is the council's open data and the import file's format at once, so its column names and status codes
stay the same in every language (a script reading last year's file reads this year's). It starts with UTF-8's
byte-order mark, so Excel reads every letter, and its codebook (`codebook_rows`, offered beside it) says in the
reader's language what each column holds and what each status code means.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import sqlalchemy as sa
from babel import Locale
from sqlalchemy.orm import selectinload

from coproduce.plugins import CONTENT_LANGUAGES, Translatable, csv_cell, db

from .dashboard import fast_status
from .importer import IMPORT_COLUMNS
from .models import Commitment, Contract, Measure, Need, ProxyValue, Supplier, from_milli
from .money import format_pence_plain, format_quantity
from .ocds import CommitmentRecord, ContractRecord, Publisher, Supplier as OcdsSupplier, build_release_package
from .problems import N_
from .status import STATUS_RULES, DeliveryReport as StatusReport, Status
from .store import EARLIEST

BOM = "\ufeff"  # UTF-8's byte-order mark: Excel reads a CSV file as UTF-8 only when it starts with one
CSV_COLUMNS = (
    "contract_id",
    "contract_title",
    "supplier_name",
    "supplier_company_number",
    "contract_value_gbp",
    "contract_start",
    "contract_end",
    "area",
    "commitment_ref",
    "theme",
    "measure_code",
    "measure",
    "unit",
    "target_quantity",
    "due_date",
    "reported_quantity",
    "verified_quantity",
    "disputed_quantity",
    "status",
    "social_value_committed_gbp",
    "social_value_delivered_gbp",
    "social_value_verified_gbp",
    "proxy_value_gbp",
    "proxy_applies_from",
    "proxy_source",
    "local_need",
)
#: The team's words again in each language, exactly as written ("" where not yet written): the columns
#: above keep each record's own language, as the team first wrote it.
TRANSLATED_COLUMNS = ("contract_title", "measure", "unit", "local_need")
CSV_COLUMNS += tuple(f"{name}_{lang}" for name in TRANSLATED_COLUMNS for lang in CONTENT_LANGUAGES)


def in_each_language(text: str | None, translations: dict | None, own: str | None, field: str) -> tuple[str, ...]:
    """A translated field's text in each of CONTENT_LANGUAGES, from its columns as a query reads them."""
    own = own if own in CONTENT_LANGUAGES else Translatable.site_default()
    found = translations if isinstance(translations, dict) else {}
    return tuple(
        (text or "") if lang == own else str((found.get(lang) or {}).get(field) or "") for lang in CONTENT_LANGUAGES
    )


_ = N_  # marks the codebook's texts for the extractor; the view translates them
#: What each column the import file does not have holds (the import's own columns say it in IMPORT_COLUMNS).
EXPORT_ONLY_COLUMNS = {
    "area": _("The area or ward the contract serves, if the team gave one."),
    "theme": _("The theme of the commitment's measure in the team's framework, such as jobs and skills."),
    "measure": _("What the measure counts, in the team's framework."),
    "unit": _("The unit the quantities are counted in, such as people or hours."),
    "reported_quantity": _("How much the supplier says it has delivered: checked and not yet checked reports."),
    "verified_quantity": _("How much an officer has checked and confirmed."),
    "disputed_quantity": _("How much an officer has questioned: reported, but not counted until settled."),
    "status": _("Where the commitment stands on the day of the export (the values are below)."),
    "social_value_committed_gbp": _("The target's worth in pounds: the target times the proxy value."),
    "social_value_delivered_gbp": _("What the delivery reports, less any disputed, are worth in pounds."),
    "social_value_verified_gbp": _("What the checked deliveries are worth in pounds."),
    "proxy_value_gbp": _("The worth in pounds of one unit of the measure: empty when the measure has none."),
    "proxy_applies_from": _("The day that proxy value applies from: empty when it always has."),
    "proxy_source": _("Where the proxy value comes from."),
}
IN_A_LANGUAGE = _("%(holds)s In %(language)s; empty where the team has not written it in that language.")
del _
# Which of STATUS_RULES (in the order they are checked) gives each status.
RULE_OF = {
    Status.VERIFIED: 0,
    Status.DELIVERED: 1,
    Status.DISPUTED: 2,
    Status.OVERDUE: 3,
    Status.AT_RISK: 4,
    Status.ON_TRACK: 5,
}


def codebook_rows(translate, reader: str = "en") -> list[list[str]]:
    """The codebook of the CSV: (column, what it holds, value, what the value means), texts through `translate`
    and languages named in the reader's language."""
    holds = {name: translate(what) for name, _required, what in IMPORT_COLUMNS}
    holds |= {name: translate(what) for name, what in EXPORT_ONLY_COLUMNS.items()}
    shown_in = Locale.parse(reader)
    for name in TRANSLATED_COLUMNS:
        for lang in CONTENT_LANGUAGES:
            language = Locale.parse(lang).get_display_name(shown_in) or lang
            holds[f"{name}_{lang}"] = translate(IN_A_LANGUAGE) % {"holds": holds[name], "language": language}
    rows = [[column, holds[column], "", ""] for column in CSV_COLUMNS]
    where = CSV_COLUMNS.index("status") + 1
    rows[where:where] = [
        ["status", holds["status"], status.value, translate(STATUS_RULES[RULE_OF[status]])] for status in Status
    ]
    return rows


def published_contracts(team_id: int, only_published: bool = True):
    query = (
        db.select(Contract)
        .where(Contract.team_id == team_id, Contract.archived_at.is_(None))
        .options(
            selectinload(Contract.commitments).selectinload(Commitment.reports),
            selectinload(Contract.commitments).selectinload(Commitment.need),
        )
        .order_by(Contract.reference)
    )
    if only_published:
        query = query.where(Contract.published.is_(True))
    return db.session.execute(query).scalars().unique()


def export_row_count(team_id: int) -> int:
    """How many rows the team's full export has (a commitment a row, and a row for each contract without one)."""
    k, c = Contract, Commitment
    return db.session.execute(
        sa.select(sa.func.count())
        .select_from(k)
        .outerjoin(c, c.contract_id == k.id)
        .where(k.team_id == team_id, k.archived_at.is_(None))
    ).scalar_one()


def csv_rows(team_id: int, today: date, only_published: bool = True) -> list[tuple]:
    """Every commitment (and each contract without one) as CSV cells, from one SQL query."""
    k, c = Contract, Commitment
    query = (
        sa.select(
            k.reference,
            k.title,
            Supplier.name,
            Supplier.company_number,
            k.value_pence,
            k.start_date,
            k.end_date,
            k.area,
            c.ref,
            Measure.theme,
            Measure.code,
            Measure.title,
            Measure.unit,
            c.target_milli,
            sa.func.coalesce(c.start_date, k.start_date),
            c.due_date,
            c.verified_milli,
            c.pending_milli,
            c.disputed_milli,
            c.disputes,
            c.committed_pence,
            c.counted_pence,
            c.verified_pence,
            ProxyValue.pence,
            ProxyValue.applies_from,
            ProxyValue.source,
            Need.title,
            k.translations,
            k.content_language,
            Measure.translations,
            Measure.content_language,
            Need.translations,
            Need.content_language,
        )
        .join(Supplier, Supplier.id == k.supplier_id)
        .outerjoin(c, c.contract_id == k.id)
        .outerjoin(Measure, Measure.id == c.measure_id)
        .outerjoin(ProxyValue, ProxyValue.id == c.proxy_id)
        .outerjoin(Need, (Need.id == c.need_id) & (Need.state == "accepted"))  # only needs the team accepted
        .where(k.team_id == team_id, k.archived_at.is_(None))
        .order_by(k.reference, c.due_date, c.ref)
    )
    if only_published:
        query = query.where(k.published.is_(True))
    rows = []
    for (
        ref,
        title,
        supplier,
        number,
        value,
        start,
        end,
        area,
        cref,
        theme,
        code,
        measure,
        unit,
        target,
        c_start,
        due,
        verified,
        pending,
        disputed,
        disputes,
        committed_pence,
        counted_pence,
        verified_pence,
        proxy,
        proxy_from,
        proxy_source,
        need,
        k_translations,
        k_language,
        m_translations,
        m_language,
        n_translations,
        n_language,
    ) in db.session.execute(query):
        every_title = in_each_language(title, k_translations, k_language, "title")
        contract_cells = (
            ref,
            title,
            supplier,
            number,
            format_pence_plain(value),
            start.isoformat(),
            end.isoformat(),
            area,
        )
        if cref is None:
            empty = ("",) * (len(CSV_COLUMNS) - len(contract_cells) - 4 * len(CONTENT_LANGUAGES))
            rows.append(contract_cells + empty + every_title + ("",) * (3 * len(CONTENT_LANGUAGES)))
            continue
        status = fast_status(target, verified, pending, disputes > 0, c_start, due, today)
        rows.append(
            contract_cells
            + (
                cref,
                theme,
                code,
                measure,
                unit,
                format_quantity(from_milli(target)),
                due.isoformat(),
                format_quantity(from_milli(verified + pending)),
                format_quantity(from_milli(verified)),
                format_quantity(from_milli(disputed)),
                status.value,
                format_pence_plain(committed_pence) if proxy is not None else "",
                format_pence_plain(counted_pence) if proxy is not None else "",
                format_pence_plain(verified_pence) if proxy is not None else "",
                format_pence_plain(proxy) if proxy is not None else "",
                proxy_from.isoformat() if proxy is not None and proxy_from > EARLIEST else "",
                proxy_source if proxy is not None else "",
                need or "",
            )
            + every_title
            + in_each_language(measure, m_translations, m_language, "title")
            + in_each_language(unit, m_translations, m_language, "unit")
            + (in_each_language(need, n_translations, n_language, "title") if need else ("",) * len(CONTENT_LANGUAGES))
        )
    return rows


def csv_lines(rows: list[tuple]):
    """The CSV file one line at a time, cells made safe; needs no database, so it streams freely."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def line(values):
        writer.writerow([csv_cell(v) for v in values])
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    yield BOM + line(CSV_COLUMNS)
    for row in rows:
        yield line(row)


def written(record, field: str) -> dict[str, str]:
    """{language: text} of a translated field, for every language it is written in."""
    return {lang: text for lang in CONTENT_LANGUAGES if (text := record.text_in(field, lang))}


def ocds_package(team, published: datetime, package_uri: str, only_published: bool = True) -> dict | None:
    records = []
    for contract in published_contracts(team.id, only_published):
        supplier = contract.supplier
        records.append(
            ContractRecord(
                id=contract.reference,
                title=contract.title,
                language=contract.base_language(),
                titles=written(contract, "title"),
                supplier=OcdsSupplier(
                    supplier.name, "GB-COH" if supplier.company_number else None, supplier.company_number
                ),
                value_pence=contract.value_pence,
                start=contract.start_date,
                end=contract.end_date,
                commitments=tuple(
                    CommitmentRecord(
                        id=c.ref,
                        measure_code=c.measure.code,
                        measure_name=c.measure.text_in("title", "en") or c.measure.title,  # for our English sentences
                        measure_names=written(c.measure, "title"),
                        unit=c.measure.text_in("unit", "en") or c.measure.unit,
                        target=c.target,
                        due=c.due_date,
                        start=c.start_date,
                        reports=tuple(StatusReport(r.quantity, r.verification, r.period_end) for r in c.reports),
                        local_need=(c.public_need.text_in("title", "en") or c.public_need.title)
                        if c.public_need
                        else None,
                    )
                    for c in contract.commitments
                ),
            )
        )
    if not records:
        return None
    from .ocds import ocid_prefix

    return build_release_package(
        Publisher(name=team.name, uri=package_uri.rsplit("/", 1)[0] + "/"),
        records,
        prefix=ocid_prefix(team.slug),
        published=published,
        package_uri=package_uri,
    )


def count_published(team_id: int) -> int:
    return db.session.execute(
        sa.select(sa.func.count(Contract.id)).where(
            Contract.team_id == team_id, Contract.published.is_(True), Contract.archived_at.is_(None)
        )
    ).scalar_one()
