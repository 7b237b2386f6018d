"""The live image's figures, as the last `make image` and `make image-test` measured them.

Booting the ISO takes minutes under QEMU, so `make bench` does not boot it: it reports
the rows `make image-test` wrote (build/image-test/bench.json) and the ISO's size. With
neither present it reports nothing and says how to measure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ISO = ROOT / "build" / "ceremony-live.iso"
IMAGE_TEST = ROOT / "build" / "image-test" / "bench.json"
LIMIT_BYTES = int(1.2 * 1024**3)


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if ISO.exists():
        size = ISO.stat().st_size
        rows.append({"name": "ISO size", "value": round(size / 2**20, 1), "unit": "MiB",
                     "note": f"{size} bytes; limit {LIMIT_BYTES / 2**30:.1f} GiB"})  # fmt: skip
    if IMAGE_TEST.exists():
        for row in json.loads(IMAGE_TEST.read_text()):
            rows.append({**row, "note": f"{row.get('note', '')} (last make image-test)"})
    if not rows:
        print("bench_image: no image measured; run 'make image' and 'make image-test'",
              file=sys.stderr)  # fmt: skip
    return rows
