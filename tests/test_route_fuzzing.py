"""Every route of the app's own url_map, fuzzed: methods, path parameters (huge numbers, NUL, other
scripts, ../), query strings, headers and bodies (form fields, JSON of the wrong shape or nested deep,
files), signed out and signed in as a team member. No answer is a server error, on SQLite or PostgreSQL
(set COPRODUCE_TEST_DATABASE_URL).

The test apps run with TESTING on, so an exception in a view is raised here rather than turned into a 500
page: Hypothesis then shows the smallest request that raised it. FUZZ_EXAMPLES sets the examples per
route and person (default 3, which keeps a run near a minute on a small machine).
"""

from __future__ import annotations

import io
import json
import os
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from coproduce.testing.fixtures import BUNDLED_PLUGINS, get_team, sign_in
from coproduce.testing.hostile import PAYLOADS
from tests.test_authorisation import MATRIX, plugin_matrices

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=False
)
#: Every status a request may fairly get; a 5xx is the failure this test looks for.
NOT_A_SERVER_ERROR = range(100, 500)

HUGE_NUMBERS = ["0", "-1", "2147483648", "9223372036854775808", "9" * 30, "9" * 5000, "1e9", "٤٢", "１２"]
SEGMENTS = ["\x00", "a\x00b", "..", "../../etc/passwd", "%00", "%2e%2e", "é" * 300, "‮x", "x" * 3000, " ", "%"]
QUERY_NAMES = ["page", "next", "q", "lang", "status", "skill", "number", "template", "edit", "easy", "share", "back"]
hostile_text = st.one_of(st.sampled_from(PAYLOADS + HUGE_NUMBERS + SEGMENTS), st.text(max_size=40))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(hostile_text, children, max_size=3)),
    max_leaves=8,
)
json_bodies = st.one_of(
    json_values.map(json.dumps),
    st.dictionaries(st.sampled_from(["title", "email", "name", "file", "figure", "csrf_token"]), json_values).map(
        json.dumps
    ),
    st.sampled_from(["[" * 40 + "]" * 40, '{"a":' * 5000 + "1" + "}" * 5000, "[" * 100_000, "{broken", '"\u0000"']),
)
files = st.builds(
    lambda data, name: (io.BytesIO(data), name),
    st.one_of(st.binary(max_size=300), st.sampled_from([b"%PDF-1.4\n%%EOF", b"PK\x03\x04" + b"\0" * 30])),
    st.sampled_from(["x.csv", "x.pdf", "pack.zip", "a\x00b.png", "../x.png", ""]),
)


def _path_parts(rule):
    """(converter kind, name) for each <...> of the rule, in order."""
    return [(type(conv).__name__, name) for name, conv in rule._converters.items()]


def path_values(rule, real: dict):
    """A value for each path parameter: the real one (so the request reaches the view) or a hostile one."""
    parts = {}
    for kind, name in _path_parts(rule):
        choices = [st.just(str(real[name]))] if name in real else []
        if "Int" in kind:
            choices += [st.sampled_from(HUGE_NUMBERS), st.integers(min_value=0, max_value=2**40).map(str)]
        else:
            choices += [st.sampled_from(SEGMENTS), hostile_text.filter(bool)]
        parts[name] = st.one_of(*choices)
    return st.fixed_dictionaries(parts)


def build_path(rule, values: dict) -> str:
    def fill(match):
        name = match.group(1).split(":")[-1].split("(")[0]
        return quote(values[name], safe="/" if match.group(1).startswith("path") else "")

    return re.sub(r"<([^>]+)>", fill, rule.rule)


requests_for = st.fixed_dictionaries(
    {
        "query": st.lists(st.tuples(st.sampled_from(QUERY_NAMES), hostile_text), max_size=3),
        "headers": st.dictionaries(
            st.sampled_from(["Accept-Language", "X-Request-Id", "Referer", "X-Forwarded-For", "If-None-Match"]),
            hostile_text.filter(lambda v: "\n" not in v and "\r" not in v),
            max_size=2,
        ),
        "body": st.one_of(
            st.none(),
            st.lists(
                st.tuples(st.sampled_from(["title", "email", "name", "csrf_token", "x"]), hostile_text), max_size=4
            ),
            json_bodies.map(lambda v: ("json", v)),
            files.map(lambda f: ("file", f)),
        ),
    }
)


@pytest.fixture
def fuzz_setup(app, people):
    with app.app_context():
        team = get_team("youth")
        for dotted in BUNDLED_PLUGINS:
            app.extensions["plugins"].set_enabled(team, dotted.rsplit(".", 1)[1], True)
    values = {}
    for module in plugin_matrices():
        if hasattr(module, "seed"):
            with app.app_context():
                values.update(module.seed(app, people) or {})
    member = app.test_client()
    sign_in(member, "member@example.org")
    return {"anonymous": app.test_client(), "member": member}, values


def _real_values(app, rule, values) -> dict:
    """The path parameters of the route's URL in the authorisation matrix (seeded ids, real codes)."""
    known = MATRIX.get(rule.endpoint)
    if not known:
        return {}
    try:
        url = known[1].format(**values)
        _, found = app.url_map.bind("coproduce.test").match(url.split("?")[0], method=known[0])
    except Exception:  # noqa: BLE001 - an example URL that does not match: fuzz without real values
        return {}
    return {name: value for name, value in found.items()}


def _send(client, method, path, request):
    query = urlencode(request["query"])
    url = f"{path}?{query}" if query else path
    body = request["body"]
    kwargs = {"headers": request["headers"]}
    if body is None:
        pass
    elif isinstance(body, tuple) and body[0] == "json":
        kwargs.update(data=body[1], content_type="application/json")
    elif isinstance(body, tuple) and body[0] == "file":
        stream, name = body[1]
        stream.seek(0)
        kwargs.update(data={"file": (stream, name), "title": "x"}, content_type="multipart/form-data")
    else:
        kwargs.update(data=MultiDict(body))
    response = client.open(url, method=method, **kwargs)
    response.get_data()  # read streamed downloads to the end
    return response


def test_no_route_answers_a_server_error(app, fuzz_setup):
    clients, values = fuzz_setup
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    assert len(rules) > 100
    for rule in rules:
        real = _real_values(app, rule, values)
        methods = sorted(rule.methods - {"OPTIONS", "HEAD"}) + ["PUT", "DELETE"]
        for who, client in clients.items():
            if rule.endpoint == "auth.sign_out" and who == "member":
                continue  # it would sign the member out for the routes after it

            @FUZZ_SETTINGS
            @given(method=st.sampled_from(methods), params=path_values(rule, real), request=requests_for)
            def fuzz(method, params, request):
                path = build_path(rule, params)
                response = _send(client, method, path, request)
                assert response.status_code in NOT_A_SERVER_ERROR, f"{who} {method} {path}: {response.status_code}"

            fuzz()
