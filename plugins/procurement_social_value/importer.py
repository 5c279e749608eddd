"""Import contracts and their social-value commitments from a CSV file.

All or nothing: every row is parsed and checked first, and the report carries
the parsed contracts only when no row has a problem. The caller writes to the
database only when ``report.ok`` is true. Nothing here touches Flask or a
database.

One row per commitment. The contract's details are repeated on each of its
rows and must agree. A row with the contract's details but no measure_code,
target_quantity or due_date lists a contract with no commitments yet. Row
numbers are spreadsheet rows (the header is row 1). Columns we do not know are
ignored and listed in the report. See ``IMPORT_COLUMNS`` for each column.

Every problem is a message id with its values (see problems.py): the import
page translates it into the reader's language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .checks import quantity_problem
from .framework import CODE_PATTERN, Framework, RowError, check_text, decode_csv, read_rows
from .money import parse_pence, parse_quantity
from .problems import N_, Problem, ProblemError, shown

_ = N_  # the translation extractor looks for _("..."); the import page translates

#: (column, required, what goes in it): the import page lists these, translated.
IMPORT_COLUMNS = (
    (
        "contract_id",
        True,
        _(
            "Your reference for the contract, such as C-2025-014 "
            "(letters, digits, “.”, “-” or “_”, up to 32 characters)."
        ),
    ),
    ("contract_title", True, _("What the contract is for, in a few words.")),
    ("supplier_name", True, _("The supplier's name as it appears on the contract.")),
    ("supplier_company_number", False, _("The supplier's Companies House number, such as 01234567 or SC123456.")),
    ("contract_value_gbp", True, _("The contract's value in pounds, such as 250000 or £1,250,000.50.")),
    ("contract_start", True, _("The day the contract starts: YYYY-MM-DD or DD/MM/YYYY.")),
    ("contract_end", True, _("The day the contract ends: YYYY-MM-DD or DD/MM/YYYY.")),
    (
        "commitment_ref",
        False,
        _(
            "Your reference for the commitment, unique within the "
            "contract. Left empty, one is made from the contract_id and the row's place."
        ),
    ),
    ("measure_code", True, _("The code of a measure in the team's framework, such as JS1.1.")),
    ("target_quantity", True, _("How much the supplier promised, in the measure's unit.")),
    ("due_date", True, _("When it is due: YYYY-MM-DD or DD/MM/YYYY. Not before contract_start.")),
    ("local_need", False, _("The local need this answers, in the words of the people who named it.")),
)
COLUMNS = tuple(name for name, _required, _what in IMPORT_COLUMNS)
CONTRACT_COLUMNS = COLUMNS[:7]
COMMITMENT_COLUMNS = ("measure_code", "target_quantity", "due_date")
REQUIRED = tuple(name for name, required, _what in IMPORT_COLUMNS if required)
MAX_ROWS = 5000
COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")


@dataclass(frozen=True)
class ImportedCommitment:
    row: int
    ref: str
    measure_code: str
    target: Decimal
    due: date
    local_need: str | None = None


@dataclass(frozen=True)
class ImportedContract:
    row: int  # the first row that named the contract
    contract_id: str
    title: str
    supplier_name: str
    supplier_company_number: str | None
    value_pence: int
    start: date
    end: date
    commitments: tuple[ImportedCommitment, ...] = ()


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)  # each one translated by the page
    contracts: list[ImportedContract] = field(default_factory=list)  # empty if any error
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(text: str, column: str = "value") -> date:
    """A date as YYYY-MM-DD or DD/MM/YYYY (the UK order); ProblemError (a ValueError) otherwise."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    raise ProblemError(
        _("%(column)s “%(value)s” is not a date: use YYYY-MM-DD or DD/MM/YYYY"), column=column, value=shown(text)
    )


def template_csv() -> str:
    """An empty import file with just the header row, for teams to fill in."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    return out.getvalue()


def _empty(column: str) -> Problem:
    return Problem(_("%(column)s is empty"), {"column": column})


def _bad_reference(column: str, value: str) -> Problem:
    return Problem(
        _("%(column)s “%(value)s” is not a valid reference: use letters, digits, “.”, “-” or “_”, up to 32 characters"),
        {"column": column, "value": shown(value)},
    )


def _contract_fields(cells: dict, problems: list[Problem]) -> dict:
    """Parse and check a row's contract columns, adding any problems found."""
    parsed = {"contract_id": cells["contract_id"]}
    if not parsed["contract_id"]:
        problems.append(_empty("contract_id"))
    elif not CODE_PATTERN.match(parsed["contract_id"]):
        problems.append(_bad_reference("contract_id", parsed["contract_id"]))
    for column in ("contract_title", "supplier_name"):
        value = " ".join(cells[column].split())
        problem = check_text(value, column)
        if not problem and column == "supplier_name" and not any(ch.isalnum() for ch in value):
            problem = Problem(_("supplier_name “%(value)s” has no letters or digits"), {"value": shown(value)})
        if problem:
            problems.append(problem)
        parsed[column] = value
    number = cells.get("supplier_company_number", "").replace(" ", "").upper() or None
    if number and not COMPANY_NUMBER.match(number):
        problems.append(
            Problem(
                _(
                    "supplier_company_number “%(value)s” is not a Companies House number: "
                    "use 8 digits, or 2 letters and 6 digits"
                ),
                {"value": shown(number)},
            )
        )
    parsed["supplier_company_number"] = number
    try:
        parsed["contract_value_gbp"] = parse_pence(cells["contract_value_gbp"], "contract_value_gbp")
    except ProblemError as exc:
        problems.append(exc.problem)
    for column in ("contract_start", "contract_end"):
        try:
            parsed[column] = parse_date(cells[column], column) if cells[column] else None
            if parsed[column] is None:
                problems.append(_empty(column))
        except ProblemError as exc:
            problems.append(exc.problem)
    start, end = parsed.get("contract_start"), parsed.get("contract_end")
    if start and end and end < start:
        problems.append(Problem(_("contract_end is before contract_start")))
    return parsed


