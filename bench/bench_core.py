"""Split, combine, fingerprint and legacy combine; what typing one share costs, computed.

The keystroke rows here are arithmetic (words x letters that complete a word),
labelled ``computed``; ``bench_keys`` counts real key events on the real window.
"""

from __future__ import annotations

from typing import Any

from bench.timing import median_seconds
from ceremony import keys
from ceremony.secret import Secret
from ceremony.shares import combine, split
from ceremony.shares.words import UNIQUE_PREFIX


def run() -> list[dict[str, Any]]:
    component = Secret(bytes(range(64)))
    rows: list[dict[str, Any]] = []

    def row(name: str, seconds: float, note: str = "") -> None:
        rows.append({"name": name, "value": seconds * 1000, "unit": "ms", "note": note})

    row("split slip39 3-of-4", median_seconds(lambda: split(component, 3, 4), number=5))
    row("split slip39 16-of-16", median_seconds(lambda: split(component, 16, 16), number=3))
    s34 = split(component, 3, 4)
    s16 = split(component, 16, 16)
    row("combine slip39 3-of-4", median_seconds(lambda: combine(s34[:3]), number=5))
    row("combine slip39 16-of-16", median_seconds(lambda: combine(s16), number=3))
    row("fingerprint", median_seconds(lambda: keys.fingerprint(component, "custodian"), number=200))
    legacy = split(component, 3, 4, "checktick")
    row("split checktick 3-of-4", median_seconds(lambda: split(component, 3, 4, "checktick")))
    row("combine checktick 3 shares", median_seconds(lambda: combine(legacy[:3]), number=5))
    row(
        "combine checktick 4 shares",
        median_seconds(lambda: combine(legacy), number=5),
        "all subsets cross-checked",
    )

    words = len(s34[0].split())
    typed_slip39 = words * UNIQUE_PREFIX  # the entry widget completes a word after 4 letters
    rows.append(
        {
            "name": "keystrokes slip39 share (computed)",
            "kind": "computed",
            "value": typed_slip39,
            "unit": "keys",
            "note": f"{words} words x {UNIQUE_PREFIX} letters",
        }
    )
    rows.append(
        {
            "name": "keystrokes checktick share (computed)",
            "kind": "computed",
            "value": len(legacy[0]),
            "unit": "keys",
            "note": "every character, no checksum",
        }
    )
    rows.append(
        {
            "name": "keystroke ratio slip39/checktick (computed)",
            "kind": "computed",
            "value": typed_slip39 / len(legacy[0]),
            "unit": "x",
            "note": "",
        }
    )
    return rows
