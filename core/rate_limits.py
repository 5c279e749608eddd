"""Rate-limit counters every worker shares: Redis when REDIS_URL is set, else this table in the database.

A `limits` storage (Flask-Limiter's back end) for the fixed-window strategy. Each hit is one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement, atomic on SQLite and PostgreSQL alike, on its
own connection so it never mixes with the request's transaction.

A counter is not worth a disk flush: a hit commits without waiting for the disk. On SQLite the hits go
through an engine of their own on the same file whose connections are `synchronous=NORMAL` (in WAL mode:
no flush at commit) from the moment they open, so a hit is one statement; on PostgreSQL each hit's
transaction says `SET LOCAL synchronous_commit = off` (nothing may outlive a transaction behind PgBouncer
in transaction mode). A crash of the machine can lose the last few hits, never corrupt the database, and
everything else the site writes keeps its durable commits.
"""

from __future__ import annotations

import secrets
import time
import weakref
from typing import Any

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from coproduce.extensions import db, on_each_sqlite_connection
from coproduce.models.rate_limit import RateLimitCounter

SCHEME = "coproduce-database"
FORGET_ONE_IN = 500


_HITS: dict[str, Any] = {}


def _hit_statement(dialect: str):
    """One hit: the counter's row made, counted on, or started again once its window is over. Built once per
    database kind with bound parameters (building it is what a hit would otherwise spend most of its time on)."""
    if dialect not in _HITS:
        table = RateLimitCounter.__table__
        amount = sa.bindparam("amount", type_=sa.Integer)
        now = sa.bindparam("now", type_=sa.Float)
        until = sa.bindparam("until", type_=sa.Float)
        expired = table.c.expires_at <= now
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        _HITS[dialect] = (
            insert.values(key=sa.bindparam("counter", type_=sa.String), count=amount, expires_at=until)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "count": sa.case((expired, amount), else_=table.c.count + amount),
                    "expires_at": sa.case((expired, until), else_=table.c.expires_at),
                },
            )
            .returning(table.c.count)
        )
    return _HITS[dialect]


_HIT_ENGINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _sqlite_hit_engine(engine: sa.Engine) -> sa.Engine | None:
    """SQLite: the engine the hits use beside the app's, on the same file, made once and disposed with the
    app's. None for a database that lives only in one connection's memory (its hits share the app's)."""
    if not engine.url.database or engine.url.database == ":memory:":
        return None
    if engine not in _HIT_ENGINES:
        hits = sa.create_engine(engine.url)

        on_each_sqlite_connection(
            hits, "PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=5000", "PRAGMA synchronous=NORMAL"
        )
        sa.event.listen(engine, "engine_disposed", lambda _engine: hits.dispose())
        _HIT_ENGINES[engine] = hits
    return _HIT_ENGINES[engine]


class DatabaseStorage(Storage):
    """Counters in the `rate_limit` table of the site's own database (the app's engine)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def _table(self):
        return RateLimitCounter.__table__

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = db.engine
        statement = _hit_statement(engine.dialect.name)
        values = {"counter": key[:255], "amount": amount, "now": now, "until": now + expiry}
        sqlite_db = engine.dialect.name == "sqlite"
        hits = _sqlite_hit_engine(engine) if sqlite_db else None
        with (hits or engine).connect() as connection:
            if hits is None:
                # Before the INSERT: the SQLite driver opens its transaction at the first write.
                connection.exec_driver_sql(
                    "PRAGMA synchronous=NORMAL" if sqlite_db else "SET LOCAL synchronous_commit = off"
                )
            count = int(connection.execute(statement, values).scalar_one())
            connection.commit()
            if hits is None and sqlite_db:
                connection.exec_driver_sql("PRAGMA synchronous=FULL")  # the pool's next user flushes again
                connection.commit()
        if secrets.randbelow(FORGET_ONE_IN) == 0:
            self.forget_expired()  # now and then, so counters of addresses long gone do not pile up
        return count

    def _row(self, key: str):
        table = self._table()
        with db.engine.connect() as connection:
            return connection.execute(
                sa.select(table.c.count, table.c.expires_at).where(table.c.key == key[:255])
            ).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return int(row.count) if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return float(row.expires_at) if row is not None and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.select(1))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(sa.delete(self._table())).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(sa.delete(self._table()).where(self._table().c.key == key[:255]))

    def forget_expired(self) -> int:
        with db.engine.begin() as connection:
            return connection.execute(
                sa.delete(self._table()).where(self._table().c.expires_at <= time.time())
            ).rowcount
