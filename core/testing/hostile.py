"""Hostile form data, shared by the hostile-input tests of core (tests/test_hostile_input.py) and of
the bundled plugins (plugins/<name>/tests/test_hostile_input.py).

The strategies give adversarial text (long strings, control characters and NUL bytes, mixed scripts with
right-to-left text and combining marks, HTML and <script> payloads, SQL fragments, huge numbers, dates out
of range), wrong types (a file where text is expected, text where a file is), and missing, repeated and
unexpected fields. The checks say what every answer to such a post must look like.

Hypothesis and function-scoped fixtures: a test builds its app, database and clients once through the
usual fixtures, then runs an inner @given function (see run_hostile_posts), so every example posts to the
same database and compares the tables before and after its own request.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from coproduce.extensions import db

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
#: Strings that must never reach a page as markup: the payloads above, unescaped.
RAW_MARKERS = (SCRIPT, "<img src=x onerror=alert(1)>")

PAYLOADS = [
    SCRIPT,
    IMG,
    '\'; DROP TABLE "user"; --',
    "' OR '1'='1",
    "1; SELECT pg_sleep(0) --",
    "{{ 7*7 }}",
    "%(name)s",
    "\x00\x01\x1b[31m",
    "a\x00b",
    "‮gnp.exe",
    "Ḽơᶉëᶆ ȋṕšᶙṁ 汉字 اردو",
    "שלום עולם مرحبا",
    "Z̴̡̪͎̈́a̷l̸̢͝g̵o̶͚",
    "e\u0301" * 50,
    "\u200b\u200e\u2066x\u2069",
    "\ufeff",
    "🏳️‍🌈" * 10,
    "a" * 5000,
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "1_000",
    "٤٢",
    "１２",
    "2026-02-30",
    "31 2 2026",
    "0000",
    "10000",
    '=HYPERLINK("http://evil")',
    "javascript:alert(1)",
    "https://example.org/\x00",
    "http://a\x00b.org",
    "../../etc/passwd",
    "",
    " ",
]
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
)
text = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300), numbers)
#: One part of a GOV.UK date (day, month or year): mostly numbers at and beyond the edges.
date_part = st.one_of(
    st.sampled_from(["0", "1", "29", "31", "32", "12", "13", "1900", "0001", "9999", "10000"]),
    st.integers(min_value=-(10**6), max_value=10**20).map(str),
    text,
)


@dataclass(frozen=True)
class Upload:
    """A file in a multipart post; turned into a fresh stream for every request."""

    data: bytes
    name: str


uploads = st.builds(
    Upload,
    st.one_of(
        st.binary(max_size=2048),
        st.sampled_from(
            [b"%PDF-1.4\n%%EOF", b"PK\x03\x04" + b"\x00" * 40, f"a,b\n{SCRIPT},2\n".encode(), b"\x00" * 100]
        ),
    ),
    st.one_of(
        st.sampled_from(["x.csv", f"{SCRIPT}.csv", "../../x.pdf", "a\x00b.png", "", "é" * 300]), st.text(max_size=60)
    ),
)
#: Anything a hostile browser may send as one value.
value = st.one_of(text, text, text, uploads)
#: Numbers Python reads but a database or a validator may not: for the edges of number fields.
NUMBER_EDGES = [
    "٤٢",
    "１２",
    "1_000",
    "999999999999.999",
    "99999999999999999999.99",
    "sNaN",
    "-Infinity",
    "12.5e999999",
]
#: Added to the end of a valid value: what passes a form's checks may still break the database or a page.
EDGES = ["\x00", "\x01", "\u202e<script>", "_000", "9" * 20, ".999", "e999999", " ", "\n" + SCRIPT]
UNEXPECTED = ["unexpected", "csrf_token", "submit", "id", "team_id", "__proto__"]


def hostile_pairs(fields: list[str]):
    """Random (name, value) pairs for these field names: fields may repeat or be missing."""
    return st.lists(st.tuples(st.sampled_from(list(fields) + UNEXPECTED[:1]), text), max_size=8)


def csv_bytes(rows) -> bytes:
    """Rows as a CSV file (UTF-8), quoted as a spreadsheet would."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def csv_like(good: Upload):
    """The valid CSV's header row, then rows of hostile cells (some rows the valid ones, cell by cell)."""
    header, _, body = good.data.partition(b"\n")
    width = header.count(b",") + 1
    valid_rows = list(csv.reader(body.decode("utf-8").splitlines()))

    def mutated(row):
        return st.tuples(*[st.one_of(st.just(c), st.just(c), text) for c in row]).map(list)

    row = st.one_of(st.sampled_from(valid_rows or [[]]).flatmap(mutated), st.lists(text, max_size=width + 3))
    return st.lists(row, min_size=1, max_size=4).map(lambda rows: Upload(header + b"\n" + csv_bytes(rows), good.name))


