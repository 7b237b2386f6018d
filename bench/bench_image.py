"""The live image's figures, as the last `make image` and `make image-test` measured them.

Booting the ISO takes minutes under QEMU, so `make bench` does not boot it: it reports
the rows `make image-test` wrote (build/image-test/bench.json), the ISO's size, and the
last `make image-verify` (build/image-verify.json: the second build's time and outcome). With
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
IMAGE_VERIFY = ROOT / "build" / "image-verify.json"
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
    if IMAGE_VERIFY.exists():
        v = json.loads(IMAGE_VERIFY.read_text())
        outcome = "same SHA-256" if v.get("reproduced") else "DIFFERENT SHA-256"
        rows.append({"name": "image_verify_second_build", "value": v.get("second_build_s", 0),
                     "unit": "s", "note": f"make image-verify of {str(v.get('commit'))[:12]}: "
                     f"{outcome} (last make image-verify)"})  # fmt: skip
    if not rows:
        print("bench_image: no image measured; run 'make image' and 'make image-test'",
              file=sys.stderr)  # fmt: skip
    return rows
