"""Pressing "Send" several times at once (a double click, a retry on a slow line) records one response."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from coproduce.plugins import db
from coproduce.testing.browser import LiveServer
from coproduce_plugins.consultation_vs_coproduction.models import Response, ResponseScore, Tally
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment
from coproduce_plugins.consultation_vs_coproduction.tests.test_journey import Q, start


def test_the_same_answers_sent_ten_times_at_once_are_recorded_once(make_app, people):
    app = make_app(SERVER_NAME=None)
    enable(app)
    make_assessment(app)
    client = app.test_client()
    base = start(client)
    for number, dimension in enumerate(Q.dimensions, 1):
        data = {
            q.id: dimension.questions[0].options[0].id if q is dimension.questions[0] else q.options[-1].id
            for q in dimension.questions
        }
        assert client.post(f"{base}/{number}", data=data).status_code == 302

    with LiveServer(app) as server, ThreadPoolExecutor(10) as pool:
        sent = list(pool.map(lambda _: httpx.post(f"{server.url}{base}/check", timeout=30), range(10)))

    assert [r.status_code for r in sent] == [302] * 10
    assert {r.headers["Location"].rsplit("/", 1)[-1] for r in sent} == {"result"}
    with app.app_context():
        assert db.session.query(Response).count() == 1
        assert db.session.query(ResponseScore).count() == len(Q.dimensions)
        assert db.session.execute(db.select(db.func.sum(Tally.n))).scalar_one() == 1
    assert BASE in base