def _commitment_fields(cells: dict, framework: Framework, start: date | None, problems: list[Problem]) -> dict:
    parsed = {}
    code = cells["measure_code"]
    if not code:
        problems.append(_empty("measure_code"))
    elif framework.measure(code) is None:
        near = [m.code for m in framework.measures if m.code.lower() == code.lower()]
        problems.append(
            Problem(
                _("measure_code “%(value)s” is not in the framework: did you mean “%(near)s”?"),
                {"value": shown(code), "near": near[0]},
            )
            if near
            else Problem(_("measure_code “%(value)s” is not in the framework"), {"value": shown(code)})
        )
    parsed["measure_code"] = code
    try:
        parsed["target"] = parse_quantity(cells["target_quantity"], "target_quantity")
        if parsed["target"] == 0:
            problems.append(Problem(_("target_quantity must be more than zero")))
        measure = framework.measure(code) if code else None
        if measure is not None and (too_large := quantity_problem(parsed["target"], measure.proxy_pence, measure.unit)):
            problems.append(too_large)
    except ProblemError as exc:
        problems.append(exc.problem)
    try:
        if not cells["due_date"]:
            problems.append(_empty("due_date"))
        else:
            parsed["due"] = parse_date(cells["due_date"], "due_date")
            if start and parsed["due"] < start:
                problems.append(Problem(_("due_date is before contract_start")))
    except ProblemError as exc:
        problems.append(exc.problem)
    ref = cells.get("commitment_ref", "")
    if ref and not CODE_PATTERN.match(ref):
        problems.append(_bad_reference("commitment_ref", ref))
    parsed["ref"] = ref
    need = " ".join(cells.get("local_need", "").split())
    if problem := check_text(need, "local_need", required=False):
        problems.append(problem)
    parsed["local_need"] = need or None
    return parsed


def import_commitments_csv(
    source: str | bytes,
    framework: Framework,
    *,
    existing_contract_ids: Collection[str] = (),
) -> ImportReport:
    """Check a whole import file. See the module docstring for the rules."""
    report = ImportReport()
    try:
        text = decode_csv(source)
    except ProblemError as exc:
        report.errors.append(RowError.of(1, exc.problem))
        return report
    header = next(csv.reader(io.StringIO(text)), [])
    report.ignored_columns = [h.strip() for h in header if h.strip() and h.strip().lower() not in COLUMNS]
    rows, report.errors = read_rows(text, COLUMNS, REQUIRED)
    report.rows_read = len(rows)
    if len(rows) > MAX_ROWS:
        report.errors.append(RowError(1, _("The file has more than %(most)d rows"), {"most": MAX_ROWS}))
        return report
    if not rows and not report.errors:
        report.errors.append(RowError(1, _("The file has no rows to import")))
    contracts: dict[str, dict] = {}
    suppliers: dict[str, tuple[str, int]] = {}
    for number, cells in rows:
        problems: list[Problem] = []
        parsed = _contract_fields(cells, problems)
        cid = parsed["contract_id"]
        if cid in existing_contract_ids:
            problems.append(Problem(_("contract_id “%(value)s” already exists"), {"value": shown(cid)}))
        first = contracts.get(cid)
        if first and not problems:
            for column in CONTRACT_COLUMNS[1:]:
                if first["fields"][column] != parsed[column]:
                    problems.append(
                        Problem(
                            _("%(column)s differs from row %(other_row)d for contract “%(contract)s”"),
                            {"column": column, "other_row": first["row"], "contract": shown(cid)},
                        )
                    )
        company = parsed["supplier_company_number"]
        if company and not problems:
            seen = suppliers.setdefault(company, (parsed["supplier_name"], number))
            if seen[0] != parsed["supplier_name"]:
                problems.append(
                    Problem(
                        _("supplier_company_number “%(value)s” is named “%(name)s” on row %(other_row)d"),
                        {"value": shown(company), "name": shown(seen[0]), "other_row": seen[1]},
                    )
                )
        commitment = None
        if any(cells[c] for c in COMMITMENT_COLUMNS) or cells.get("commitment_ref"):
            commitment = _commitment_fields(cells, framework, parsed.get("contract_start"), problems)
        if problems:
            report.errors.extend(RowError.of(number, p) for p in problems)
            continue
        entry = contracts.setdefault(cid, {"row": number, "fields": parsed, "items": []})
        if commitment:
            ref = commitment["ref"] or f"{cid}-{len(entry['items']) + 1}"
            if any(item.ref == ref for item in entry["items"]):
                report.errors.append(
                    RowError(
                        number,
                        _("commitment_ref “%(value)s” is used twice in contract “%(contract)s”"),
                        {"value": shown(ref), "contract": shown(cid)},
                    )
                )
                continue
            entry["items"].append(
                ImportedCommitment(
                    row=number,
                    ref=ref,
                    measure_code=commitment["measure_code"],
                    target=commitment["target"],
                    due=commitment["due"],
                    local_need=commitment["local_need"],
                )
            )
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report
    report.contracts = [
        ImportedContract(
            row=e["row"],
            contract_id=cid,
            title=e["fields"]["contract_title"],
            supplier_name=e["fields"]["supplier_name"],
            supplier_company_number=e["fields"]["supplier_company_number"],
            value_pence=e["fields"]["contract_value_gbp"],
            start=e["fields"]["contract_start"],
            end=e["fields"]["contract_end"],
            commitments=tuple(e["items"]),
        )
        for cid, e in contracts.items()
    ]
    return report
