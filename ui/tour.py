"""``ceremony --screenshot-tour DIR``: every page of every wizard, with rehearsal data, as PNGs.

A throwaway key, practice requests and files in a temporary folder: nothing
real is made and nothing is printed. Runs offscreen when there is no display.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["run_tour"]

WAIT_S = 60.0


def _wait(app: object, condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    return True


class Tour:
    def __init__(self, out: Path, scratch: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication(["ceremony"])
        self.out = out
        self.scratch = scratch
        self.count = 0
        self.saved: list[Path] = []

    def shot(self, widget: object, name: str) -> None:
        from PySide6.QtWidgets import QWidget

        assert isinstance(widget, QWidget)
        self.app.processEvents()  # type: ignore[union-attr]
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.out / f"{self.count:02d}-{slug}.png"
        widget.grab().save(str(path))
        self.saved.append(path)

    def window(self) -> object:
        from ui.main_window import MainWindow

        window = MainWindow(rehearsal=True)
        window.resize(1100, 820)
        window.show()
        _wait(self.app, lambda: window.env is not None)
        return window

    def run(self) -> int:
        from ui.tour_steps import walk_all

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
