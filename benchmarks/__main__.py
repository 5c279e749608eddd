"""Run every benchmark: each bundled plugin's benchmark.py main(), in turn."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    found = sorted(REPO.glob("plugins/*/benchmark.py"))
    if not found:
        print("No benchmarks found.")
        return 1
    failed = []
    for path in found:
        name = f"plugins.{path.parent.name}.benchmark"
        print(f"== {name} ==", flush=True)
        if importlib.import_module(name).main([]):
            failed.append(name)
    if failed:
        print(f"Over target: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
