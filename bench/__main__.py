"""Runs every ``bench/bench_*.py`` module's ``run()`` and writes ``bench/results.json``.

Each ``run()`` returns rows: ``{"name": str, "value": float, "unit": str, "note": str,
"kind": str}`` (``note`` and ``kind`` optional). ``kind`` says where a value comes from:
``measured`` (timed or read from the system; the default), ``counted`` (events counted
while driving the real program) or ``computed`` (arithmetic from a design figure, not an
observation). Benchmarks measure; tests never time anything.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict[str, Any]] = []
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    for name in names:
        if selected and not any(s in name for s in selected):
            continue
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        for row in module.run():
            row.setdefault("note", "")
            row.setdefault("kind", "measured")
            row["group"] = name.removeprefix("bench_")
            rows.append(row)
        print(f"[{name}: {time.perf_counter() - started:.1f} s]", file=sys.stderr)
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": __import__("os").cpu_count(),
        "rows": rows,
    }
    (HERE / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    width = max((len(r["name"]) for r in rows), default=10)
    for r in rows:
        print(
            f"{r['group']:<10} {r['name']:<{width}}  {r['value']:>12.4g} {r['unit']:<8} "
            f"{r['kind']:<9} {r['note']}"
        )
    print(f"wrote {HERE / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
