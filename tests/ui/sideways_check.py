"""Run in a child process on a real X server with no window manager: the window takes the whole
screen (as the live image's session sizes it), and every page of every wizard is walked. One
line per page state: ``OK`` or ``BAD`` with what is wrong.

- The page never scrolls sideways (its horizontal scroll bar has nothing to scroll).
- The window is not wider or taller than the screen.
- A disabled Next has its own reason beside it, whole, on screen (tests/ui/next_reason.py).

``python -m tests.ui.sideways_check`` (DISPLAY and QT_SCALE_FACTOR come from the caller).
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from shamir_mnemonic.wordlist import WORDLIST

from tests.ui.next_reason import reason_problems

KINDS = ("genesis", "recovery", "drill", "reshare", "verify")


def problems(window: Any, wizard: Any) -> list[str]:
    found = []
    scroller = wizard.stack.currentWidget()
    assert isinstance(scroller, QScrollArea)
    sideways = scroller.horizontalScrollBar().maximum()
    if sideways > 0:
        page = scroller.widget()
        assert page is not None
        found.append(
            f"scrolls sideways by {sideways} px (page needs {page.minimumSizeHint().width()}, "
            f"has {scroller.viewport().width()}): {_widest(page, scroller.viewport().width())}"
        )
    page = scroller.widget()
    assert page is not None
    found += _widest_check_words(page, scroller.viewport().width())
    screen = window.screen().availableGeometry()
    if window.frameGeometry().width() > screen.width():
        found.append(f"window {window.frameGeometry().width()} px wide on {screen.width()}")
    if window.frameGeometry().height() > screen.height():
        found.append(f"window {window.frameGeometry().height()} px tall on {screen.height()}")
    return found + reason_problems(wizard)


def _widest_check_words(page: QWidget, room: int) -> list[str]:
    """Check words come from a random request: try the four widest the word list can give."""
    found = []
    for label in page.findChildren(QLabel):
        if label.objectName() not in ("checkWords", "sessionWords") or not label.isVisible():
            continue
        shown = label.text()
        metrics = label.fontMetrics()
        widest = sorted(WORDLIST, key=lambda w: metrics.horizontalAdvance(w.upper()))[-4:]
        label.setText("   ".join(w.upper() for w in widest))
        if label.minimumSizeHint().width() > room:
            found.append(
                f"check words {widest} need {label.minimumSizeHint().width()} px of {room}"
            )
        label.setText(shown)
    return found


def _widest(page: QWidget, room: int) -> str:
    """The widgets that ask for more width than the page has (what makes it scroll)."""
    names = []
    for child in page.findChildren(QWidget):
        if child.isVisible() and child.minimumSizeHint().width() > room - 24:
            text = getattr(child, "text", lambda: "")()
            label = child.accessibleName() or (text[:40] if isinstance(text, str) else "")
            names.append(f"{type(child).__name__}({label!r}, {child.minimumSizeHint().width()})")
    return "; ".join(names[-4:]) or "?"


def _checked(window: Any) -> bool:
    return window.env is not None


def _idle(wizard: Any) -> bool:
    return not wizard.page.busy()


def main() -> int:
    from testkit.tour_steps import act as _act
    from testkit.tour_steps import finish_page as _finish_page
    from testkit.tour_steps import wait_until as _wait
    from tests.ui.conftest import report
    from tests.ui.walker import Walker, shares_to_enter
    from ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    old = shares_to_enter()
    bad = 0
    with tempfile.TemporaryDirectory() as scratch:
        walker = Walker(app, Path(scratch))
        for kind in KINDS:
            window = MainWindow(rehearsal=True, environment=lambda r: report(r, False))
            window.setGeometry(app.primaryScreen().availableGeometry())  # the whole screen
            window.show()
            _wait(app, partial(_checked, window))
            wizard = window.start_ceremony(kind)
            assert wizard is not None
            for _ in range(len(wizard.pages)):
                for state, step in (("opened", None), ("filled", _act), ("done", _finish_page)):
                    if step is not None:
                        step(walker, wizard, old)
                    _wait(app, partial(_idle, wizard))
                    app.processEvents()
                    found = problems(window, wizard)
                    bad += bool(found)
                    print(f"{'BAD' if found else 'OK '} {kind}: {wizard.step_title()} "
                          f"({state}) {' | '.join(found)}", flush=True)  # fmt: skip
                if wizard.index == len(wizard.pages) - 1 or not wizard.next_button.isEnabled():
                    break
                wizard.next()
            wizard.cancel()
            window.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
