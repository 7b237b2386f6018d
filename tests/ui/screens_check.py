"""Run in a child process on a real X server: a refusal on its page, as the room sees it, saved
as a picture of the whole screen. Prints ``key=value`` lines saying what is on screen.

``python -m tests.ui.screens_check MODE SHOT``; MODE is ``key-version`` (a real genesis whose
key version differs from the install request's) or ``name`` (share words typed into "Your name"
by real key events).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.next_reason import laid_out, on_screen, reason_problems

TYPED_VERSION = "2026-1"  # the details' hint says "for example 2025-1"; the request says v1


def say(name: str, value: object) -> None:
    print(f"{name}={value}", flush=True)


def _window(app: QApplication, rehearsal: bool) -> Any:
    from testkit.tour_steps import wait_until
    from tests.ui.conftest import report
    from ui.main_window import MainWindow

    window = MainWindow(rehearsal=rehearsal, environment=lambda r: report(r, False))
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    window.activateWindow()
    wait_until(app, lambda: window.env is not None)
    wait_until(app, lambda: QGuiApplication.focusWindow() is not None, 10)
    return window


def _walk_to(app: QApplication, wizard: Any, page_type: type, shares: list[str]) -> None:
    from testkit.tour_steps import act, finish_page, wait_until
    from ui.pages.details_page import DetailsPage

    class Steps:
        def __init__(self, scratch: Path) -> None:
            self.app = app
            self.scratch = scratch

    with tempfile.TemporaryDirectory() as scratch:
        steps: Any = Steps(Path(scratch))
        while not isinstance(wizard.page, page_type):
            act(steps, wizard, shares)
            if isinstance(wizard.page, DetailsPage):
                wizard.page.key_version.setText(TYPED_VERSION)
            finish_page(steps, wizard, shares)
            wait_until(app, lambda: not wizard.page.busy())
            wizard.next()


def _shot(app: QApplication, shot: Path, shown: QWidget) -> None:
    """After the layout and the paint it causes have run (a grab of the X screen shows only
    what was painted)."""
    from testkit.tour_steps import wait_until

    laid_out()
    settled = time.monotonic() + 0.5
    wait_until(app, lambda: time.monotonic() > settled)
    say("refusal_on_screen", on_screen(shown))
    QGuiApplication.primaryScreen().grabWindow(0).save(str(shot))


def key_version(app: QApplication, shot: Path) -> None:
    from ceremony import gap
    from ui.pages.request_page import RequestPage

    window = _window(app, rehearsal=False)
    wizard = window.start_ceremony("genesis")
    _walk_to(app, wizard, RequestPage, [])
    request, private = gap.new_request("install", {}, "v1", timedelta(hours=3))
    private.wipe()
    wizard.page.code.setPlainText(request.qr_payload())
    say("next_enabled", wizard.next_button.isEnabled())
    say("beside_next", wizard.waiting.text())
    say("on_the_page", wizard.page.message.text())
    _shot(app, shot, wizard.page.message)
    say("reason_problems", reason_problems(wizard))
    wizard.cancel()


def name(app: QApplication, shot: Path) -> None:
    from tests.sharesets import make_set
    from tests.ui.xkeys import keys
    from ui.pages.collect_shares_page import CollectSharesPage

    _, shares = make_set(2, 3, seed=5)
    window = _window(app, rehearsal=True)
    wizard = window.start_ceremony("drill")
    _walk_to(app, wizard, CollectSharesPage, shares)
    page = wizard.page
    page.holder.setFocus(Qt.FocusReason.OtherFocusReason)
    keys(" ".join(shares[0].split()[:3]) + " ")  # a custodian typing the sheet into the name
    say("name_kept", repr(page.holder.text()))
    say("said", page.name_problem.text())
    say("focus_on_name", QApplication.focusWidget() is page.holder)
    _shot(app, shot, page.name_problem)
    wizard.cancel()


def main(mode: str, shot: Path) -> int:
    app = QApplication(sys.argv[:1])
    {"key-version": key_version, "name": name}[mode](app, shot)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
