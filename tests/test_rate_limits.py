"""Rate limits: shared by every worker (the database when there is no Redis), forwarded addresses
trusted only from the configured proxies, and sign-in and reset limited per account too."""

import pytest

from coproduce.testing import PASSWORD, outbox

WRONG = {"email": "member@example.org", "password": "not the password at all"}


def statuses(client, path, data, times, **kwargs):
    return [client.post(path, data=data, **kwargs).status_code for _ in range(times)]


def test_two_workers_on_one_database_share_the_count(make_app, people):
    """Two apps on one database stand for two gunicorn workers (tests/test_shared_limits.py runs real ones)."""
    first, second = make_app(RATELIMIT_ENABLED=True), make_app(RATELIMIT_ENABLED=True)
    assert first.config["RATELIMIT_STORAGE_URI"].startswith("coproduce-database")
    clients = [first.test_client(), second.test_client()]
    seen = [clients[n % 2].post("/sign-in", data=WRONG).status_code for n in range(11)]
    assert seen[:10] == [200] * 10 and seen[10] == 429


def test_a_rotating_forwarded_for_from_outside_the_proxies_does_not_beat_the_limit(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True, TRUST_PROXY=True, TRUSTED_PROXIES=["10.0.0.1"])
    client = app.test_client()
    seen = [
        client.post(
            "/sign-in",
            data={**WRONG, "email": f"person{n}@example.org"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        ).status_code
        for n in range(11)
    ]
    assert seen[:10] == [200] * 10 and seen[10] == 429


def test_through_the_proxy_the_address_it_added_counts_not_the_one_the_client_sent(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True, TRUST_PROXY=True, TRUSTED_PROXIES=["10.0.0.0/24"])
    client = app.test_client()
    seen = [
        client.post(
            "/sign-in",
            data={**WRONG, "email": f"person{n}@example.org"},
            headers={"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.9"},  # client's guess, then the proxy's
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        ).status_code
        for n in range(11)
    ]
    assert seen[:10] == [200] * 10 and seen[10] == 429
    other = client.post(
        "/sign-in", data=WRONG, headers={"X-Forwarded-For": "203.0.113.10"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert other.status_code == 200  # another resident behind the same proxy is not blocked


def test_sign_in_is_limited_per_account_from_many_addresses(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True, TRUST_PROXY=True)
    client = app.test_client()
    seen = [
        client.post("/sign-in", data=WRONG, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(11)
    ]
    assert seen[:10] == [200] * 10 and seen[10] == 429
    others = client.post(
        "/sign-in",
        data={"email": "owner@example.org", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.99"},
    )
    assert others.status_code == 302


def test_reset_requests_are_limited_per_account(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True, TRUST_PROXY=True)
    client = app.test_client()
    seen = [
        client.post(
            "/reset-password", data={"email": "member@example.org"}, headers={"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert seen == [200, 200, 200, 429]
    assert len(outbox(app)) == 3


@pytest.mark.parametrize("value", ["10.0.0.0/33", "not an address"])
def test_a_bad_trusted_proxies_setting_stops_start_up(make_app, value):
    from coproduce import ConfigError

    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        make_app(TRUSTED_PROXIES=value)


def test_expired_counters_are_forgotten(make_app):
    import time

    from coproduce.extensions import db
    from coproduce.models import RateLimitCounter
    from coproduce.rate_limits import DatabaseStorage

    app = make_app()
    with app.app_context():
        storage = DatabaseStorage()
        assert storage.incr("gone", expiry=60) == 1 and storage.incr("gone", expiry=60) == 2
        assert storage.incr("kept", expiry=60) == 1
        db.session.get(RateLimitCounter, "gone").expires_at = time.time() - 1
        db.session.commit()
        assert storage.get("gone") == 0 and storage.incr("gone", expiry=60) == 1  # a new window
        db.session.get(RateLimitCounter, "gone").expires_at = time.time() - 1
        db.session.commit()
        assert storage.forget_expired() == 1
        assert db.session.get(RateLimitCounter, "kept") is not None


def test_a_hit_skips_the_disk_flush_but_every_other_write_keeps_it(make_app):
    """A counter is not worth waiting for the disk; a resident's answers are. The hit's own commit is
    relaxed, and the connection goes back to the pool flushing every commit again."""
    from coproduce.extensions import db
    from coproduce.rate_limits import DatabaseStorage

    app = make_app()
    with app.app_context():
        engine = db.engine
        sqlite_db = engine.dialect.name == "sqlite"
        seen, statements = [], []
        probe = "PRAGMA synchronous" if sqlite_db else "SHOW synchronous_commit"

        def before(conn, cursor, statement, parameters, context, executemany):
            if statement == probe:
                return
            statements.append(statement.split()[0])
            if "rate_limit" in statement:
                seen.append(conn.exec_driver_sql(probe).scalar())

        import sqlalchemy as sa

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)  # whichever engine the hit goes through
        try:
            assert DatabaseStorage().incr("flush", expiry=60) == 1
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)
        assert seen == ([1] if sqlite_db else ["off"])  # NORMAL (no flush in WAL mode) / off
        # SQLite: the hits' own connections never flush, so a hit is its one statement.
        assert statements == (["INSERT"] if sqlite_db else ["SET", "INSERT"]), statements
        with engine.connect() as connection:  # the pool's next user, and the app's own session
            assert connection.exec_driver_sql(probe).scalar() == (2 if sqlite_db else "on")
        assert db.session.execute(
            sa.text("SHOW synchronous_commit" if not sqlite_db else "PRAGMA synchronous")
        ).scalar() in (2, "on")