def mutations(valid: dict):
    """Posts made from a valid one: each field kept, dropped, replaced by hostile values (one or several,
    so also repeated and the wrong number of date parts) or by a file; plus unexpected fields."""

    def variants(name, good):
        goods = list(good) if isinstance(good, (list, tuple)) else [good]
        parts = date_part if len(goods) == 3 else value
        edged = st.sampled_from(EDGES).map(lambda e: [g + e if isinstance(g, str) else g for g in goods])
        choices = [
            st.just(goods),
            st.just(goods),
            st.just([]),
            st.lists(parts, min_size=1, max_size=4),
            uploads.map(lambda u: [u]),
            edged,
        ]
        if isinstance(good, Upload) and good.name.endswith(".csv"):
            choices.append(csv_like(good).map(lambda u: [u]))
        return st.one_of(*choices).map(lambda values: [(name, v) for v in values])

    per_field = [variants(name, good) for name, good in valid.items()]
    extra = st.lists(st.tuples(st.sampled_from(UNEXPECTED), value), max_size=3)
    every_field = st.tuples(st.tuples(*per_field), extra).map(lambda t: [p for group in t[0] for p in group] + t[1])
    # One field hostile and the rest valid, so that hostile values also reach the code that stores them.
    names = list(valid)
    kept = {
        name: [(name, v) for v in (good if isinstance(good, (list, tuple)) else [good])] for name, good in valid.items()
    }

    def one_field(index_and_pairs):
        index, pairs = index_and_pairs
        return [p for name in names for p in (pairs if name == names[index] else kept[name])]

    single = (
        st.integers(min_value=0, max_value=len(names) - 1)
        .flatmap(lambda i: st.tuples(st.just(i), variants(names[i], valid[names[i]])))
        .map(one_field)
    )
    return st.one_of(single, every_field)


def form_data(pairs) -> MultiDict:
    """The werkzeug test client's data for these pairs (files as fresh streams)."""
    return MultiDict([(k, (io.BytesIO(v.data), v.name) if isinstance(v, Upload) else v) for k, v in pairs])


def valid_data(valid: dict) -> MultiDict:
    return form_data(
        [(k, v) for k, good in valid.items() for v in (good if isinstance(good, (list, tuple)) else [good])]
    )


def table_names(prefix: str) -> list[str]:
    """Every table whose name starts with prefix (a plugin's tables), so new tables are counted too."""
    return sorted(name for name in db.metadata.tables if name.startswith(prefix))


def row_counts(tables) -> dict:
    return {t: db.session.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in tables}


def table_state(tables) -> dict:
    """Every row of these tables, in order: changed rows show up, not only new or deleted ones."""
    state = {}
    for t in tables:
        rows = db.session.execute(sa.text(f'SELECT * FROM "{t}" ORDER BY 1')).all()
        state[t] = [tuple(str(v) for v in row) for row in rows]
    db.session.rollback()
    return state


ALLOWED_STATUS = (200, 302, 400, 403, 404, 409, 410, 413, 429)


