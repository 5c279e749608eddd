"""Background jobs (coproduce.jobs): who sees them, what is kept, failures, runs lost with their worker,
retention, and the email that tells the person. Jobs run at once here (TASKS_IMMEDIATE); the tests with
a real worker process are in plugins/project_pack/tests/test_pack_jobs.py."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from flask import g

from coproduce.extensions import db
from coproduce.jobs import JobResult, add_job_kind, run_job, start_job, sweep
from coproduce.models import BackgroundJob, Team, User
from coproduce.models.types import utcnow
from coproduce.testing import apply_retention_rules, get_team, job_file, job_page, outbox, sign_in
from coproduce.uploads import read_upload

RAN: list[dict] = []


def _echo(job):
    RAN.append(job.params)
    body = job.data() if job.input_key else b"made for " + job.user.email.encode()
    return JobResult("Your file is ready.", file=body, file_name="echo.csv", mime="text/csv")


def _refuse(job):
    return JobResult(
        "Nothing was imported: 2 rows are wrong.",
        ok=False,
        detail='<table class="govuk-table"><tr><td>Row 3</td></tr></table><script>alert(1)</script>',
        link="/account",
        link_text="Try again",
    )


def _break(job):
    from coproduce.models import Team

    db.session.add(Team(slug="half-done", name="Half done"))
    db.session.flush()
    raise RuntimeError("the build broke")


def _jobs_app(make_app, **settings):
    app = make_app(**settings)
    for kind, run in (("test.echo", _echo), ("test.refuse", _refuse), ("test.break", _break)):
        add_job_kind(app, kind, run)
    app.add_url_rule("/t/<team>/start/<kind>", "start_test_job", _started, methods=["POST"])
    return app


def _started(kind):
    """Start a job as the signed-in person, from a team page, as a plugin's page does (a body: the job's file)."""
    from flask import redirect, request

    from coproduce.jobs import job_url

    job = start_job(kind, f"Echo for {g.team.slug}", {"n": 1}, data=request.get_data() or None)
    return redirect(job_url(job))


def _start(app, client, kind, data=None):
    return client.post(f"/t/youth/start/{kind}", data=data, content_type="application/octet-stream")


def _job(app) -> BackgroundJob:
    with app.app_context():
        return db.session.execute(db.select(BackgroundJob).order_by(BackgroundJob.id.desc())).scalars().first()


def test_the_person_who_asked_downloads_the_file_and_is_emailed_a_link(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    response = _start(app, client, "test.echo")
    download = job_file(client, response)
    assert download.data == b"made for member@example.org"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in download.headers["Cache-Control"]
    job = _job(app)
    assert job.status == "ready" and job.file_size == len(download.data)
    mail = outbox(app)[-1]
    assert mail["To"] == "member@example.org" and mail["Subject"] == "Ready: Echo for youth"
    text = mail.get_payload(decode=True).decode()
    assert f"/account/files/{job.token}" in text and "Your file is ready." in text
    listing = client.get("/account/files").get_data(as_text=True)
    assert "Echo for youth" in listing and "Ready" in listing


def test_nobody_else_sees_a_job_or_its_file(make_app, people):
    app = _jobs_app(make_app)
    member = app.test_client()
    sign_in(member, "member@example.org")
    path, _ = job_page(member, _start(app, member, "test.echo"))
    for email in ("owner@example.org", "admin@example.org", "outsider@example.org"):
        other = app.test_client()
        sign_in(other, email)
        assert other.get(path).status_code == 404, email
        assert other.get(f"{path}/download").status_code == 404, email
        assert "Echo for youth" not in other.get("/account/files").get_data(as_text=True)
    assert app.test_client().get(path).status_code == 302  # signed out: to the sign-in page


def test_an_import_file_is_kept_only_until_the_job_has_read_it(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    download = job_file(client, _start(app, client, "test.echo", data=b"name,email\nAna,ana@example.net\n"))
    assert download.data == b"name,email\nAna,ana@example.net\n"
    assert _job(app).input_key is None
    stored = [p.read_bytes() for p in Path(app.instance_path).glob("uploads/*/*")]
    assert stored == [b"name,email\nAna,ana@example.net\n"]  # the job's own file; the upload's copy is gone


def test_a_refused_import_shows_its_report_cleaned_and_links_back(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    path, html = job_page(client, _start(app, client, "test.refuse"))
    assert "This was not done" in html and "Nothing was imported: 2 rows are wrong." in html
    assert "<td>Row 3</td>" in html and "<script>alert(1)</script>" not in html
    assert 'href="/account">Try again</a>' in html
    assert f"{path}/download" not in html
    assert outbox(app)[-1]["Subject"] == "Not done: Echo for youth"


def test_a_job_that_breaks_keeps_nothing_half_done_and_says_so(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    _, html = job_page(client, _start(app, client, "test.break"))
    assert "Something went wrong, so it was not done." in html
    with app.app_context():
        assert db.session.execute(db.select(Team).where(Team.slug == "half-done")).scalar_one_or_none() is None
    assert _job(app).status == "failed"
    assert outbox(app)[-1]["Subject"] == "Not done: Echo for youth"


def test_a_job_runs_once_however_often_it_is_queued(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    RAN.clear()
    _start(app, client, "test.echo")
    job = _job(app)
    with app.app_context():
        assert run_job(job.id) == "skipped"
        assert run_job(job.id) == "skipped"
    assert len(RAN) == 1
    assert len([m for m in outbox(app) if m["Subject"].startswith("Ready")]) == 1


def _lost_job(app, status: str, attempts: int, minutes_ago: int = 30) -> int:
    with app.app_context():
        user_id = db.session.execute(db.select(User.id).where(User.email == "member@example.org")).scalar_one()
        job = BackgroundJob(
            token=f"lost-{status}-{attempts}-{minutes_ago}",
            kind="test.echo",
            label="Lost echo",
            user_id=user_id,
            team_id=get_team("youth").id,
            locale="cy",
            params=json.dumps({"n": 2}),
            status=status,
            attempts=attempts,
            created_at=utcnow() - timedelta(minutes=minutes_ago),
            claimed_until=utcnow() - timedelta(minutes=1) if status == "working" else None,
        )
        db.session.add(job)
        db.session.commit()
        return job.id


def test_the_sweep_runs_again_a_job_lost_with_its_worker_and_gives_up_after_three_tries(make_app, people):
    app = _jobs_app(make_app)
    lost = _lost_job(app, "working", 1)
    never_queued = _lost_job(app, "waiting", 0)
    given_up = _lost_job(app, "working", 3)
    fresh = _lost_job(app, "waiting", 0, minutes_ago=0)
    with app.test_request_context():
        assert sweep() == 2
        statuses = {j.id: j.status for j in db.session.execute(db.select(BackgroundJob)).scalars()}
    assert statuses[lost] == "ready" and statuses[never_queued] == "ready"
    assert statuses[given_up] == "failed"
    assert statuses[fresh] == "waiting"  # its own queue entry is still to come
    # The page that asked was in Welsh: the person is told in Welsh.
    subjects = sorted(m["Subject"] for m in outbox(app))
    assert subjects == ["Heb ei wneud: Lost echo", "Yn barod: Lost echo", "Yn barod: Lost echo"]


def test_finished_jobs_and_their_files_go_after_a_month(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    _start(app, client, "test.echo")
    job = _job(app)
    with app.app_context():
        assert read_upload(job.file_key) == b"made for member@example.org"
        stored = db.session.get(BackgroundJob, job.id)
        stored.finished_at = utcnow() - timedelta(days=40)
        db.session.commit()
        results = {r.rule.name: r.count for r in apply_retention_rules(False)}
        db.session.commit()
        assert results["core.jobs"] == 1
        assert db.session.get(BackgroundJob, job.id) is None
    assert client.get(f"/account/files/{job.token}").status_code == 404
    with app.app_context(), pytest.raises(FileNotFoundError):
        read_upload(job.file_key)


def test_a_label_with_line_breaks_stays_one_line_in_the_email_subject(make_app, people):
    app = _jobs_app(make_app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    with app.test_request_context("/t/youth/"):
        from flask_login import login_user

        g.team = get_team("youth")
        login_user(db.session.execute(db.select(User).where(User.email == "member@example.org")).scalar_one())
        job = start_job("test.echo", "Import: a\r\nBcc: x@example.net\x00.csv")
        assert job.label == "Import: a Bcc: x@example.net .csv"
    mail = outbox(app)[-1]
    assert mail["Subject"] == "Ready: Import: a Bcc: x@example.net .csv" and mail["Bcc"] is None


def test_erasing_a_person_deletes_prepared_files_that_may_hold_them(make_app, people):
    from coproduce.personal_data import erase, find_person

    app = _jobs_app(make_app)
    member = app.test_client()
    sign_in(member, "member@example.org")
    path, _ = job_page(member, _start(app, member, "test.echo"))
    with app.app_context():
        erase(find_person(email="someone@example.net"))
        db.session.commit()
    html = member.get(path).get_data(as_text=True)
    assert "The file has been deleted" in html and f"{path}/download" not in html
    assert member.get(f"{path}/download").status_code == 404
    assert list(Path(app.instance_path).glob("uploads/*/*")) == []


def test_a_persons_own_jobs_are_in_their_data_and_go_with_their_account(make_app, people):
    from coproduce.personal_data import collect, erase

    app = _jobs_app(make_app)
    member = app.test_client()
    sign_in(member, "member@example.org")
    _start(app, member, "test.echo")
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == "member@example.org")).scalar_one()
        assert [j["what"] for j in collect(user)["files_asked_for"]] == ["Echo for youth"]
        erase(user)
        db.session.commit()
        assert db.session.execute(db.select(db.func.count()).select_from(BackgroundJob)).scalar_one() == 0
    assert list(Path(app.instance_path).glob("uploads/*/*")) == []
