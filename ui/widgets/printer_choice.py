"""Choosing a printer: ready queues first, and a queue that only writes a file says so.

A cups-pdf queue (and any queue whose device is a file) is listed as "saves to
disk: not a printer". A real ceremony refuses it: a share written to a disk
is a copy nobody agreed to. Rehearsals may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ui.pages.base import message_label
from ui.workers import Task, run_task

__all__ = ["FILE_QUEUE_NOTE", "PrinterChoice", "Queue", "find_queues"]

FILE_QUEUE_NOTE = "saves to disk: not a printer"


@dataclass(frozen=True)
class Queue:
    name: str
    ready: bool
    to_disk: bool

    def label(self) -> str:
        if self.to_disk:
            return f"{self.name} — {FILE_QUEUE_NOTE}"
        return self.name if self.ready else f"{self.name} — not ready"


def find_queues() -> list[Queue]:
    """The machine's queues, real printers that are ready first (runs ``lpstat``: use a worker)."""
    from ceremony.printers import cups

    uris = cups.device_uris()
    found = cups.list_queues()
    queues = [Queue(q.name, q.ready, cups.saves_to_disk(uris.get(q.name, ""))) for q in found]
    return sorted(queues, key=lambda q: (q.to_disk, not q.ready, q.name))


class PrinterChoice(QWidget):
    """A labelled list of queues. ``loaded`` once the list is in."""

    loaded = Signal()

    def __init__(self, rehearsal: bool, finder: Callable[[], list[Queue]] = find_queues) -> None:
        super().__init__()
        self.rehearsal = rehearsal
        self.finder = finder
        self._task: Task | None = None
        self.queues: list[Queue] = []
        self.combo = QComboBox()
        self.combo.setAccessibleName("Printer")
        self.combo.currentIndexChanged.connect(self._explain)
        self.note = message_label()
        self.note.setObjectName("printerNote")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(message_label("Printer:", wrap=False))
        row.addWidget(self.combo, 1)

    def load(self) -> None:
        if self._task is None:
            self._task = run_task(lambda _p: self.finder(), self._found, self._failed)

    def busy(self) -> bool:
        return self._task is not None

    def _found(self, queues: list[Queue]) -> None:
        self._task = None
        self.queues = list(queues)
        self.combo.clear()
        for queue in self.queues:
            self.combo.addItem(queue.label(), queue.name)
        if not self.queues:
            self.note.setText("No printer found. Connect one and choose 'Look again'.")
        self._explain()
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.note.setText(message)
        self.loaded.emit()

    def select(self, name: str) -> bool:
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        return index >= 0

    def current(self) -> Queue | None:
        index = self.combo.currentIndex()
        return self.queues[index] if 0 <= index < len(self.queues) else None

    def refusal(self) -> str | None:
        """Why the chosen queue may not print this ceremony's paper; None when it may."""
        queue = self.current()
        if queue is None:
            return "Choose a printer first."
        if queue.to_disk and not self.rehearsal:
            return (
                f"{queue.name} saves to disk: it is not a printer. A real ceremony prints on "
                "paper; choose a real printer."
            )
        return None

    def _explain(self) -> None:
        queue = self.current()
        if queue is None:
            return
        refusal = self.refusal()
        if refusal:
            self.note.setText(refusal)
        elif queue.to_disk:
            self.note.setText(f"{queue.name} saves to disk (allowed in a rehearsal only).")
        else:
            self.note.setText("")
