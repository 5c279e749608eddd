#!/usr/bin/env bash
# Every test on SQLite, then those that reach a database again on PostgreSQL when one answers (or COPRODUCE_TEST_DATABASE_URL names one).
# COPRODUCE_REQUIRE_POSTGRES=1 (set by .ci/run) makes a missing PostgreSQL a failure, not a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${COPRODUCE_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
WORKERS="${PYTEST_WORKERS:-2}"

echo "== Tests on SQLite =="
env -u COPRODUCE_TEST_DATABASE_URL $BIN/pytest -n "$WORKERS" --dist worksteal -q "$@"
sqlite_status=$?

if $BIN/python scripts/pg-ready.py "$PG_URL"; then
  echo "== Tests on PostgreSQL ($PG_URL) =="
  # Only the tests that reach the database (conftest.py): the rest did the same work on SQLite just now.
  COPRODUCE_TEST_DATABASE_URL="$PG_URL" $BIN/pytest -n "$WORKERS" --dist worksteal -q -m "not browser" --database-tests-only "$@"
  pg_status=$?
else
  if [[ "${COPRODUCE_REQUIRE_POSTGRES:-0}" == "1" ]]; then
    echo "PostgreSQL pass: FAILED to start: no PostgreSQL answered at $PG_URL" >&2
    exit 1
  fi
  echo "PostgreSQL pass: SKIPPED: no PostgreSQL answered at $PG_URL (set COPRODUCE_TEST_DATABASE_URL to use one)"
  pg_status=0
fi

if [[ $sqlite_status -ne 0 || $pg_status -ne 0 ]]; then
  echo "Tests failed: SQLite pass exit $sqlite_status, PostgreSQL pass exit $pg_status" >&2
  exit 1
fi
echo "All test passes succeeded."
