"""Desktop app: cold start to the first painted main window, against a bare PySide6 window.

Each start is a fresh process (median of several runs, bare and app interleaved
so both see the same load); the clock runs from process launch to the window's
first paint event, read by the parent. Memory is the whole process's peak
resident set (``VmHWM`` in /proc) at first paint, and after a whole rehearsal
genesis driven as in the tour. Targets: start-up <= 1.5x and peak RSS <= 1.4x
the bare window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RUNS = 15
REPO = Path(__file__).resolve().parent.parent

_FIRST_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):  # the peak resident set so far
            return int(line.split()[1])
    return 0

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("PAINTED", rss_kib(), flush=True)
            app.quit()
        return False

app = QApplication(sys.argv[:1])
if sys.argv[1] == "bare":
    from PySide6.QtWidgets import QWidget
    window = QWidget()
else:
    from ui.main_window import MainWindow
    window = MainWindow(rehearsal=True)
if sys.argv[2] == "genesis":
    import tempfile
    from pathlib import Path
    from testkit.tour import Tour
    from testkit.tour_steps import walk
    with tempfile.TemporaryDirectory() as scratch:
        tour = Tour(Path(scratch), Path(scratch))
        tour.shot = lambda *a: None  # no pictures: only the memory counts
        walk(tour, "genesis", [])
    print("GENESIS", rss_kib(), flush=True)
    sys.exit(0)
window.resize(900, 700)
filt = FirstPaint()
window.installEventFilter(filt)
window.show()
app.exec()
"""


def _run(kind: str, mode: str = "start") -> tuple[float, int]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["PYTHONPATH"] = str(REPO)
    env["QT_LOGGING_RULES"] = "qt.qpa.*=false;qt.multimedia.*=false"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _FIRST_PAINT, kind, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    marker = "GENESIS" if mode == "genesis" else "PAINTED"
    rss = 0
    elapsed = 0.0
    for line in proc.stdout:
        if line.startswith(marker):
            elapsed = time.perf_counter() - started
            rss = int(line.split()[1])
            break
    proc.wait(timeout=300)
    return elapsed, rss


START_TARGET = 1.5
RSS_TARGET = 1.4


def _verdict(ratio: float, target: float) -> str:
    return f"target <= {target}x: {'met' if ratio <= target else 'NOT MET'}"


def run() -> list[dict[str, Any]]:
    bare: list[tuple[float, int]] = []
    app: list[tuple[float, int]] = []
    for _ in range(RUNS):  # interleaved: a busy moment of the machine hits both alike
        bare.append(_run("bare"))
        app.append(_run("app"))
    if not all(t > 0 for t, _ in bare + app):
        raise RuntimeError("a window never painted")
    bare_s = statistics.median(t for t, _ in bare)
    app_s = statistics.median(t for t, _ in app)
    fastest = min(t for t, _ in app) / min(t for t, _ in bare)  # the least disturbed pair
    rss_bare = statistics.median(r for _, r in bare) / 1024
    rss_app = statistics.median(r for _, r in app) / 1024
    _t, rss_genesis = _run("app", "genesis")
    return [
        {"name": "cold start, bare PySide6 window (floor)", "value": bare_s * 1000, "unit": "ms",
         "note": f"median of {RUNS}, process launch to first paint"},
        {"name": "cold start, ceremony main window", "value": app_s * 1000, "unit": "ms",
         "note": f"median of {RUNS}, process launch to first paint"},
        {"name": "start-up ratio, main window / bare window", "value": app_s / bare_s,
         "unit": "x", "note": f"{_verdict(app_s / bare_s, START_TARGET)} (medians)"},
        {"name": "start-up ratio, fastest runs", "value": fastest, "unit": "x",
         "note": f"{_verdict(fastest, START_TARGET)}; other work on the machine moves medians"},
        {"name": "peak RSS at first paint, bare window", "value": rss_bare, "unit": "MiB",
         "note": "VmHWM, whole process"},
        {"name": "peak RSS at first paint, main window", "value": rss_app, "unit": "MiB",
         "note": "VmHWM, whole process"},
        {"name": "peak RSS ratio, main window / bare window", "value": rss_app / rss_bare,
         "unit": "x", "note": _verdict(rss_app / rss_bare, RSS_TARGET)},
        {"name": "peak RSS after a rehearsal genesis", "value": rss_genesis / 1024, "unit": "MiB",
         "note": "12 pages, 4 sheets and the record made as PDFs"},
    ]  # fmt: skip
