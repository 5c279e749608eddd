"""A workshop: 30 residents on one Wi-Fi (one address) complete the readiness check within two minutes,
with the site's real rate limits on, and every one of them gets through."""

import re
import time

from coproduce.plugins import db
from coproduce_plugins.consultation_vs_coproduction.models import Response
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()
RESIDENTS = 30
ROOM_WIFI = {"REMOTE_ADDR": "192.0.2.50"}


def test_thirty_residents_on_one_wifi_all_get_through(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True)
    enable(app)
    make_assessment(app)
    residents = [app.test_client() for _ in range(RESIDENTS)]
    started = time.monotonic()
    # Everyone moves through the pages together, as a room does when the facilitator says "next page".
    bases = []
    for client in residents:
        response = client.post(
            f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"}, environ_base=ROOM_WIFI
        )
        assert response.status_code == 302, response.status_code
        bases.append(response.headers["Location"].rsplit("/", 1)[0])
    for number, dimension in enumerate(Q.dimensions, 1):
        data = {q.id: q.options[0].id for q in dimension.questions}
        for client, base in zip(residents, bases, strict=True):
            assert client.post(f"{base}/{number}", data=data, environ_base=ROOM_WIFI).status_code == 302
    for client, base in zip(residents, bases, strict=True):
        last = len(Q.dimensions) + 1
        assert client.post(f"{base}/{last}", data={"comment": ""}, environ_base=ROOM_WIFI).status_code == 302
        assert client.post(f"{base}/check", environ_base=ROOM_WIFI).status_code == 302
    assert time.monotonic() - started < 120
    with app.app_context():
        assert db.session.query(Response).count() == RESIDENTS


def test_a_refused_page_keeps_the_answers_and_says_how_long_to_wait(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True)
    enable(app)
    make_assessment(app)
    client = app.test_client()
    response = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    base = response.headers["Location"].rsplit("/", 1)[0]
    dimension = Q.dimensions[0]
    data = {q.id: q.options[-1].id for q in dimension.questions}
    statuses = [client.post(f"{base}/1?back=check", data=data).status_code for _ in range(31)]
    assert statuses[:30] == [302] * 30 and statuses[30] == 429
    refused = client.post(f"{base}/1", data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Your answers are kept" in page and re.search(r"Wait \d+ seconds?, then send the form again", page)
    assert "too many times" not in page
    for q in dimension.questions:  # every answer is still chosen on the page
        chosen = rf'<input[^>]*name="{q.id}"[^>]*value="{q.options[-1].id}"[^>]*checked'
        assert re.search(chosen, page), q.id
