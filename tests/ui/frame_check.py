"""Run in a child process on a real X server: the main window opened as the app opens it (its
own size, no geometry given), then a drill started. With a window manager the title bar and
borders come on top of that size: the whole frame must still fit the screen, and Next with it.

``python -m tests.ui.frame_check`` prints ``key=value`` lines.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget


def say(name: str, value: object) -> None:
    print(f"{name}={value}", flush=True)


def _box(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def main() -> int:
    from testkit.tour_steps import wait_until
    from tests.ui.conftest import report
    from ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow(rehearsal=True, environment=lambda r: report(r, False))
    window.show()
    wait_until(app, lambda: window.env is not None)
    # A window manager frames the window a moment after it is shown; the app answers that.
    wait_until(app, lambda: window.frameGeometry() != window.geometry(), 5)
    area = window.screen().availableGeometry()
    wait_until(app, lambda: area.contains(window.frameGeometry()), 3)
    say("window_manager", window.frameGeometry().size() != window.geometry().size())
    wizard = window.start_ceremony("drill")
    assert wizard is not None
    wait_until(app, lambda: not wizard.page.busy())
    say("frame", window.frameGeometry())
    say("frame_fits", area.contains(window.frameGeometry()))
    say(
        "next_on_screen", wizard.next_button.isVisible() and area.contains(_box(wizard.next_button))
    )
    wizard.cancel()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
