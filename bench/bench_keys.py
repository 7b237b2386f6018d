"""Keystrokes of a typed 3-share recovery drill and of a genesis 3-of-5 with typed read-back,
each launch to sealed answer, on the real widgets.

The count comes from ``tests/ui/keycount.py``: every key goes to whatever has
the focus in the real window (offscreen), so a page that did not move the
focus on would show up here. Every row is ``counted``: the keys for a refused
share are the real key events it took to put the share back (none when it stays
on screen). Without the app's own wrong-word locator the drive stops with an
error, it never falls back. Targets: at most 240 keys a share, at most 8 to
fix one wrong word, none to re-enter a refused share. The genesis prints its sheets on a
cups-pdf queue (scripts/start-cups.sh); without one, only its read-back is counted, and the
row says why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

_COUNT = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from tests.ui.conftest import report
import tempfile
from pathlib import Path
from tests.ui.keycount import genesis_keys, genesis_readback_keys, recovery_keys
air_gapped = lambda rehearsal: report(rehearsal, network_up=False)
print("KEYS", json.dumps(recovery_keys(air_gapped)), flush=True)
try:
    print("GENESIS", json.dumps(genesis_keys(air_gapped)), flush=True)
except RuntimeError as err:  # no print queue: the read-back alone, steps before it filled
    print(f"NOPRINT {err}", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        print("GENESIS", json.dumps(genesis_readback_keys(air_gapped, Path(scratch))), flush=True)
"""

GENESIS_STEPS = ("details", "roles", "request code", "confirmations", "printing", "bags",
                 "navigation")  # fmt: skip


def run() -> list[dict[str, Any]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    env["QT_LOGGING_RULES"] = "qt.qpa.*=false;qt.multimedia.*=false"
    done = subprocess.run(
        [sys.executable, "-c", _COUNT], env=env, cwd=REPO, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    found = {x.split(" ", 1)[0]: x.split(" ", 1)[1] for x in done.stdout.splitlines() if " " in x}
    if "KEYS" not in found or "GENESIS" not in found:
        raise RuntimeError(f"the keystroke drive failed: {done.stderr[-1500:]}")
    keys: dict[str, int] = json.loads(found["KEYS"])
    genesis: dict[str, int] = json.loads(found["GENESIS"])
    total = sum(keys.values())
    rows: list[dict[str, Any]] = [
        {"name": "keys per share (typed, 4 letters a word + Enter)", "value": keys["shares"] / 3,
         "unit": "keys", "note": "target <= 240"},
        {"name": "keys to fix one wrong word", "value": keys["fix one wrong word"],
         "unit": "keys", "note": "target <= 8; the suspect word already has the keyboard"},
        {"name": "keys to re-enter a refused share", "value": keys["re-enter a refused share"],
         "unit": "keys", "note": "target 0: the share stays on screen"},
        {"name": "keys for the request code", "value": keys["request code"], "unit": "keys",
         "note": f"{100 * keys['request code'] / total:.0f}% of the total"},
    ]  # fmt: skip
    for what in ("names", "roles", "bags", "fingerprint", "confirmations", "navigation"):
        rows.append({"name": f"keys for {what}", "value": keys.get(what, 0), "unit": "keys"})
    rows.append(
        {"name": "keys, launch to sealed answer", "value": total, "unit": "keys",
         "note": "3 shares typed, one wrong word fixed"}
    )  # fmt: skip
    rows += _genesis_rows(genesis, found.get("NOPRINT", ""))
    return [{**row, "kind": "counted"} for row in rows]


def _genesis_rows(genesis: dict[str, int], no_print: str) -> list[dict[str, Any]]:
    readback = sum(v for k, v in genesis.items() if k.startswith("read-back"))
    rows: list[dict[str, Any]] = []
    if not no_print:  # the whole genesis was typed: every step has its row
        for what in GENESIS_STEPS:
            rows.append({"name": f"genesis 3-of-5: keys for {what}",
                         "value": genesis.get(what, 0), "unit": "keys"})  # fmt: skip
        total = sum(v for k, v in genesis.items() if k != "shares read back")
        name = "genesis 3-of-5: keys, launch to sealed answer"
        note = "5 sheets printed and typed back, 5 bags"
        rows.append({"name": name, "value": total, "unit": "keys", "note": note})
    rows += [
        {"name": "genesis 3-of-5: keys to read one sheet back (typed)",
         "value": readback / genesis["shares read back"], "unit": "keys",
         "note": "4 letters a word + Enter, and any click to put the keyboard on word 1"},
        {"name": "genesis 3-of-5: keys to read all 5 sheets back", "value": readback,
         "unit": "keys",
         "note": no_print or "every step typed (the genesis rows above); printed on cups-pdf"},
        {"name": "genesis 3-of-5: clicks to put the keyboard back on word 1",
         "value": genesis.get("read-back: putting the keyboard on word 1", 0), "unit": "keys",
         "note": "after each share checked; 0 when the grid takes the next share by itself"},
    ]  # fmt: skip
    return rows
