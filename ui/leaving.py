"""Every way out of a running ceremony is the Cancel question, or a wipe when no one can answer.

- Window close (title-bar button, Alt+F4): ``MainWindow.closeEvent`` asks in place.
- Logout: the session manager's ``commitDataRequest``. When it lets the app talk to the
  user, the logout is cancelled and the question is asked; the custodians answer and log
  out again. When it does not, no one can answer: every secret is wiped and the logout goes on.
- SIGTERM, SIGHUP, SIGINT: the first one asks the question. If no one answers within
  ``GRACE_S`` seconds, or a second signal comes, every secret is wiped as a confirmed Cancel
  does and the app exits with 128 + the signal number. The grace is shorter than the 90 s a
  system shutdown waits before SIGKILL, so the wipe happens before the kill.
- Any other quit (``aboutToQuit``) can no longer ask: it wipes.

Outside a ceremony, or on its Done page, every way out simply closes the app.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication, QSessionManager
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow

__all__ = ["GRACE_S", "LeaveGuard", "install"]

GRACE_S = 60
SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
SIGNAL_WHY = "The computer asked this app to stop (it may be shutting down)."


def _exit_app(code: int) -> None:
    QApplication.exit(code)


class LeaveGuard(QObject):
    """Routes logout, quit and stop signals into the window's question (see the module text)."""

    def __init__(
        self,
        window: MainWindow,
        *,
        grace_ms: int = GRACE_S * 1000,
        exit_app: Callable[[int], None] = _exit_app,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.exit_app = exit_app
        self.pending: int | None = None  # the signal whose question waits for an answer
        self.grace = QTimer(self)
        self.grace.setSingleShot(True)
        self.grace.setInterval(grace_ms)
        self.grace.timeout.connect(self._no_answer)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wake)
        self._previous: dict[int, object] = {}
        self._old_fd = -1
        window.wizard_resumed.connect(self._answered)

    # -- installing ------------------------------------------------------------------------

    def install(self, app: QGuiApplication) -> None:
        app.commitDataRequest.connect(self.on_commit_data)
        app.aboutToQuit.connect(self.window.wipe_now)
        self._old_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for number in SIGNALS:
            self._previous[number] = signal.signal(number, _noted)

    def uninstall(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._previous.clear()
        signal.set_wakeup_fd(self._old_fd)
        self._notifier.setEnabled(False)
        self.grace.stop()
        self._reader.close()
        self._writer.close()

    # -- logout ----------------------------------------------------------------------------

    def on_commit_data(self, manager: QSessionManager) -> None:
        if not self.window.needs_decision():
            return
        if manager.allowsInteraction():
            manager.cancel()  # the custodians decide first; they can log out again after
            self.window.ask_to_leave("The session is ending (logout).")
            manager.release()
        else:
            self.window.wipe_now()

    # -- signals ---------------------------------------------------------------------------

    def _wake(self) -> None:
        try:
            data = self._reader.recv(64)
        except BlockingIOError:
            return
        for number in data:
            self.on_signal(number)

    def on_signal(self, number: int) -> None:
        if not self.window.needs_decision():
            self.window.wipe_now()
            self.exit_app(128 + number)
            return
        if self.pending is not None:  # asked again: no one is answering
            self._wipe_and_exit(number)
            return
        self.pending = number
        self.window.ask_to_leave(SIGNAL_WHY)
        self.grace.start()

    def _answered(self) -> None:
        """ "No, go on": the ceremony continues; a later signal asks again."""
        self.pending = None
        self.grace.stop()

    def _no_answer(self) -> None:
        if self.pending is not None and self.window.needs_decision():
            self._wipe_and_exit(self.pending)

    def _wipe_and_exit(self, number: int) -> None:
        self.grace.stop()
        self.pending = None
        self.window.leaving = True
        self.window.wipe_now()
        self.exit_app(128 + number)


def _noted(_number: int, _frame: FrameType | None) -> None:
    """The wakeup socket carries the signal; the Qt loop reads it there."""


def install(window: MainWindow, app: QGuiApplication) -> LeaveGuard:
    guard = LeaveGuard(window)
    guard.install(app)
    return guard