def check_answer(response, where: str) -> str:
    """Never a server error, and no payload rendered as markup. Returns the page's text."""
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    assert response.status_code in ALLOWED_STATUS, f"{where} answered {response.status_code}"
    body = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in body, f"{where} shows {marker!r} unescaped"
    return body


_SUMMARY_LINK = re.compile(r'<a href="#([^"]+)"')


def check_error_page(body: str, where: str) -> None:
    """A GOV.UK error summary whose every link goes to a field on the page, with a message beside it."""
    assert "govuk-error-summary" in body, f"{where}: no error summary"
    summary = body[body.index("govuk-error-summary") :]
    summary = summary[: summary.index("</ul>")] if "</ul>" in summary else summary
    targets = _SUMMARY_LINK.findall(summary)
    assert "govuk-error-message" in body, f"{where}: no error message beside the field: {_text_of(body)}"
    for target in targets:
        assert f'id="{target}"' in body, f"{where}: the error summary links to #{target}, which is not on the page"


def _text_of(body: str) -> str:
    """The page's main text, for failure messages."""
    main = body[body.find("<main") :] if "<main" in body else body
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))[:1500]


#: HOSTILE_EXAMPLES=200 in the environment for a longer search than the suite's quick one.
HOSTILE_SETTINGS = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


class Clients(dict):
    """Test clients by who is signed in (an email, or None for the public), signed in when first used."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def __missing__(self, who):
        from coproduce.testing.fixtures import sign_in

        client = self[who] = self.app.test_client()
        if who:
            sign_in(client, who)
        return client


@dataclass
class HostileForm:
    """One form of a plugin, as the hostile tests post to it.

    endpoint  the Flask endpoint (the coverage test checks every POST route of app.url_map has one)
    url       where to post, with {placeholders} filled from the test's seed
    who       the email of the person signed in, or None for the public
    valid     a post the form accepts and stores; its free text holds the payloads
    shown     pages that show what was stored, read at the end: a URL (read by the same person) or
              (who, URL)
    result_page  a 200 without errors is the form's result, not the form shown again
    edges     {field: [values]} each posted with the rest of the valid data, always (besides the random ones)
    """

    endpoint: str
    url: str
    who: str | None
    valid: dict = field(default_factory=dict)
    shown: tuple = ()
    result_page: bool = False
    edges: dict = field(default_factory=dict)
    name: str = ""
    examples: int | None = None

    @property
    def id(self) -> str:
        return self.name or self.endpoint.split(".", 1)[1]


def _seeded(good, values: dict):
    """A "{placeholder}" value comes from the seed (an id, or an Upload made there)."""
    if isinstance(good, str) and re.fullmatch(r"\{\w+\}", good):
        found = values[good[1:-1]]
        return str(found) if isinstance(found, int) else found
    return good


def run_hostile_posts(app, clients: Clients, form: HostileForm, values: dict, tables: list[str]) -> None:
    """Post the valid data (it must be stored), then hostile variants of it; then read the pages that show
    the stored data. Every answer is checked with check_answer; a form shown again must be an error page
    and must have stored nothing."""
    client = clients[form.who]
    url = form.url.format(**values)
    valid = {name: _seeded(good, values) for name, good in form.valid.items()}
    shown = [(form.who, page) if isinstance(page, str) else page for page in form.shown]
    shown = [(who, page.format(**values)) for who, page in shown]

    def post(pairs, valid=False, json=None):
        with app.app_context():
            before = table_state(tables)
        response = client.post(url, json=json) if json is not None else client.post(url, data=form_data(pairs))
        body = check_answer(response, f"POST {url}")
        with app.app_context():
            after = table_state(tables)
        errors = "govuk-error-summary" in body
        if valid:
            assert not errors and response.status_code in (200, 302), (
                f"the valid post to {url} was refused: {response.status_code} {_text_of(body)}"
            )
            assert after != before, f"the valid post to {url} stored nothing"
        if response.status_code == 200 and (errors or not form.result_page):
            check_error_page(body, f"POST {url}")
            assert after == before, f"an invalid post to {url} stored something"
        if response.status_code == 302 and response.location:
            shown.append((form.who, response.location))

    post(list(valid_data(valid).items(multi=True)), valid=True)
    # PostgreSQL refuses NUL in text, SQLite stores it: every field, one at a time, with a NUL at the end
    # of its valid value (a random search seldom keeps all the other fields valid at the same time).
    for name, good in valid.items():
        if isinstance(good, str):
            post(list(valid_data({**valid, name: good + "\x00"}).items(multi=True)))
    # Wrong types: JSON numbers, lists, objects, null and booleans where text is expected, or no object at all.
    wrong = [12345, 1e308, [1, [2]], {"a": {"b": 1}}, None, True]
    post([], json={name: wrong[i % len(wrong)] for i, name in enumerate(valid)} or {"unexpected": 1})
    post([], json=[["title", SCRIPT]])
    for name, edges in form.edges.items():  # values known to have broken a field, one at a time
        for edge in edges:
            post(list(valid_data({**valid, name: edge}).items(multi=True)))

    @settings(HOSTILE_SETTINGS, max_examples=form.examples or HOSTILE_SETTINGS.max_examples)
    @given(pairs=mutations(valid) if valid else hostile_pairs([]))
    def hostile(pairs):
        post(pairs)

    hostile()
    for who, page in dict.fromkeys(shown):
        check_answer(clients[who].get(page), f"GET {page} after hostile posts to {url}")


def post_endpoints(app, blueprint: str) -> set[str]:
    """The endpoints of the blueprint's routes that take POST."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint.startswith(blueprint + ".")
    }


