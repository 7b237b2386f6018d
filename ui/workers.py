"""Long work off the GUI thread: a task runs in the thread pool and reports by signals.

A task is a plain function ``fn(progress) -> result``; ``progress(text)`` may be
called from the worker thread, and Qt queues the signal to the GUI thread.
Errors arrive as a custodian-readable message, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ceremony.errors import CeremonyError

__all__ = ["Progress", "Task", "run_task"]

Progress = Callable[[str], None]


class _Signals(QObject):
    progress = Signal(str)
    done = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)  # the page keeps it until its signals have arrived

    def run(self) -> None:
        try:
            result = self.fn(self._progress)
        except CeremonyError as err:
            self._emit(self.signals.failed, err.message)
        except Exception as err:  # the window must survive anything
            # The type only: messages of foreign exceptions may quote what they parsed.
            message = f"Something went wrong ({type(err).__name__}). Try again."
            self._emit(self.signals.failed, message)
        else:
            self._emit(self.signals.done, result)

    def _progress(self, text: str) -> None:
        self._emit(self.signals.progress, text)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window closed while the task ran: nobody to tell
            pass


_running: set[Task] = set()


def run_task(
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
    on_progress: Callable[[str], None] | None = None,
) -> Task:
    """Start ``fn`` in the global thread pool; the callbacks run in the GUI thread."""
    task = Task(fn)
    _running.add(task)
    owner = getattr(on_done, "__self__", None)

    def alive() -> bool:
        """The page that asked may have been closed (cancel) while the task ran."""
        return not isinstance(owner, QObject) or shiboken6.isValid(owner)

    def finish_ok(result: object) -> None:
        _running.discard(task)
        if alive():
            on_done(result)

    def finish_failed(message: str) -> None:
        _running.discard(task)
        if alive():
            on_failed(message)

    task.signals.done.connect(finish_ok)
    task.signals.failed.connect(finish_failed)
    if on_progress is not None:
        task.signals.progress.connect(lambda text: alive() and on_progress(text))
    QThreadPool.globalInstance().start(task)
    return task


def busy() -> bool:
    """Whether any task is still running (tests and the tour wait on this)."""
    return bool(_running)
