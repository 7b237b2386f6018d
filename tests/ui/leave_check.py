"""Run in a child process on a real X server (with no window manager, as the live image runs,
or with one): a drill with one share entered, then a way out: ``close`` (what a title-bar
button or Alt+F4 asks of the window), ``alt-f4`` (the key itself, to the window manager) or
``signal``.

``python -m tests.ui.leave_check MODE SHOT`` prints what happened, one ``key=value`` a line.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any


def main(mode: str, shot: Path) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from testkit.tour_steps import act, finish_page, wait_until
    from tests.sharesets import make_set
    from tests.ui.conftest import report
    from ui.leaving import install
    from ui.main_window import MainWindow
    from ui.pages.collect_shares_page import CollectSharesPage

    app = QApplication(sys.argv[:1])
    window = MainWindow(rehearsal=True, environment=lambda rehearsal: report(rehearsal, False))
    screen = app.primaryScreen()
    window.setGeometry(screen.availableGeometry())
    window.show()
    install(window, app)
    wait_until(app, lambda: window.env is not None)
    wizard = window.start_ceremony("drill")
    assert wizard is not None
    _, shares = make_set(2, 3, seed=5)

    class Tour:
        def __init__(self, scratch: Path) -> None:
            self.app = app
            self.scratch = scratch

    scratch = tempfile.TemporaryDirectory()
    tour: Any = Tour(Path(scratch.name))
    while not isinstance(wizard.page, CollectSharesPage):
        act(tour, wizard, shares)
        finish_page(tour, wizard, shares)
        wait_until(app, lambda: not wizard.page.busy())
        wizard.next()
    page = wizard.page
    window.activateWindow()
    wait_until(app, lambda: QGuiApplication.focusWindow() is not None, 10)
    page.holder.setFocus()

    from tests.ui.xkeys import key, keys

    keys("Ann Lee")
    key(Qt.Key.Key_Return)
    for word in shares[0].split():
        keys(word[:4])
    key(Qt.Key.Key_Return)
    print(f"shares={len(page.state().indices)}", flush=True)

    def asked() -> None:
        print(f"asked={wizard.cancel_bar.isVisible()}", flush=True)
        print(f"question={wizard.cancel_question.text()}", flush=True)
        focus = QApplication.focusWidget()
        print(f"focus_on_confirm={focus is wizard.confirm_field}", flush=True)
        print(f"window_visible={window.isVisible()}", flush=True)

    def close_and_answer() -> None:  # inside the event loop, as the real app runs
        handle = window.windowHandle()
        assert handle is not None
        handle.close()  # what WM_DELETE_WINDOW (a title-bar button, Alt+F4) does
        app.processEvents()
        asked()
        QGuiApplication.primaryScreen().grabWindow(0).save(str(shot))
        keys("wipe")
        key(Qt.Key.Key_Return)

    def alt_f4_and_answer() -> None:  # a real key on the X server: the window manager acts
        import subprocess

        print(f"window_manager={window.frameGeometry().size() != window.geometry().size()}")
        subprocess.run(["xdotool", "key", "--clearmodifiers", "alt+F4"], check=True, timeout=30)
        wait_until(app, wizard.cancel_bar.isVisible, 30)
        wait_until(app, lambda: QApplication.focusWidget() is wizard.confirm_field, 10)
        asked()
        QGuiApplication.primaryScreen().grabWindow(0).save(str(shot))
        keys("wipe")
        key(Qt.Key.Key_Return)

    def poll() -> None:
        if wizard.cancel_bar.isVisible():
            asked()
            print("waiting", flush=True)
            return
        QTimer.singleShot(50, poll)

    if mode == "close":
        QTimer.singleShot(0, close_and_answer)
    elif mode == "alt-f4":
        QTimer.singleShot(0, alt_f4_and_answer)
    else:
        print("ready", flush=True)  # the parent sends SIGTERM now, and again after "waiting"
        QTimer.singleShot(50, poll)
    code = app.exec()
    print(f"wiped={not wizard.context.holds_secrets() and wizard.closed}", flush=True)
    print(f"exit={code}", flush=True)
    scratch.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