def check_coverage(app, blueprint: str, forms, excluded: dict[str, str]) -> None:
    """Every POST route of the blueprint has a hostile test, or an exclusion with its reason."""
    covered = {form.endpoint for form in forms}
    routes = post_endpoints(app, blueprint)
    missing = routes - covered - set(excluded)
    assert not missing, f"POST routes without a hostile-input test: {sorted(missing)}"
    assert all(reason.strip() for reason in excluded.values()), "every exclusion needs its reason"
    stale = (covered | set(excluded)) - routes
    assert not stale, f"hostile tests name routes that do not exist: {sorted(stale)}"


def signed_in_with_token(app, who: str | None):
    """A client of an app with CSRF protection on, signed in through the sign-in form and its token."""
    from coproduce.testing.fixtures import PASSWORD

    client = app.test_client()
    if who:
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        signed = client.post("/sign-in", data={"email": who, "password": PASSWORD, "csrf_token": token})
        assert signed.status_code == 302, f"sign-in as {who} failed"
    return client


def check_csrf_refusals(app, forms, values: dict, tables: list[str], examples: int = 3) -> None:
    """With CSRF protection on, as in production, every form refuses a post whose token is missing or
    forged, even with otherwise valid data, and stores nothing."""
    assert app.config["WTF_CSRF_ENABLED"]
    clients: dict = {}
    for form in forms:
        if form.who not in clients:
            clients[form.who] = signed_in_with_token(app, form.who)
        client, url = clients[form.who], form.url.format(**values)
        valid = {name: _seeded(good, values) for name, good in form.valid.items()}

        @settings(HOSTILE_SETTINGS, max_examples=examples)
        @given(pairs=mutations(valid) if valid else hostile_pairs([]), token=st.one_of(st.none(), text))
        def forged(pairs, token):
            pairs = [p for p in pairs if p[0] != "csrf_token"]
            pairs += [("csrf_token", token)] if token is not None else []
            with app.app_context():
                before = table_state(tables)
            response = client.post(url, data=form_data(pairs))
            check_answer(response, f"POST {url} without a valid token")
            assert response.status_code == 400, f"POST {url} without a valid token: {response.status_code}"
            with app.app_context():
                assert table_state(tables) == before, f"POST {url} without a valid token stored something"

        forged()
