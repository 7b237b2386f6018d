"""``ceremony --screenshot-tour DIR``: every page of every wizard, with rehearsal data, as PNGs.

A throwaway key, practice requests and files in a temporary folder: nothing
real is made and nothing is printed. Runs offscreen when there is no display.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from testkit.tour_steps import wait_until, walk_all
from ui.main_window import MainWindow

__all__ = ["Tour", "run_tour"]


class Tour:
    """Walks the app and saves a numbered PNG of the window at each step."""

    def __init__(self, out: Path, scratch: Path) -> None:
        app = QApplication.instance()
        self.app = app if isinstance(app, QApplication) else QApplication(["ceremony"])
        self.out = out
        self.scratch = scratch
        self.count = 0
        self.saved: list[Path] = []

    def shot(self, widget: QWidget, name: str) -> None:
        self.app.processEvents()
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.out / f"{self.count:02d}-{slug}.png"
        widget.grab().save(str(path))
        self.saved.append(path)

    def window(self) -> MainWindow:
        window = MainWindow(rehearsal=True)
        window.resize(1100, 820)
        window.show()
        wait_until(self.app, lambda: window.env is not None)
        return window

    def run(self) -> int:
        walk_all(self)
        print(f"{len(self.saved)} pages saved in {self.out}")
        return 0


def run_tour(out: Path) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.multimedia.*=false")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ceremony-tour-") as scratch:
        try:
            return Tour(out, Path(scratch)).run()
        except Exception as err:  # report, do not hide: the tour is a developer tool
            print(f"ceremony: the screenshot tour stopped: {err!r}", file=sys.stderr)
            return 1
