"""One CSV export in a fresh process, so its time and peak memory are its own.

    python -m benchmarks.export_worker app|bare FOLDER ASSESSMENT_ID OUT.csv

app:  the plugin's streaming export (GET .../responses.csv through the app, signed in), read
      chunk by chunk and written to OUT.csv;
bare: SQLAlchemy Core select of the assessment's response rows, streamed (yield_per) through
      csv.writer into OUT.csv.
Prints one JSON line: wall and CPU seconds of the export, resident memory before it starts and the
process's peak during it (MB), bytes and lines written.
"""

from __future__ import annotations

import csv
import json
import resource
import sys
import time
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak resident) of this process. Not ru_maxrss: Linux carries
    that over from the parent through exec, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def app_export(folder: Path, assessment_id: int, out: Path):
    import logging

    from benchmarks.consultation_vs_coproduction import Built, signed_in_client

    built = Built(folder, folder / "bench.db", assessment_id, 0, 0)
    app = built.app()
    logging.getLogger("coproduce").setLevel(logging.WARNING)
    client = signed_in_client(app)

    def run():
        response = client.get(built.export_path(), buffered=False)
        assert response.status_code == 200, response.status_code
        with out.open("wb") as file:
            for chunk in response.response:
                file.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        response.close()

    return run


def bare_export(folder: Path, assessment_id: int, out: Path):
    import sqlalchemy as sa

    from coproduce_plugins.consultation_vs_coproduction.models import Response

    engine = sa.create_engine(f"sqlite:///{folder / 'bench.db'}")
    table = Response.__table__

    def run():
        with engine.connect() as connection, out.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            result = connection.execution_options(yield_per=2000).execute(
                sa.select(table).where(table.c.assessment_id == assessment_id).order_by(table.c.id)
            )
            writer.writerow(result.keys())
            for partition in result.partitions():
                writer.writerows(partition)

    return run


def main(argv: list[str]) -> None:
    kind, folder, assessment_id, out = argv[0], Path(argv[1]), int(argv[2]), Path(argv[3])
    run = (app_export if kind == "app" else bare_export)(folder, assessment_id, out)
    before = _memory_mb("VmRSS")
    # Start the peak from here: creating the app (imports, catalogs) peaks higher than the export.
    Path("/proc/self/clear_refs").write_text("5")
    wall, cpu = time.perf_counter(), _cpu()
    run()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    with out.open("rb") as file:
        lines = sum(block.count(b"\n") for block in iter(lambda: file.read(1 << 20), b""))
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "rss_before_mb": before,
                "peak_mb": _memory_mb("VmHWM"),
                "bytes": out.stat().st_size,
                "lines": lines,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
