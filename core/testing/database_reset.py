"""Emptying a PostgreSQL test database back to the template it was cloned from, so that the next test can
have it instead of a fresh clone (`CREATE DATABASE ... TEMPLATE` costs 0.2 to 0.7 s of the server's CPU;
emptying a test's few rows costs a few milliseconds).

A database is given back only when it is certainly as its template was:
- nothing else is connected to it (a server or worker a test left running could write into the next test);
- its schema is the template's (tables, columns and their types, indexes, constraints, sequences, views,
  functions, triggers and extensions): a test that migrated, altered or added anything has it dropped;
- the tables that held rows in the template (the migrations' own, alembic_version) hold exactly those rows.

Then every other table is emptied, children before parents, and every sequence a test drew from starts
again, so ids come out as they do in a new clone. Anything unexpected (a lock held, an error) answers
False, and the caller drops the database and clones a new one, as before.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_t%'"

SCHEMA_DIGEST = f"""
SELECT md5(coalesce(string_agg(item, E'\\n' ORDER BY item), '')) FROM (
  SELECT format('rel %s.%s %s', n.nspname, c.relname, c.relkind) AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMAS}
  UNION ALL
  SELECT format('col %s.%s %s %s %s %s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE {USER_SCHEMAS} AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT format('con %s.%s %s', n.nspname, k.conname, pg_get_constraintdef(k.oid))
    FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE {USER_SCHEMAS}
  UNION ALL
  SELECT format('fn %s.%s', n.nspname, p.proname)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER_SCHEMAS}
  UNION ALL
  SELECT format('trg %s', t.tgname) FROM pg_trigger t WHERE NOT t.tgisinternal
  UNION ALL
  SELECT format('ext %s', e.extname) FROM pg_extension e
  UNION ALL
  SELECT format('ns %s', n.nspname) FROM pg_namespace n WHERE {USER_SCHEMAS}
) AS schema_items
"""

TABLES = f"""
SELECT format('%I.%I', n.nspname, c.relname), c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE {USER_SCHEMAS} AND c.relkind IN ('r', 'p')
"""

FOREIGN_KEYS = "SELECT conrelid, confrelid FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid"

DRAWN_SEQUENCES = (
    "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences WHERE last_value IS NOT NULL"
)

OTHER_CONNECTIONS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND backend_type = 'client backend'"
)


@dataclass(frozen=True)
class Template:
    """What a clean copy of the template holds: its schema's digest, its tables in the order they can be
    emptied (children first), and the rows of those that have any."""

    schema: str
    empty_in_order: tuple[str, ...]
    kept_rows: tuple[tuple[str, str], ...]  # (table, digest of its rows)
    drawn: tuple[tuple[str, int], ...]  # sequences the template has drawn from, and their last values


def _rows_digest(connection, table: str) -> str:
    return _run(
        connection,
        f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} AS t",  # noqa: S608
    ).scalar_one()


def _run(connection, statement: str):
    return connection.execute(sa.text(statement))


_ENGINES: dict[str, sa.Engine] = {}


def _engine(url: str) -> sa.Engine:
    """One engine per database, kept: making one costs more than the reset. It pools nothing, so no
    connection of ours stays open between tests."""
    if url not in _ENGINES:
        _ENGINES[url] = sa.create_engine(url, poolclass=NullPool)
    return _ENGINES[url]


def read_template(url: str) -> Template | None:
    """The template's snapshot, or None when its tables cannot be emptied in any order (a cycle of
    foreign keys between tables): then every test has a new clone."""
    with _engine(url).connect() as connection:
        names = {oid: name for name, oid in _run(connection, TABLES).all()}
        sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter({oid: () for oid in names})
        for child, parent in _run(connection, FOREIGN_KEYS).all():
            if child in names and parent in names:
                sorter.add(parent, child)  # the child's rows go first
        try:
            order = [names[oid] for oid in sorter.static_order()]
        except graphlib.CycleError:
            return None
        counts = {name: _run(connection, f"SELECT count(*) FROM {name}").scalar_one() for name in order}  # noqa: S608
        kept = tuple((name, _rows_digest(connection, name)) for name in order if counts[name])
        return Template(
            schema=_run(connection, SCHEMA_DIGEST).scalar_one(),
            empty_in_order=tuple(name for name in order if not counts[name]),
            kept_rows=kept,
            drawn=tuple(_run(connection, DRAWN_SEQUENCES).all()),
        )


def reset(url: str, template: Template) -> bool:
    """Empty the database at url back to the template; False when it cannot be made certainly so."""
    try:
        with _engine(url).connect() as connection:
            _run(connection, "SET lock_timeout = '2s'")
            if _run(connection, OTHER_CONNECTIONS).scalar_one():
                return False
            if _run(connection, SCHEMA_DIGEST).scalar_one() != template.schema:
                return False
            if any(_rows_digest(connection, table) != digest for table, digest in template.kept_rows):
                return False
            for table in template.empty_in_order:
                _run(connection, f"DELETE FROM {table}")  # noqa: S608 - names read from the catalog
            drawn = dict(template.drawn)
            for sequence, _last in _run(connection, DRAWN_SEQUENCES).all():
                if sequence in drawn:
                    connection.execute(
                        sa.text("SELECT setval(:name, :last)"), {"name": sequence, "last": drawn[sequence]}
                    )
                else:
                    _run(connection, f"ALTER SEQUENCE {sequence} RESTART")
            connection.commit()
            return True
    except sa.exc.SQLAlchemyError:
        return False
