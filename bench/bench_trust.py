"""Environment check and hardening cost; wheelhouse size and offline install time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.timing import median_seconds
from ceremony.room.environment import check_environment

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(
    os.environ.get(
        "CEREMONY_WHEELHOUSE_CACHE", Path.home() / ".cache" / "custodian-ceremony" / "wheelhouse"
    )
)
HARDEN = (
    "import json, time; from ceremony.room.hardening import harden_process; "
    "t = time.perf_counter(); r = harden_process(); "
    "print(json.dumps([time.perf_counter() - t, r.memory_locked]))"
)


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "name": "environment check",
            "value": round(median_seconds(lambda: check_environment(True)) * 1000, 1),
            "unit": "ms",
            "note": "sysfs, /proc, ip -j addr, lpstat",
        }
    ]
    # In a child process: hardening is irreversible and must not touch the runner.
    out = subprocess.run(
        [sys.executable, "-c", HARDEN], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    seconds, locked = json.loads(out)
    rows.append(
        {
            "name": "harden_process",
            "value": round(seconds * 1000, 2),
            "unit": "ms",
            "note": "memory locked" if locked else "memory lock refused",
        }
    )
    rows += _wheelhouse_rows()
    return rows


def _wheelhouse_rows() -> list[dict[str, Any]]:
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "wheelhouse.sh"), str(CACHE)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        env=os.environ | {"PY": sys.executable},
    )
    wheels = list(CACHE.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels)
    rows: list[dict[str, Any]] = [
        {
            "name": "wheelhouse size",
            "value": round(size / 2**20, 1),
            "unit": "MiB",
            "note": f"{len(wheels)} wheels incl. the project's",
        },
    ]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
        env |= {
            "PIP_NO_INDEX": "1",
            "WHEELHOUSE": str(CACHE),
            "PYTHON": getattr(sys, "_base_executable", sys.executable),
        }
        started = time.perf_counter()
        subprocess.run(
            ["bash", str(CACHE / "offline-install.sh"), f"{tmp}/venv"],
            check=True,
            capture_output=True,
            env=env,
        )
        rows.append(
            {
                "name": "offline install",
                "value": round(time.perf_counter() - started, 1),
                "unit": "s",
                "note": "fresh venv from the wheelhouse, --require-hashes",
            }
        )
    return rows
