"""Load and faults: many citizens answer the readiness self-assessment at once, through gunicorn.

    .venv/bin/python -m benchmarks.load [--citizens 200] [--duration 60] [--database-url URL]
                                        [--kill-worker] [--workers 2] [--redis-url URL]

It makes a demo installation (`coproduce init --demo`) in a fresh instance folder, serves it with
`coproduce serve` (gunicorn), and lets N citizens (asyncio tasks with httpx) go through the real
form flow of the consultation_vs_coproduction plugin again and again, with no pause between pages:
the start page, each page of questions, the comment page, check your answers, submit, the result.
The citizens arrive evenly over the first half of the run (--ramp), then all answer at once. Each
go comes from a new address (X-Forwarded-For, trusted from 127.0.0.1), as real people's would, so
the production rate limits on public forms (30 POSTs a minute per address and page) stay on and
are not hit. At the end no new go starts and the goes in progress may finish (--grace).

It prints progress, then requests per second, p50/p95/p99 latency per step and errors by kind;
then it stops the site and checks the database (checks.py): every submission the server accepted
(the private link's token in the redirect to the result page) is stored exactly once, no row is
partial, and no request got an HTTP 5xx answer. `make load LOAD_ARGS="..."` runs it. With --kill-worker it sends SIGKILL to one gunicorn worker halfway through and also
requires that gunicorn replaced it. Exits 1 when a check fails, 2 when the site cannot start.

Modules: site.py (instance, gunicorn, workers), citizen.py (one person's journey),
stats.py (latency and errors), checks.py (the database after the run), __main__.py (the run).
"""
