"""Run in a child process on a real X server: walk every page of every wizard, maximised, and
print one line per page saying whether its button row is inside the screen.

``python -m tests.ui.fit_check`` (DISPLAY and QT_SCALE_FACTOR come from the caller).
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any


def _checked(window: Any) -> bool:
    return window.env is not None


def _idle(wizard: Any) -> bool:
    return not wizard.page.busy()


def _inside(window: Any, widget: Any) -> bool:
    from PySide6.QtCore import QRect

    screen = window.screen().availableGeometry()
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    box = QRect(top_left, widget.size())
    return bool(widget.isVisible() and screen.contains(box))


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from ceremony import keys
    from ceremony.shares import split
    from testkit.tour_steps import act, finish_page, wait_until
    from ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    with keys.new_component() as component:
        old = split(component, 3, 4)

    class Tour:
        def __init__(self, scratch: Path) -> None:
            self.app = app
            self.scratch = scratch

    bad = 0
    with tempfile.TemporaryDirectory() as scratch:
        tour = Tour(Path(scratch))
        for kind in ("genesis", "recovery", "drill", "reshare", "verify"):
            window = MainWindow(rehearsal=True)
            window.showMaximized()
            wait_until(app, partial(_checked, window))
            wizard = window.start_ceremony(kind)
            assert wizard is not None
            for _ in range(len(wizard.pages)):
                act(tour, wizard, old)
                wait_until(app, partial(_idle, wizard))
                app.processEvents()
                row = (wizard.next_button, wizard.back_button, wizard.cancel_button)
                fits = all(_inside(window, b) for b in row if not b.isHidden())  # Done: no Cancel
                bad += not fits
                size = window.size()
                print(
                    f"{'OK ' if fits else 'OFF'} {kind}: {wizard.step_title()} "
                    f"window {size.width()}x{size.height()}",
                    flush=True,
                )
                finish_page(tour, wizard, old)
                wait_until(app, partial(_idle, wizard))
                if wizard.index == len(wizard.pages) - 1 or not wizard.next_button.isEnabled():
                    break
                wizard.next()
            wizard.cancel()
            window.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
